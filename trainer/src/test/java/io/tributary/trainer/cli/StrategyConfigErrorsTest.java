package io.tributary.trainer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keys of one strategy type under another, and out-of-range knobs: one stderr line naming the key, exit 2. */
class StrategyConfigErrorsTest
{
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "staleness: 2                          | strategy.staleness: only with strategy.type ssp or async, got type sync",
        "type: local-sgd, staleness: 1         | strategy.staleness: only with strategy.type ssp or async, got type local-sgd",
        "period: 4                             | strategy.period: only with strategy.type local-sgd or async, got type sync",
        "type: ssp, period: 4                  | strategy.period: only with strategy.type local-sgd or async, got type ssp",
        "type: ssp, average_updater: true      | strategy.average_updater: only with strategy.type local-sgd, got type ssp",
        "warmup_steps: 3                       | strategy.warmup_steps: under strategy.type sync it delays strategy.codec, which is none; remove it or set a codec",
        "type: local-sgd, freeze_variance_after: 5 | strategy.freeze_variance_after: only with strategy.type sync, got type local-sgd",
        "freeze_variance_after: 5              | strategy.freeze_variance_after: is for a codec's delayed values, and strategy.codec is none; remove it or set a codec",
        "codec: topk, freeze_variance_after: -1 | strategy.freeze_variance_after: expected an integer >= 0, got -1",
        "type: local-sgd, period: 0            | strategy.period: expected an integer >= 1, got 0",
        "type: ssp, staleness: -1              | strategy.staleness: expected an integer in [0, 1024], got -1",
        "type: local-sgd, warmup_steps: -2     | strategy.warmup_steps: expected an integer >= 0, got -2",
        "type: ssp, overlap: true              | strategy.overlap: expected false under strategy.type ssp",
        "type: local-sgd, overlap: true        | strategy.overlap: expected false under strategy.type local-sgd",
        "type: local-sgd, intra_codec: fp16    | strategy.intra_codec: expected none under strategy.type local-sgd",
        "type: async, period: 0                | strategy.period: expected an integer >= 1, got 0",
        "type: async, average_updater: true    | strategy.average_updater: only with strategy.type local-sgd, got type async",
        "type: async, intra_codec: fp16        | strategy.intra_codec: expected none under strategy.type async",
        "type: asynch                          | strategy.type: expected one of sync, local-sgd, ssp, async, got 'asynch'" })
    void aWrongCombinationIsOneLine(final String strategy, final String message) throws IOException
    {
        final StringBuilder yaml = new StringBuilder(CliRun.SMALL_CONFIG).append("strategy:\n");
        for (final String knob : strategy.split(","))
        {
            yaml.append("  ").append(knob.trim()).append('\n');
        }
        final Path file = Files.writeString(dir.resolve("strategy.yaml"), yaml.toString());
        CliRun.train(file, dir.resolve("out")).assertUserError(file + ": " + message, "");
    }

    @Test
    void aFrozenVarianceNeedsAdam() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("sgd.yaml"), CliRun.SMALL_CONFIG +
            "optimizer:\n  type: sgd\nstrategy:\n  codec: topk\n  freeze_variance_after: 2\n");
        CliRun.train(file, dir.resolve("out")).assertUserError(file + ": strategy.freeze_variance_after: freezes Adam's " +
            "variance, so it needs optimizer.type adam, got sgd", "");
    }
}
