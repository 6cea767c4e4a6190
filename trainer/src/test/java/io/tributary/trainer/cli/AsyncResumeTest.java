package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.trainer.metrics.StrategyStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An async job of 2 x 2 through the CLI, stopped at its checkpoint of global step 4 and resumed. A checkpoint is a
 * sync point, so the nodes' parameters are averaged there and compared (check_every 1): the resumed job starts from
 * them with nothing pending and ends with both nodes agreeing. The run is not deterministic, so unlike
 * StrategyResumeTest nothing is compared with the uninterrupted job. metrics.json writes async's knobs and each
 * node's staleness, never above the configured bound.
 */
class AsyncResumeTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [16]",
        "data:", "  type: synthetic", "  size: 96", "  test_size: 20", "  features: 6", "  classes: 3",
        "optimizer:", "  type: adam", "  lr: 0.01",
        "run:", "  epochs: 2", "  batch_size: 16", "  seed: 5", "  checkpoint_steps: 2",
        "cluster:", "  devices: 2", "  timeout_s: 10", "  scheme: sharded",
        "strategy:", "  type: async", "  staleness: 1", "  period: 5", "  warmup_steps: 1", "  check_every: 1", "");
    private static final Pattern CHECKSUM = Pattern.compile("done: node (\\d) of 2, 2 epochs, 12 steps, .*checksum (\\w+)\\)");

    @TempDir
    Path dir;

    @Test
    void aResumedJobContinuesFromTheAveragedParameters() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("job.yaml"), CONFIG);
        final Path parted = dir.resolve("parted");
        for (final CliRun node : new CliJob(2).run(config, parted, "--stop-after-steps", "3"))
        {
            assertEquals(0, node.exitCode(), node.err());
            assertTrue(node.out().contains("at global step 4 (--stop-after-steps 3)"), node.out());
        }
        final List<CliRun> resumed = new CliJob(2).run(config, parted, "--resume", parted.toString());
        CliJob.commonChecksum(resumed, CHECKSUM);

        final JsonNode metrics = new ObjectMapper().readTree(parted.resolve(RunDirectory.METRICS).toFile());
        final JsonNode strategy = metrics.get("strategy");
        assertEquals("async", strategy.get("type").asText(), strategy.toString());
        assertEquals(5, strategy.get("period").asInt(), strategy.toString());
        assertEquals(1, strategy.get("staleness").asInt(), strategy.toString());
        for (final JsonNode node : metrics.get("nodes"))
        {
            final JsonNode staleness = node.get("strategy").get(StrategyStats.STALENESS_STEPS);
            assertTrue(staleness.get("max").asDouble() <= 1, node.toString());
            assertTrue(node.get("strategy").has(StrategyStats.WAIT_MS), node.toString());
        }
    }
}
