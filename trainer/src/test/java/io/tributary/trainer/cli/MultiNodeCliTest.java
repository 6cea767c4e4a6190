package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes of one job through the real CLI in this JVM: only node 0 writes the run directory, every node says
 * which it is, a stop-and-resume of the job ends bit-identical to the uninterrupted job, and a node that leaves
 * makes its peer stop with the contract's lost-node line naming it and the last checkpoint.
 */
class MultiNodeCliTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [8]",
        "data:", "  type: synthetic", "  size: 65", "  test_size: 20", "  features: 5", "  classes: 3",
        "optimizer:", "  type: adam", "  lr: 0.01",
        "run:", "  epochs: 2", "  batch_size: 16", "  seed: 5", "  checkpoint_steps: 3",
        "cluster:", "  devices: 2", "  timeout_s: 10", "");
    private static final Pattern CHECKSUM = Pattern.compile("done: node (\\d) of 2, 2 epochs, 10 steps, .*checksum (\\w+)\\)");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "leader", "sharded" })
    void stoppedAndResumedJobEndsBitIdenticalAndOnlyNodeZeroWrites(final String scheme) throws Exception
    {
        final Path config = Files.writeString(dir.resolve("two.yaml"), CONFIG + "  scheme: " + scheme + "\n");
        final Path whole = dir.resolve("whole");
        final List<CliRun> uninterrupted = new CliJob(2).run(config, whole);
        final String checksum = assertDone(uninterrupted);
        try (Stream<Path> files = Files.list(whole))
        {
            assertEquals(List.of("checkpoint.zip", "config.yaml", "metrics.json", "model.zip", "timeline.json"),
                files.map(f -> f.getFileName().toString()).sorted().toList(),
                "node 0 writes the run directory, node 1 nothing");
        }
        final JsonNode nodes = new ObjectMapper().readTree(whole.resolve(RunDirectory.METRICS).toFile()).get("nodes");
        assertEquals(2, nodes.size());
        for (int rank = 0; rank < 2; rank++)
        {
            assertEquals(rank, nodes.get(rank).get("rank").asInt());
            assertTrue(nodes.get(rank).get("bytes_sent").asLong() > 0, nodes.toString());
            assertTrue(nodes.get(rank).get("comm_ms").get("max").asDouble() > 0, nodes.toString());
            assertTrue(nodes.get(rank).get("phase_ms").get("inter_reduce").get("p50").asDouble() > 0, nodes.toString());
        }
        final Set<Integer> pids = new TreeSet<>();
        new ObjectMapper().readTree(whole.resolve(RunDirectory.TIMELINE).toFile()).get("traceEvents")
            .forEach(e -> pids.add(e.get("pid").asInt()));
        assertEquals(Set.of(0, 1), pids, "timeline.json holds both nodes' events");
        assertTrue(uninterrupted.get(1).out().contains("world: node 1 of 2 (local rank 0), scheme " + scheme +
            ", master 127.0.0.1:"), uninterrupted.get(1).out());

        final Path parted = dir.resolve("parted");
        final List<CliRun> stopped = new CliJob(2).run(config, parted, "--stop-after-steps", "4");
        for (final CliRun node : stopped)
        {
            assertEquals(0, node.exitCode(), node.err());
            assertTrue(node.out().contains("at global step 5"), node.out());
        }
        final List<CliRun> resumed = new CliJob(2).run(config, parted, "--resume", parted.toString());
        assertEquals(checksum, assertDone(resumed));
        for (final CliRun node : resumed)
        {
            assertTrue(node.out().contains("resumed: " + parted.resolve(Checkpoint.FILE) + " at epoch 2 step 1"), node.out());
        }
        final MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(whole.resolve(RunDirectory.MODEL).toFile(), true);
        final MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(parted.resolve(RunDirectory.MODEL).toFile(), true);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector());
        assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(),
            b.getUpdater().getStateViewArray().toFloatVector());
    }

    /**
     * 65 examples in batches of 16 end with a batch of one: node 1 and node 0's second device train nothing in
     * that step and still take part. With SGD the job equals one device on the whole batches up to float
     * summation order (max |diff| <= 1e-6, as in SyncStepExactnessTest).
     */
    @Test
    void twoNodesWithAnEmptyLastSliceMatchOneDevice() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("sgd.yaml"), CONFIG.replace("type: adam", "type: sgd"));
        final Path job = dir.resolve("job");
        final List<CliRun> nodes = new CliJob(2).run(config, job);
        assertDone(nodes);
        final Path single = dir.resolve("single");
        final CliRun one = CliRun.train(config, single, "--set", "cluster.devices=1");
        assertEquals(0, one.exitCode(), one.err());

        // The loss of the epoch's last step is the whole batch's on every node, the empty slice's node 1 included,
        // and metrics.json holds it: one device's, up to float sums (the nodes reduce float sums: 1e-5 relative).
        final String epochEnd = epochEndLoss(one);
        assertEquals(epochEnd, epochEndLoss(nodes.get(0)), nodes.get(0).out());
        assertEquals(epochEnd, epochEndLoss(nodes.get(1)), nodes.get(1).out());
        final double expectedLoss = new ObjectMapper().readTree(single.resolve(RunDirectory.METRICS).toFile())
            .get("final_loss").asDouble();
        final double jobLoss = new ObjectMapper().readTree(job.resolve(RunDirectory.METRICS).toFile())
            .get("final_loss").asDouble();
        assertEquals(expectedLoss, jobLoss, 1e-5 * expectedLoss, "final_loss");
        final float[] expected = ModelSerializer.restoreMultiLayerNetwork(single.resolve(RunDirectory.MODEL).toFile(), false)
            .params().toFloatVector();
        final float[] actual = ModelSerializer.restoreMultiLayerNetwork(job.resolve(RunDirectory.MODEL).toFile(), false)
            .params().toFloatVector();
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++)
        {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxDiff <= 1e-6, "max |param diff| " + maxDiff);
    }

    @Test
    void aNodeThatLeavesStopsItsPeerWithTheLostNodeLine() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("leave.yaml"), CONFIG);
        final Path out = dir.resolve("leave");
        // Node 1 stops at the checkpoint after step 3: its leave barrier gives up on node 0, which goes on to step 4
        // alone, and it closes its transport.
        final List<CliRun> runs = new CliJob(2).run(config, out, List.of(List.of(), List.of("--stop-after-steps", "3")));
        assertEquals(0, runs.get(1).exitCode(), runs.get(1).err());
        final CliRun node0 = runs.get(0);
        assertEquals(Main.PEER_LOST, node0.exitCode(), node0.out() + node0.err());
        final String[] lines = node0.errLines();
        assertEquals(1, lines.length, node0.err());
        assertTrue(lines[0].startsWith("tributary: node 1 lost at epoch 1 step 4 ("), lines[0]);
        assertTrue(lines[0].endsWith("); last good checkpoint: " + out.resolve(Checkpoint.FILE)), lines[0]);
    }

    @Test
    void aNodeWithAnotherTokenIsRefusedAndItsPeerGivesUp() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("token.yaml"), CONFIG);
        final List<CliRun> runs = new CliJob(2).run(config, dir.resolve("token"),
            List.of(List.of(), List.of("--set", "cluster.token=not-the-secret")), "--set", "cluster.timeout_s=3");
        assertOneLine(runs.get(1), "tributary: job cli-", "rank 1: refused by rank 0: wrong token");
        assertOneLine(runs.get(0), "tributary: job cli-", "rank 0: ranks [1] did not join at 127.0.0.1:");
    }

    /** The loss on the last epoch-end progress line, as printed (4 decimals). */
    private static String epochEndLoss(final CliRun run)
    {
        final Matcher line = Pattern.compile("epoch 2/2  step 5/5  \\d+ samples/s  loss (\\S+)  ").matcher(run.out());
        assertTrue(line.find(), run.out());
        return line.group(1);
    }

    private static void assertOneLine(final CliRun node, final String start, final String contains)
    {
        assertEquals(Main.PEER_LOST, node.exitCode(), node.out() + node.err());
        final String[] lines = node.errLines();
        assertEquals(1, lines.length, node.err());
        assertTrue(lines[0].startsWith(start) && lines[0].contains(contains), lines[0]);
    }

    /** Every node finished the same run; returns their common checksum. */
    private static String assertDone(final List<CliRun> nodes)
    {
        String checksum = null;
        for (int rank = 0; rank < nodes.size(); rank++)
        {
            final CliRun node = nodes.get(rank);
            assertEquals(0, node.exitCode(), node.out() + node.err());
            final Matcher done = CHECKSUM.matcher(node.out());
            assertTrue(done.find(), node.out());
            assertEquals(rank, Integer.parseInt(done.group(1)));
            if (checksum == null)
            {
                checksum = done.group(2);
            }
            assertEquals(checksum, done.group(2), "every node ends with the same parameters");
        }
        return checksum;
    }
}
