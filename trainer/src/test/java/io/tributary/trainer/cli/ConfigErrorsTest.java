package io.tributary.trainer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every class of bad input: exactly one stderr line naming file, key path and expectation; exit code 2. */
class ConfigErrorsTest
{
    private static final String VALID = CliRun.SMALL_CONFIG;

    @TempDir
    Path dir;

    @Test
    void malformedYamlGivesLineAndColumn() throws IOException
    {
        final Path file = write("bad.yaml", "model:\n  builtin: mlp\n  hidden: [8, 4\nrun:\n  epochs: 1\n");
        assertOneLine(file + ": line 4, column ", ": malformed YAML: ", run(file));
    }

    @Test
    void duplicateKeyIsMalformed() throws IOException
    {
        final Path file = write("dup.yaml", VALID + "run:\n  epochs: 2\n");
        assertOneLine(file + ": line ", ": malformed YAML: Duplicate field 'run'", run(file));
    }

    @Test
    void unknownKeySuggestsTheClosest() throws IOException
    {
        final Path file = write("typo.yaml", VALID.replace("  epochs: 1", "  epocs: 1"));
        assertOneLine(file + ": run.epocs: unknown key (did you mean 'epochs'?)", "", run(file));
    }

    @Test
    void unknownSectionSuggestsTheClosest() throws IOException
    {
        final Path file = write("section.yaml", VALID + "optimiser:\n  lr: 0.1\n");
        assertOneLine(file + ": optimiser: unknown key (did you mean 'optimizer'?)", "", run(file));
    }

    @Test
    void wrongTypeNamesTheExpectedType() throws IOException
    {
        final Path file = write("type.yaml", VALID.replace("  epochs: 1", "  epochs: five"));
        assertOneLine(file + ": run.epochs: expected an integer, got 'five'", "", run(file));
    }

    @Test
    void wrongTypeInsideAList() throws IOException
    {
        final Path file = write("list.yaml", VALID.replace("hidden: [8]", "hidden: [8, wide]"));
        assertOneLine(file + ": model.hidden[1]: expected an integer, got 'wide'", "", run(file));
    }

    @Test
    void batchSmallerThanDevices() throws IOException
    {
        final Path file = write("batch.yaml", VALID);
        assertOneLine(file + ": run.batch_size: expected at least one example per device: >= 2 (cluster.devices), got 1",
            "", run(write("batch.yaml", VALID.replace("batch_size: 16", "batch_size: 1"))));
        assertOneLine("--set run.batch_size=1: run.batch_size: expected at least one example per device", "",
            run(file, "--set", "run.batch_size=1"));
    }

    @Test
    void learningRateMustBePositive() throws IOException
    {
        final Path file = write("lr.yaml", VALID + "optimizer:\n  type: sgd\n  lr: 0\n");
        assertOneLine(file + ": optimizer.lr: expected a number > 0 and <= 10, got 0", "", run(file));
    }

    @Test
    void learningRateDecayMustBeAFraction() throws IOException
    {
        final Path file = write("gamma.yaml", VALID + "optimizer:\n  type: sgd\n  lr_gamma: 1.5\n");
        assertOneLine(file + ": optimizer.lr_gamma: expected a number > 0 and <= 1, got 1.5", "", run(file));
    }

    @Test
    void syntheticSpreadMustNotBeNegative() throws IOException
    {
        final Path file = write("spread.yaml", VALID.replace("type: synthetic", "type: synthetic\n  spread: -1"));
        assertOneLine(file + ": data.spread: expected a number >= 0 and <= 1000, got -1", "", run(file));
    }

    @Test
    void devicesMustBeAtLeastOne() throws IOException
    {
        final Path file = write("devices.yaml", VALID.replace("devices: 2", "devices: 0"));
        assertOneLine(file + ": cluster.devices: expected an integer in [1, 256], got 0", "", run(file));
    }

    @Test
    void evaluationCadenceMustNotBeNegative() throws IOException
    {
        final Path file = write("ok.yaml", VALID);
        assertOneLine("--set run.eval_every_steps=-1: run.eval_every_steps: expected an integer >= 0, got -1",
            "", run(file, "--set", "run.eval_every_steps=-1"));
    }

    @Test
    void overrideErrorsNameTheOverride() throws IOException
    {
        final Path file = write("ok.yaml", VALID);
        assertOneLine("--set run.epochs=abc: run.epochs: expected an integer, got 'abc'", "",
            run(file, "--set", "run.epochs=abc"));
        assertOneLine("--set run.epoch=2: run.epoch: unknown key (did you mean 'epochs'?)", "",
            run(file, "--set", "run.epoch=2"));
        assertOneLine("--set nonsense: expected key.path=value, such as run.epochs=1", "", run(file, "--set", "nonsense"));
    }

    @Test
    void missingDataDirectorySaysHowToInstall() throws IOException
    {
        final Path file = write("fashion.yaml", "data:\n  type: fashion-mnist\n  dir: " + dir.resolve("nowhere") + "\n");
        assertOneLine(file + ": data.dir: no Fashion-MNIST file " + dir.resolve("nowhere"),
            "; install the data with: sudo apt-get install dataset-fashion-mnist", run(file));
    }

    @Test
    void unknownChoiceSuggestsTheClosest() throws IOException
    {
        final Path file = write("choice.yaml", VALID + "optimizer:\n  type: adamw\n");
        assertOneLine(file + ": optimizer.type: expected one of sgd, nesterov, adam, got 'adamw' (did you mean 'adam'?)",
            "", run(file));
    }

    @Test
    void missingConfigFile()
    {
        final Path file = dir.resolve("absent.yaml");
        assertOneLine(file + ": no such file", "", run(file));
    }

    @Test
    void corruptDataFileIsOneLine() throws IOException
    {
        final Path data = Files.createDirectories(dir.resolve("fm"));
        for (final String name : io.tributary.trainer.config.DataConfig.FASHION_FILES)
        {
            Files.write(data.resolve(name), new byte[]{ 1, 2, 3 });
        }
        final Path file = write("corrupt.yaml", "data:\n  dir: " + data + "\n");
        assertOneLine(data.resolve("train-images-idx3-ubyte.gz") + ": corrupt gzip stream", "", run(file));
    }

    @Test
    void anOutputDirectoryThatCannotBeCreated() throws IOException
    {
        final Path file = write("ok.yaml", VALID);
        final Path blocker = write("a-file", "");
        final CliRun result = CliRun.of("train", file.toString(), "--out", blocker.resolve("run").toString());
        assertEquals(2, result.exitCode());
        assertEquals(1, result.errLines().length, result.err());
        assertTrue(result.err().startsWith("tributary: --out " + blocker.resolve("run") + ": cannot create the run directory"),
            result.err());
    }

    @Test
    void unknownOptionIsAUsageError() throws IOException
    {
        final CliRun result = CliRun.of("train", write("ok.yaml", VALID).toString(), "--epochs", "3");
        assertEquals(2, result.exitCode());
        assertFalse(result.err().contains("\tat "), result.err());
    }

    private CliRun run(final Path file, final String... extra)
    {
        return CliRun.train(file, dir.resolve("out"), extra);
    }

    private static void assertOneLine(final String expectedStart, final String contains, final CliRun result)
    {
        result.assertUserError(expectedStart, contains);
    }

    private static void assertTrue(final boolean condition, final String message)
    {
        org.junit.jupiter.api.Assertions.assertTrue(condition, message);
    }

    private Path write(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }
}
