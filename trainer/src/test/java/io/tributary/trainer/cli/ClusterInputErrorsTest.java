package io.tributary.trainer.cli;

import io.tributary.trainer.metrics.Timeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Cluster settings that cannot work are bad input: one line naming the key, exit 2, through the real entry,
 * and before any training time is spent.
 */
class ClusterInputErrorsTest
{
    @TempDir
    Path dir;

    @Test
    void anUnknownMasterHostNamesTheKey() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("job.yaml"), CliRun.SMALL_CONFIG);
        CliRun.of("train", config.toString(), "--out", dir.resolve("out").toString(), "--set", "cluster.nodes=2",
            "--set", "cluster.node_rank=1", "--set", "cluster.master_addr=nosuchhost.invalid",
            "--set", "cluster.token=t", "--set", "cluster.timeout_s=5")
            .assertUserError("configuration: cluster.master_addr: ", "unknown host nosuchhost.invalid");
    }

    @Test
    void aTimelineTooLargeForTheJobIsRefusedBeforeTraining() throws IOException
    {
        // 32 nodes x 2 devices x Timeline.KINDS event kinds x 100000 steps > 2^24 events; one step per epoch,
        // so 100000 epochs keep all 100000 steps in the run.
        final Path config = Files.writeString(dir.resolve("job.yaml"), CliRun.SMALL_CONFIG);
        final Path out = dir.resolve("out");
        CliRun.of("train", config.toString(), "--out", out.toString(), "--set", "cluster.nodes=32",
            "--set", "cluster.node_rank=0", "--set", "cluster.token=t", "--set", "run.batch_size=64",
            "--set", "run.epochs=100000", "--set", "run.timeline_steps=100000")
            .assertUserError("job: run.timeline_steps: ", "expected at most " + (1 << 24) / (32 * 2 * Timeline.KINDS) +
                " for 32 node(s) x 2 device(s)");
        assertFalse(Files.exists(out), "nothing written");
    }
}
