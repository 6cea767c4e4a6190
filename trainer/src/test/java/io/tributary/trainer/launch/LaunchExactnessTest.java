package io.tributary.trainer.launch;

import io.tributary.trainer.cli.Main;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exactness proof through the real launcher: N node processes on loopback train 20 SGD steps and
 * node 0's model.zip holds the parameters of one device trained on the whole batch. Only the float
 * summation order differs (node sums, then the ring), so the tolerance is SyncStepExactnessTest's for SGD:
 * max |diff| <= 1e-6. Every node prints the same final parameter checksum. A node of 2 devices beside a node of 1
 * trains twice its slice and ends the same.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaunchExactnessTest
{
    private static final int STEPS = 20;
    private static final double SGD_MAX_DIFF = 1e-6;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} nodes x {1} devices, {2}")
    @CsvSource({ "2, 2, leader", "2, 2, sharded", "3, 1, leader", "3, 1, sharded", "2, '[2, 1]', leader" })
    void nodesEndWithTheParametersOfOneDevice(final int nodes, final String devices, final String scheme)
        throws IOException
    {
        final Path config = SmallJob.write(dir, STEPS, 1, devices, scheme);
        final Path single = dir.resolve("single");
        final Captured reference = new Captured();
        assertEquals(0, Main.run(new String[] { "train", config.toString(), "--out", single.toString(),
            "--set", "cluster.devices=1", "--set", "cluster.scheme=leader" }, reference.out, reference.err),
            reference.err());

        final Path launched = dir.resolve("launched");
        final Captured io = new Captured();
        final int code = Main.run(new String[] { "launch", "--nodes", Integer.toString(nodes), config.toString(),
            "--out", launched.toString() }, io.out, io.err);

        assertEquals(0, code, io.out() + io.err());
        final List<String> checksums = finalChecksums(io.outLines(), nodes);
        assertEquals(nodes, checksums.size(), io.out());
        assertEquals(1, checksums.stream().distinct().count(), "node checksums differ: " + checksums);

        final INDArray expected = params(single);
        final INDArray actual = params(launched);
        assertEquals(expected.length(), actual.length());
        final double maxDiff = actual.sub(expected).amaxNumber().doubleValue();
        assertTrue(maxDiff <= SGD_MAX_DIFF, "max |diff| " + maxDiff);
    }

    /** The checksum of each node's "done:" line, in node order. */
    static List<String> finalChecksums(final List<String> lines, final int nodes)
    {
        final Pattern done = Pattern.compile("\\[node (\\d+)\\] done: node (\\d+) of " + nodes + ", 1 epochs, " +
            STEPS + " steps, .*\\(checksum ([0-9a-f]{8})\\)");
        return lines.stream().map(done::matcher).filter(Matcher::matches)
            .filter(m -> m.group(1).equals(m.group(2)))
            .sorted((a, b) -> Integer.compare(Integer.parseInt(a.group(1)), Integer.parseInt(b.group(1))))
            .map(m -> m.group(3)).toList();
    }

    private static INDArray params(final Path runDir) throws IOException
    {
        final MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(runDir.resolve("model.zip").toFile());
        return net.params().dup();
    }
}
