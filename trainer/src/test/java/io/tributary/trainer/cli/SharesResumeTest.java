package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checkpoint records the shares, and a resumed run cuts its batches by them. */
class SharesResumeTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [256, 128]",
        "data:", "  type: synthetic", "  size: 5120", "  test_size: 20", "  features: 200", "  classes: 4",
        "optimizer:", "  type: sgd", "  lr: 0.05",
        "run:", "  epochs: 1", "  batch_size: 512", "  seed: 3", "  eval_each_epoch: false", "  checkpoint_steps: 1",
        "cluster:", "  devices: 2", "");

    @TempDir
    Path dir;

    /**
     * Plans at steps 4 and 8 move the shares toward device 0; the stop after step 9 records them; the resumed run
     * trains step 10, plans nothing (10 is no multiple of 4), and ends with the recorded shares.
     */
    @Test
    void measuredSharesTravelInTheCheckpoint() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("measured.yaml"), CONFIG + String.join("\n",
            "  balance: measured", "  balance_every: 4", "debug:", "  enabled: true",
            "  slowdown: {device: 1, factor: 3}", ""));
        final Path out = dir.resolve("out");
        assertEquals(0, CliRun.train(config, out, "--stop-after-steps", "9").exitCode());
        final JsonNode recorded = Checkpoint.entryOf(out.resolve(Checkpoint.FILE)).get("shares");
        assertEquals(2, recorded.size(), recorded.toString());
        assertTrue(recorded.get(0).asDouble() > recorded.get(1).asDouble(), "device 1 is 3x slower: " + recorded);

        final Path resumed = dir.resolve("resumed");
        final CliRun run = CliRun.train(config, resumed, "--resume", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        final JsonNode balance = new ObjectMapper().readTree(resumed.resolve(RunDirectory.METRICS).toFile())
            .get("balance");
        assertEquals(recorded, balance.get("shares"), balance.toString());
        assertEquals(0, balance.get("changes").size(), balance.toString());
    }

    @Test
    void fixedUnevenSharesResumeBitIdentical() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("fixed.yaml"), CONFIG + "  shares: [3, 1]\n");
        final Path whole = dir.resolve("whole");
        assertEquals(0, CliRun.train(config, whole).exitCode());
        final Path parted = dir.resolve("parted");
        assertEquals(0, CliRun.train(config, parted, "--stop-after-steps", "6").exitCode());
        final Path resumed = dir.resolve("resumed");
        assertEquals(0, CliRun.train(config, resumed, "--resume", parted.toString()).exitCode());
        assertEquals(checksum(whole), checksum(resumed));
        assertEquals("[3.0,1.0]", new ObjectMapper().readTree(resumed.resolve(RunDirectory.METRICS).toFile())
            .get("balance").get("shares").toString());
    }

    private static String checksum(final Path run) throws IOException
    {
        return new ObjectMapper().readTree(run.resolve(RunDirectory.METRICS).toFile()).get("param_checksum").asText();
    }
}
