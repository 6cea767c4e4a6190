package io.tributary.trainer.cli;

import io.tributary.trainer.metrics.Timeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
                " for 32 node(s) with 64 device(s) in all");
        assertFalse(Files.exists(out), "nothing written");
    }

    /**
     * A device count per node ({@code cluster.devices: [4, 2]}) that does not fit the rest of the job, or an MTU
     * Aeron cannot use: the line names the --set that gave the key.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cluster.mtu=1500                            | --set cluster.mtu=1500: cluster.mtu: expected auto or a multiple of 32 in [1024, 65504], got 1500",
        "cluster.mtu=512                             | --set cluster.mtu=512: cluster.mtu: expected an integer in [1024, 65504], got 512",
        "cluster.nodes=3;cluster.devices=[4,2]        | --set cluster.devices=[4,2]: cluster.devices: expected one count per node, node by node (cluster.nodes 3), got 2: [4, 2]",
        "cluster.nodes=2;cluster.devices=[2,0]        | --set cluster.devices=[2,0]: cluster.devices[1]: expected an integer in [1, 256], got 0",
        "cluster.nodes=2;cluster.backend=cuda;cluster.devices=[2,1] | --set cluster.devices=[2,1]: cluster.devices: a device count per node applies to backend cpu (nodes reduce in host memory); this run has backend cuda",
        "cluster.nodes=2;cluster.devices=[2,1];cluster.scheme=sharded | --set cluster.scheme=sharded: cluster.scheme: sharded runs one ring per local device, so every node needs the same cluster.devices; got [2, 1] (use scheme leader)",
        "cluster.nodes=2;cluster.devices=[2,1];cluster.shares=[1,1] | --set cluster.shares=[1,1]: cluster.shares: expected one share per device, node by node: 3 numbers (devices [2, 1]), got 2",
        "cluster.nodes=2;cluster.devices=[2,1];debug.enabled=true;debug.slowdown={node: 1, device: 1} | --set debug.slowdown={node: 1, device: 1}: debug.slowdown.device: expected an integer in [0, 0], got 1",
        "cluster.nodes=2;cluster.devices=[8,4];run.batch_size=11 | --set run.batch_size=11: run.batch_size: expected at least one example per device: >= 12 (cluster.devices), got 11" })
    void aClusterSettingThatDoesNotFitIsOneLine(final String sets, final String message) throws IOException
    {
        final Path config = Files.writeString(dir.resolve("job.yaml"), CliRun.SMALL_CONFIG);
        final List<String> args = new ArrayList<>(List.of("train", config.toString(), "--out", dir.resolve("out").toString()));
        for (final String set : sets.split(";"))
        {
            args.add("--set");
            args.add(set.trim());
        }
        CliRun.of(args.toArray(String[]::new)).assertUserError(message, "");
    }
}
