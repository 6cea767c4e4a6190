package io.tributary.trainer.model;

import io.tributary.trainer.config.ModelConfig;
import io.tributary.trainer.config.OptimizerConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Builds the one initialised model that every replica is cloned from. A model file brings its own updater
 * (and, for a zip, its updater state); the optimizer section configures the builtins.
 */
public final class ModelFactory
{
    private ModelFactory()
    {
    }

    public static TrainableModel create(final ModelConfig model, final OptimizerConfig optimizer, final long seed,
        final int features, final int classes)
    {
        final TrainableModel created;
        switch (model.kind())
        {
            case MLP:
                created = init(BuiltinModels.mlp(features, classes, model.hidden(), model.activation(), optimizer, seed));
                break;
            case LENET:
                created = init(BuiltinModels.lenet(features, classes, optimizer, seed));
                break;
            default:
                created = load(model.path());
        }
        checkShape(created, features, classes, model.kind() == ModelConfig.Kind.FILE ? "model.path " + model.path() : "model");
        return created;
    }

    public static TrainableModel init(final MultiLayerConfiguration configuration)
    {
        final MultiLayerNetwork net = new MultiLayerNetwork(configuration);
        net.init();
        return new MultiLayerModel(net);
    }

    public static TrainableModel load(final Path path)
    {
        try
        {
            if (path.getFileName().toString().endsWith(".json"))
            {
                final String json = Files.readString(path);
                if (isGraph(json))
                {
                    final ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
                    graph.init();
                    return new GraphModel(graph);
                }
                return init(MultiLayerConfiguration.fromJson(json));
            }
            if (isGraph(zipConfiguration(path)))
            {
                return new GraphModel(ModelSerializer.restoreComputationGraph(path.toFile(), true));
            }
            return new MultiLayerModel(ModelSerializer.restoreMultiLayerNetwork(path.toFile(), true));
        }
        catch (final IOException | RuntimeException ex)
        {
            if (ex instanceof ModelException)
            {
                throw (ModelException)ex;
            }
            throw new ModelException("model.path " + path + ": not a DL4J model zip or configuration JSON (" +
                firstLine(ex) + ")");
        }
    }

    private static String zipConfiguration(final Path path) throws IOException
    {
        try (ZipFile zip = new ZipFile(path.toFile()))
        {
            final ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null)
            {
                throw new ModelException("model.path " + path + ": zip has no configuration.json; expected a " +
                    "DL4J ModelSerializer zip");
            }
            try (InputStream in = zip.getInputStream(entry))
            {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static boolean isGraph(final String json)
    {
        return json.contains("\"vertices\"");
    }

    /** One forward pass on a zero example proves the model takes the data's features and yields its classes. */
    private static void checkShape(final TrainableModel model, final int features, final int classes, final String what)
    {
        final long[] shape;
        try
        {
            final INDArray out = model.output(Nd4j.zeros(DataType.FLOAT, 1, features));
            shape = out.shape();
        }
        catch (final RuntimeException ex)
        {
            throw new ModelException(what + ": does not accept examples of " + features + " features (" + firstLine(ex) + ")");
        }
        if (shape.length != 2 || shape[1] != classes)
        {
            throw new ModelException(what + ": produces output of shape " + java.util.Arrays.toString(shape) +
                ", expected [n, " + classes + "] for the data's " + classes + " classes");
        }
    }

    private static String firstLine(final Exception ex)
    {
        final String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        final int nl = message.indexOf('\n');
        return nl >= 0 ? message.substring(0, nl) : message;
    }
}
