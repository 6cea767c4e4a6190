package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train command end to end, in-process: output files, metrics, model loadable by plain DL4J, help. */
class TrainCommandTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [16]",
        "data:", "  type: synthetic", "  size: 300", "  test_size: 100", "  features: 8", "  classes: 3",
        "optimizer:", "  type: nesterov", "  lr: 0.05",
        "strategy:", "  check_every: 7",
        "cluster:", "  devices: 2",
        "run:", "  epochs: 3", "  batch_size: 25", "  checkpoint_every: 1", "");

    @TempDir
    Path dir;

    @Test
    void trainWritesModelMetricsAndResolvedConfig() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("small.yaml"), CONFIG);
        final Path out = dir.resolve("run");
        final CliRun result = CliRun.of("train", config.toString(), "--out", out.toString(),
            "--set", "run.epochs=2", "--set", "cluster.devices=3");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("epoch 2/2  step 12/12"), result.out());
        assertTrue(result.out().contains("done: 2 epochs, 24 steps, test accuracy"), result.out());

        final JsonNode metrics = new ObjectMapper().readTree(out.resolve(RunDirectory.METRICS).toFile());
        for (final String key : List.of("test_accuracy", "samples_per_sec", "epochs", "devices", "node_count", "nodes"))
        {
            assertNotNull(metrics.get(key), key);
        }
        assertEquals(2, metrics.get("epochs").asInt());
        assertEquals(3, metrics.get("devices").asInt());
        assertEquals(1, metrics.get("node_count").asInt());
        assertEquals(1, metrics.get("nodes").size());
        final JsonNode node = metrics.get("nodes").get(0);
        assertEquals(0, node.get("rank").asInt());
        assertEquals(0, node.get("bytes_sent").asLong(), "one node sends nothing");
        assertEquals(List.of("data", "compute", "intra_reduce", "inter_reduce", "update"),
            iterable(node.get("phase_ms").fieldNames()));
        final JsonNode compute = node.get("phase_ms").get("compute");
        assertTrue(compute.get("p50").asDouble() > 0 && compute.get("p50").asDouble() <= compute.get("max").asDouble(),
            compute.toString());
        final JsonNode timeline = new ObjectMapper().readTree(out.resolve(RunDirectory.TIMELINE).toFile());
        assertTrue(timeline.get("traceEvents").size() > 0, "timeline.json has the first steps' events");
        assertEquals(24, metrics.get("steps").asInt());
        assertTrue(metrics.get("test_accuracy").asDouble() > 0.9, metrics.toString());
        final JsonNode stepMs = metrics.get("step_ms");
        assertTrue(stepMs.get("p50").asDouble() <= stepMs.get("p90").asDouble());
        assertTrue(stepMs.get("p99").asDouble() <= stepMs.get("max").asDouble());

        final TrainConfig resolved = ConfigLoader.load(out.resolve(RunDirectory.CONFIG), List.of());
        assertEquals(2, resolved.run().epochs());
        assertEquals(3, resolved.cluster().devices());
        assertEquals(List.of(16), resolved.model().hidden());

        final MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(out.resolve(RunDirectory.MODEL).toFile(), true);
        assertEquals(24, restored.getIterationCount());
        assertEquals(2, restored.getEpochCount());
        assertNotNull(restored.getUpdater().getStateViewArray(), "updater state saved with the model");
        assertTrue(Files.isRegularFile(out.resolve("checkpoint-epoch-1.zip")));
    }

    private static List<String> iterable(final java.util.Iterator<String> names)
    {
        final List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void helpListsCommandsAndOptions()
    {
        final CliRun top = CliRun.of("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("train"), top.out());

        final CliRun train = CliRun.of("train", "--help");
        assertEquals(0, train.exitCode());
        for (final String option : List.of("--set", "--out", "--resume", "CONFIG.yaml", "--help"))
        {
            assertTrue(train.out().contains(option), option + " missing from:\n" + train.out());
        }
    }

    @Test
    void noCommandIsAUsageError()
    {
        assertEquals(2, CliRun.of().exitCode());
    }
}
