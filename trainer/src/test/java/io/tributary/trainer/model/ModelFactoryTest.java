package io.tributary.trainer.model;

import io.tributary.trainer.config.ModelConfig;
import io.tributary.trainer.config.OptimizerConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builtins and model files (zip and JSON, MultiLayerNetwork and ComputationGraph) behind one adapter. */
class ModelFactoryTest
{
    private static final OptimizerConfig SGD = new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.1, 0, 0.9);

    @TempDir
    Path dir;

    @Test
    void learningRateDecaysByGammaEachEpoch()
    {
        final OptimizerConfig decaying = new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.1, 0, 0.9, 0.5);
        final TrainableModel first = ModelFactory.init(BuiltinModels.mlp(6, 3, List.of(5), "tanh", decaying, 1));
        final TrainableModel third = first.copy();
        final float[] start = first.params().toFloatVector();
        final var features = Nd4j.rand(DataType.FLOAT, 4, 6);
        final var labels = Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT);
        first.computeGradient(features, labels);
        third.computeGradient(features, labels);
        first.applyUpdate(0, 4);
        third.applyUpdate(2, 4);

        final float[] epoch0 = first.params().toFloatVector();
        final float[] epoch2 = third.params().toFloatVector();
        for (int i = 0; i < start.length; i++)
        {
            // Plain SGD: the same gradient moves the parameters by lr * 0.5^2 at epoch 2; float rounding of the steps.
            assertEquals((start[i] - epoch0[i]) / 4, start[i] - epoch2[i], 1e-6, "parameter " + i);
        }
        assertTrue(start[0] != epoch0[0] || start[1] != epoch0[1], "an update moves the parameters");
    }

    @Test
    void zipOfAMultiLayerNetworkKeepsParametersAndUpdater() throws IOException
    {
        final TrainableModel original = ModelFactory.init(BuiltinModels.mlp(6, 3, List.of(5), "tanh", SGD, 1));
        final Path zip = dir.resolve("mln.zip");
        original.save(zip.toFile());
        final TrainableModel loaded = ModelFactory.create(new ModelConfig(ModelConfig.Kind.FILE, List.of(), "relu", zip),
            SGD, 1, 6, 3);
        assertInstanceOf(MultiLayerNetwork.class, loaded.dl4jModel());
        assertArrayEquals(original.params().toFloatVector(), loaded.params().toFloatVector());
    }

    @Test
    void computationGraphFromJsonAndZipTrains() throws IOException
    {
        final ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
            .dataType(DataType.FLOAT).graphBuilder()
            .addInputs("in")
            .addLayer("hidden", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.RELU).build(), "in")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                .activation(Activation.SOFTMAX).build(), "hidden")
            .setOutputs("out").build();
        final Path json = Files.writeString(dir.resolve("graph.json"), conf.toJson());
        final TrainableModel fromJson = ModelFactory.create(new ModelConfig(ModelConfig.Kind.FILE, List.of(), "relu", json),
            SGD, 1, 6, 3);
        assertInstanceOf(ComputationGraph.class, fromJson.dl4jModel());

        final TrainableModel copy = fromJson.copy();
        fromJson.computeGradient(Nd4j.rand(DataType.FLOAT, 4, 6), Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT));
        fromJson.applyUpdate(0, 4);
        assertEquals(1, fromJson.iteration());
        assertTrue(fromJson.params().neq(copy.params()).any(), "an update moves the parameters");

        final Path zip = dir.resolve("graph.zip");
        fromJson.save(zip.toFile());
        final ComputationGraph restored = ModelSerializer.restoreComputationGraph(zip.toFile(), true);
        assertArrayEquals(fromJson.params().toFloatVector(), restored.params().toFloatVector());
        assertInstanceOf(ComputationGraph.class,
            ModelFactory.create(new ModelConfig(ModelConfig.Kind.FILE, List.of(), "relu", zip), SGD, 1, 6, 3).dl4jModel());
    }

    @Test
    void aModelThatDoesNotFitTheDataIsAUserError()
    {
        final ModelConfig mlp = new ModelConfig(ModelConfig.Kind.MLP, List.of(4), "relu", null);
        final TrainableModel model = ModelFactory.create(mlp, SGD, 1, 6, 3);
        assertEquals(6L * 4 + 4 + 4 * 3 + 3, model.numParams());
        final ModelConfig lenet = new ModelConfig(ModelConfig.Kind.LENET, List.of(), "relu", null);
        assertTrue(assertThrows(ModelException.class, () -> ModelFactory.create(lenet, SGD, 1, 50, 3)).getMessage()
            .contains("needs square single-channel images of at least 16x16"));
    }

    @Test
    void aFileThatIsNoModelIsAUserError() throws IOException
    {
        final Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        final String message = assertThrows(ModelException.class, () -> ModelFactory.create(
            new ModelConfig(ModelConfig.Kind.FILE, List.of(), "relu", junk), SGD, 1, 6, 3)).getMessage();
        assertTrue(message.startsWith("model.path " + junk + ": not a DL4J model zip or configuration JSON"), message);
    }
}
