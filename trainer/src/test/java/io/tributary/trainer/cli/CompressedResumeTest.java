package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compressed job stopped mid-epoch and resumed ends bit-identical to the uninterrupted one: every node's codec
 * residuals (between nodes and inside the node) and adaptive thresholds travel in the checkpoint, and the
 * stochastic codec's random numbers are keyed on the global step. Also the CLI's telemetry: metrics.json has each
 * node's compression numbers and the progress line the wire traffic.
 */
class CompressedResumeTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [16]",
        "data:", "  type: synthetic", "  size: 96", "  test_size: 20", "  features: 6", "  classes: 3",
        "optimizer:", "  type: adam", "  lr: 0.01",
        "run:", "  epochs: 2", "  batch_size: 16", "  seed: 5", "  checkpoint_steps: 2",
        "cluster:", "  devices: 2", "  timeout_s: 10", "  scheme: SCHEME",
        "strategy:", "  topk_ratio: 0.1", "  threshold_density: 0.1", "  qsgd_bucket: 16", "");
    private static final Pattern CHECKSUM = Pattern.compile("done: node (\\d) of 2, 2 epochs, 12 steps, .*checksum (\\w+)\\)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} codec={1} intra={2} overlap={3}")
    @CsvSource({ "leader, topk, threshold, false", "sharded, qsgd8, none, false", "leader, threshold, bf16, true",
        "sharded, fp16, topk, false" })
    void aResumedCompressedJobEndsBitIdentical(final String scheme, final String codec, final String intra,
        final boolean overlap) throws Exception
    {
        final Path config = Files.writeString(dir.resolve("job.yaml"), CONFIG.replace("SCHEME", scheme) + "  codec: " +
            codec + "\n  intra_codec: " + intra + "\n  overlap: " + overlap + "\n  bucket_mb: 0.001\n");
        final Path whole = dir.resolve("whole");
        final List<CliRun> uninterrupted = new CliJob(2).run(config, whole);
        final String checksum = checksum(uninterrupted);

        final JsonNode nodes = new ObjectMapper().readTree(whole.resolve(RunDirectory.METRICS).toFile()).get("nodes");
        for (final JsonNode node : nodes)
        {
            final JsonNode compression = node.get("compression");
            assertTrue(compression.get("wire_bytes_per_step").get("mean").asDouble() > 0, node.toString());
            assertTrue(compression.get("density").get("mean").asDouble() > 0, node.toString());
            final JsonNode intraDensity = compression.get("intra_density");
            assertEquals(!"none".equals(intra), intraDensity != null && intraDensity.get("mean").asDouble() > 0,
                node.toString());
        }

        final Path parted = dir.resolve("parted");
        for (final CliRun node : new CliJob(2).run(config, parted, "--stop-after-steps", "3"))
        {
            assertEquals(0, node.exitCode(), node.err());
        }
        final List<CliRun> resumed = new CliJob(2).run(config, parted, "--resume", parted.toString());
        assertEquals(checksum, checksum(resumed), "the resumed job must end where the uninterrupted one ended");
    }

    private static String checksum(final List<CliRun> nodes)
    {
        return CliJob.commonChecksum(nodes, CHECKSUM);
    }
}
