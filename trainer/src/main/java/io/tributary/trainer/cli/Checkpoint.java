package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.trainer.TrainingPosition;
import io.tributary.trainer.checkpoint.NodeStates;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.model.GraphModel;
import io.tributary.trainer.model.MultiLayerModel;
import io.tributary.trainer.model.TrainableModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The resumable checkpoint: one zip holding the DL4J ModelSerializer entries (parameters, updater state,
 * and the configuration with the iteration and epoch counts; plain DL4J restores it) and one more entry,
 * {@value #ENTRY}, with the training position and the shape of the run that wrote it. Model and position
 * travel in one file written atomically, so a reader can never pair a model with another step's position.
 *
 * @param model      the restored model, with its updater state and counts
 * @param position   where the resumed run continues
 * @param run        what the writing run was: {@code num_params, batch_size, seed, nodes, devices, train_examples}
 * @param identity   the writing run's configuration without the keys a resume may change ({@link ResumeIdentity});
 *                   null in a checkpoint written before it was stored
 * @param states     every node's own state (codec residuals), entries {@value #STATE_PREFIX}R.bin; none when the
 *                   run had none
 */
record Checkpoint(TrainableModel model, TrainingPosition position, Map<String, Long> run, String identity,
    NodeStates states)
{
    static final String FILE = "checkpoint.zip";
    static final String ENTRY = "tributary-checkpoint.json";
    static final String STATE_PREFIX = "tributary-node-state/";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Writes {@code model} and {@code position} into {@code file} (the caller makes it atomic).
     *
     * @param identity {@link ResumeIdentity#of} the run's configuration
     */
    static void write(final Path file, final TrainableModel model, final TrainingPosition position,
        final NodeStates states, final TrainConfig config, final int trainExamples, final String identity)
        throws IOException
    {
        final Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("format", FORMAT);
        entry.put("epoch", position.epoch());
        entry.put("step", position.step());
        entry.put("global_step", position.globalStep());
        entry.put("samples", position.samples());
        entry.put("train_nanos", position.trainNanos());
        entry.put("loss", finiteOrNull(position.loss()));
        entry.put("epoch_test_accuracy", position.epochAccuracy().stream().map(Checkpoint::finiteOrNull).toList());
        entry.put("accuracy_curve", AccuracyCurveJson.toList(position.accuracyCurve()));
        entry.put("shares", position.shares());
        entry.put("dl4j_iteration", model.iteration());
        entry.put("dl4j_epoch", model.epoch());
        entry.put("graph", model.dl4jModel() instanceof ComputationGraph);
        entry.put("num_params", model.numParams());
        entry.put("batch_size", config.run().batchSize());
        entry.put("seed", config.run().seed());
        entry.put("nodes", config.cluster().nodes());
        entry.put("devices", config.cluster().devices());
        entry.put("train_examples", trainExamples);
        entry.put("config", identity);
        entry.put("node_states", states.nodes());

        final ByteArrayOutputStream modelZip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model.dl4jModel(), modelZip, true);
        try (OutputStream out = Files.newOutputStream(file);
            ZipOutputStream zip = new ZipOutputStream(out);
            ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(modelZip.toByteArray())))
        {
            for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry())
            {
                zip.putNextEntry(new ZipEntry(e.getName()));
                entries.transferTo(zip);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry(ENTRY));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry));
            zip.closeEntry();
            for (int rank = 0; rank < states.nodes(); rank++)
            {
                zip.putNextEntry(new ZipEntry(STATE_PREFIX + rank + ".bin"));
                zip.write(states.of(rank));
                zip.closeEntry();
            }
        }
    }

    /**
     * Reads {@code dir/checkpoint.zip}; a temporary file left by an interrupted write is never looked at.
     *
     * @throws ConfigException naming {@code --resume DIR} when there is no readable checkpoint
     */
    static Checkpoint read(final Path dir)
    {
        final Path file = dir.resolve(FILE);
        final JsonNode entry = readEntry(dir);
        final TrainableModel model;
        try
        {
            model = entry.path("graph").asBoolean() ?
                new GraphModel(ModelSerializer.restoreComputationGraph(file.toFile(), true)) :
                new MultiLayerModel(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true));
        }
        catch (final IOException | RuntimeException ex)
        {
            throw error(dir, "cannot restore the model in " + FILE + " (" + ex.getMessage() + ")");
        }
        if (model.iteration() != entry.path("dl4j_iteration").asInt() || model.epoch() != entry.path("dl4j_epoch").asInt())
        {
            throw error(dir, FILE + ": the model's iteration/epoch counts " + model.iteration() + "/" + model.epoch() +
                " disagree with " + ENTRY + "'s " + entry.path("dl4j_iteration") + "/" + entry.path("dl4j_epoch"));
        }
        return of(model, entry, readStates(dir, entry.path("node_states").asInt()));
    }

    private static NodeStates readStates(final Path dir, final int nodes)
    {
        if (nodes == 0)
        {
            return NodeStates.NONE;
        }
        final byte[][] perNode = new byte[nodes][];
        try (ZipFile zip = new ZipFile(dir.resolve(FILE).toFile()))
        {
            for (int rank = 0; rank < nodes; rank++)
            {
                final ZipEntry state = zip.getEntry(STATE_PREFIX + rank + ".bin");
                if (state == null)
                {
                    throw error(dir, FILE + " lacks node " + rank + "'s state (" + STATE_PREFIX + rank + ".bin)");
                }
                try (InputStream in = zip.getInputStream(state))
                {
                    perNode[rank] = in.readAllBytes();
                }
            }
        }
        catch (final IOException ex)
        {
            throw error(dir, "cannot read the node states in " + FILE + " (" + ex.getMessage() + ")");
        }
        return new NodeStates(perNode);
    }

    /**
     * What can be checked without the model or the data, before anything starts (the launcher's check): the
     * checkpoint is there and readable, and {@link #checkConfig} passes.
     */
    static void checkBeforeLaunch(final Path dir, final TrainConfig config)
    {
        of(null, readEntry(dir), NodeStates.NONE).checkConfig(dir, config);
    }

    /** The training-position entry of a checkpoint zip; null when the zip has none. */
    static JsonNode entryOf(final Path file) throws IOException
    {
        try (ZipFile zip = new ZipFile(file.toFile()))
        {
            final ZipEntry position = zip.getEntry(ENTRY);
            if (position == null)
            {
                return null;
            }
            try (InputStream in = zip.getInputStream(position))
            {
                return JSON.readTree(in);
            }
        }
    }

    private static JsonNode readEntry(final Path dir)
    {
        final Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file))
        {
            throw error(dir, "no " + FILE + " there (a run writes one every run.checkpoint_steps steps and at " +
                "each epoch end)");
        }
        final JsonNode entry;
        try
        {
            entry = entryOf(file);
        }
        catch (final IOException ex)
        {
            throw error(dir, "cannot read " + FILE + " (" + ex.getMessage() + ")");
        }
        if (entry == null)
        {
            throw error(dir, FILE + " has no " + ENTRY + ": not a checkpoint written by tributary train");
        }
        if (entry.path("format").asInt() != FORMAT)
        {
            throw error(dir, FILE + " has format " + entry.path("format") + ", expected " + FORMAT);
        }
        return entry;
    }

    private static Checkpoint of(final TrainableModel model, final JsonNode entry, final NodeStates states)
    {
        final List<Double> accuracies = new ArrayList<>();
        entry.path("epoch_test_accuracy").forEach(a -> accuracies.add(a.isNull() ? Double.NaN : a.asDouble()));
        final List<Double> shares = new ArrayList<>();
        entry.path("shares").forEach(share -> shares.add(share.asDouble()));
        final TrainingPosition position = new TrainingPosition(entry.path("epoch").asInt(), entry.path("step").asInt(),
            entry.path("global_step").asLong(), entry.path("samples").asLong(), entry.path("train_nanos").asLong(),
            entry.path("loss").isNull() ? Double.NaN : entry.path("loss").asDouble(), accuracies,
            AccuracyCurveJson.read(entry.path("accuracy_curve")), shares);
        final Map<String, Long> run = new LinkedHashMap<>();
        for (final String key : List.of("num_params", "batch_size", "seed", "nodes", "devices", "train_examples"))
        {
            run.put(key, entry.path(key).asLong());
        }
        final JsonNode identity = entry.path("config");
        return new Checkpoint(model, position, run, identity.isTextual() ? identity.asText() : null, states);
    }

    /**
     * Refuses a resume whose run differs in what decides the steps: the model's size, the training set, and
     * what {@link #checkConfig} checks.
     */
    void checkMatches(final Path dir, final TrainConfig config, final long numParams, final int trainExamples)
    {
        check(dir, "num_params", "model parameters", numParams);
        check(dir, "train_examples", "training examples", trainExamples);
        checkConfig(dir, config);
    }

    /**
     * Refuses another global batch, seed (the data order), or nodes x devices (how each batch is cut; a
     * different cut sums in another order, so the run would no longer be bit-identical); then any other
     * configuration key but those {@link ResumeIdentity#MAY_CHANGE}; and a run.epochs that leaves nothing to
     * train.
     */
    void checkConfig(final Path dir, final TrainConfig config)
    {
        check(dir, "batch_size", "run.batch_size", config.run().batchSize());
        check(dir, "seed", "run.seed", config.run().seed());
        check(dir, "nodes", "cluster.nodes", config.cluster().nodes());
        check(dir, "devices", "cluster.devices", config.cluster().devices());
        if (config.run().epochs() <= position.epoch())
        {
            throw error(dir, FILE + " has finished " + position.epoch() + " epoch(s); run.epochs " +
                config.run().epochs() + " leaves nothing to train (pass --set run.epochs=N with N > " +
                position.epoch() + ")");
        }
        if (identity != null)
        {
            final String difference;
            try
            {
                difference = ResumeIdentity.firstDifference(identity, ResumeIdentity.of(config));
            }
            catch (final IllegalStateException ex)
            {
                throw error(dir, FILE + ": " + ex.getMessage());
            }
            if (difference != null)
            {
                throw error(dir, FILE + " was written by another configuration: " + difference +
                    " (a resume may change only " + String.join(", ", ResumeIdentity.MAY_CHANGE) + ")");
            }
        }
    }

    private void check(final Path dir, final String key, final String what, final long actual)
    {
        final long saved = run.get(key);
        if (saved != actual)
        {
            throw error(dir, FILE + " was written by a run with " + what + " " + saved + ", this run has " + actual);
        }
    }

    private static ConfigException error(final Path dir, final String message)
    {
        return new ConfigException("--resume " + dir, "", message);
    }

    private static Double finiteOrNull(final double value)
    {
        return Double.isFinite(value) ? value : null;
    }
}
