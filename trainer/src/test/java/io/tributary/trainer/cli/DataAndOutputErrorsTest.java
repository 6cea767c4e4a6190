package io.tributary.trainer.cli;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data and outputs a run cannot use: one stderr line and exit code 2 through the real CLI entry, and no
 * run directory left behind by a run that never started.
 */
class DataAndOutputErrorsTest
{
    private static final String SYNTHETIC = CliRun.SMALL_CONFIG;

    @TempDir
    Path dir;

    @Test
    void fewerTrainingExamplesThanDevices() throws IOException
    {
        assertOneLine("1 training examples for 2 devices", train(write("s.yaml", SYNTHETIC), "--set", "data.size=1"));
    }

    @Test
    void aOneRowCsvCannotHoldOutATestSet() throws IOException
    {
        final Path csv = Files.writeString(dir.resolve("one.csv"), "1,2,0\n");
        final Path config = write("csv.yaml", "data:\n  type: csv\n  path: " + csv + "\ncluster:\n  devices: 1\n" +
            "run:\n  batch_size: 1\n");
        assertOneLine(csv + ": 1 data row", train(config));
    }

    @Test
    void aRunThatDivergesStopsWithOneLineAndExitCode4() throws IOException
    {
        // Features near the float maximum overflow the first layer within a few steps.
        final StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            rows.append("3e38,-3e38,3e38,").append(i % 2).append('\n');
        }
        final Path csv = Files.writeString(dir.resolve("huge.csv"), rows);
        final Path config = write("diverge.yaml", "data:\n  type: csv\n  path: " + csv + "\ncluster:\n  devices: 2\n" +
            "strategy:\n  check_every: 1\nrun:\n  batch_size: 8\n");
        final CliRun run = train(config);
        assertEquals(4, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().matches("tributary: stopped, training diverged: parameter \\d+ is NaN after global step \\d+ " +
            "\\(loss [^)]+\\); lower optimizer.lr or check the data\\R"), run.err());
    }

    @Test
    void anIdxFileWithNoExamples() throws IOException
    {
        assertOneLine("implausible IDX image header (0 x 28 x 28)", train(fashion(0, 28, 28, 0)));
    }

    @Test
    void anIdxHeaderWhoseSizeOverflowsAnInt() throws IOException
    {
        assertOneLine("implausible IDX image header (9000000 x 28 x 28)", train(fashion(9_000_000, 28, 28, 0)));
    }

    @Test
    void anIdxHeaderClaimingMoreThanTheFileHasIsTruncatedNotAllocated() throws IOException
    {
        final Path config = fashion(2_700_000, 28, 28, 784);
        assertOneLine(dir.resolve("fm/train-images-idx3-ubyte.gz") + ": truncated", train(config));
    }

    @Test
    void syntheticDataTooLargeForOneArrayNamesTheKey() throws IOException
    {
        assertOneLine("--set data.size=3000000: data.size:",
            train(write("s.yaml", SYNTHETIC), "--set", "data.features=1000", "--set", "data.size=3000000"));
    }

    @Test
    void aKeyOfAnotherDataTypeIsUnknown() throws IOException
    {
        assertOneLine(dir.resolve("s.yaml") + ": data.dir: unknown key",
            train(write("s.yaml", SYNTHETIC.replace("  classes: 2", "  classes: 2\n  dir: /tmp"))));
    }

    @Test
    void anOutputDirectoryThatExistsButCannotBeWritten() throws IOException
    {
        final CliRun result = CliRun.of("train", write("s.yaml", SYNTHETIC).toString(), "--out", "/proc/self");
        assertOneLine("--out /proc/self: cannot create the run directory /proc/self or write in it", result);
    }

    @Test
    void aRunThatFailsBeforeTrainingLeavesNoRunDirectory() throws IOException
    {
        final Path notAModel = Files.writeString(dir.resolve("model.json"), "{\"not\": \"a model\"}");
        final Path config = write("m.yaml", SYNTHETIC.replace("  builtin: mlp\n  hidden: [8]", "  path: " + notAModel));
        final Path out = dir.resolve("run");
        assertOneLine("model.path " + notAModel, CliRun.of("train", config.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out), "a run directory was left behind");
    }

    @Test
    void aFrozenVarianceIsRefusedAtStartForAModelFileWithoutAdam() throws IOException
    {
        final String json = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1)).list()
            .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
            .setInputType(InputType.feedForward(4))
            .build().toJson();
        final Path model = Files.writeString(dir.resolve("sgd.json"), json);
        final Path config = write("sgd.yaml", SYNTHETIC.replace("  builtin: mlp\n  hidden: [8]", "  path: " + model) +
            "strategy:\n  codec: topk\n  freeze_variance_after: 1000\n");

        assertOneLine("strategy.freeze_variance_after: the model's updater has no Adam block to freeze", train(config));
    }

    @Test
    void batchNormalizationIsRefusedOnSeveralDevicesAndTrainsOnOne() throws IOException
    {
        final String json = new NeuralNetConfiguration.Builder().seed(1).list()
            .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
            .layer(new BatchNormalization.Builder().build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
            .setInputType(InputType.feedForward(4))
            .build().toJson();
        final Path model = Files.writeString(dir.resolve("bn.json"), json);
        final Path config = write("bn.yaml", SYNTHETIC.replace("  builtin: mlp\n  hidden: [8]", "  path: " + model));

        assertOneLine("model: parameters [layer1/mean, layer1/log10stdev] are running batch statistics", train(config));
        final CliRun one = train(config, "--set", "cluster.devices=1");
        assertEquals(0, one.exitCode(), one.err());
    }

    private CliRun train(final Path config, final String... extra)
    {
        return CliRun.train(config, dir.resolve("out"), extra);
    }

    /** A Fashion-MNIST directory whose training images claim {@code count} images but hold {@code bytes}. */
    private Path fashion(final int count, final int rows, final int cols, final int bytes) throws IOException
    {
        final Path data = Files.createDirectories(dir.resolve("fm"));
        try (DataOutputStream out = gzip(data.resolve("train-images-idx3-ubyte.gz")))
        {
            out.writeInt(0x803);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(new byte[bytes]);
        }
        for (final String name : new String[]{ "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz" })
        {
            Files.write(data.resolve(name), new byte[0]);
        }
        return write("fm.yaml", "data:\n  dir: " + data + "\n");
    }

    private static DataOutputStream gzip(final Path file) throws IOException
    {
        final OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(new GZIPOutputStream(raw));
    }

    private static void assertOneLine(final String contains, final CliRun result)
    {
        result.assertUserError("", contains);
    }

    private Path write(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }
}
