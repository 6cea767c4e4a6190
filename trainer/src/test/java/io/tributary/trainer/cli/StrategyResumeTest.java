package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A local-sgd or ssp job of 2 nodes stopped at global step 4 and resumed ends bit-identical to the uninterrupted
 * one. Step 4 is inside a local-sgd period (warmup 1, period 4: averagings after steps 5, 6 (the epoch's end),
 * 9, 12), so every node's own parameters, updater state and the period's anchor travel in the checkpoint; under
 * ssp the staleness-many reduced gradients not yet applied travel there, with a codec's residuals (under local-sgd
 * its codec compresses the averaging, and the residual travels too). Sync with top-k after a warmup of 2 exact
 * steps and Adam's variance frozen after step 3 stops past the freeze: the resumed run freezes again from the v
 * its checkpoint holds. metrics.json writes the strategy's keys. Evaluations every 3 steps (3 and 9 mid-epoch, 6
 * and 12 at the epoch ends; local-sgd averages at 3 first, which leaves its later averagings where they were)
 * give the accuracy curve, which the resumed job continues: the evaluation at step 3 travels in the checkpoint.
 */
class StrategyResumeTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [16]",
        "data:", "  type: synthetic", "  size: 96", "  test_size: 20", "  features: 6", "  classes: 3",
        "optimizer:", "  type: adam", "  lr: 0.01",
        "run:", "  epochs: 2", "  batch_size: 16", "  seed: 5", "  checkpoint_steps: 2",
        "  eval_every_steps: 3",
        "cluster:", "  devices: 2", "  timeout_s: 10", "  scheme: SCHEME",
        "strategy:", "  check_every: 1", "");
    private static final Pattern CHECKSUM = Pattern.compile("done: node (\\d) of 2, 2 epochs, 12 steps, .*checksum (\\w+)\\)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "leader  | type: local-sgd, warmup_steps: 1, period: 4, average_updater: false | period=4",
        "sharded | type: local-sgd, warmup_steps: 1, period: 4, average_updater: true  | average_updater=true",
        "leader  | type: ssp, staleness: 2                                              | staleness=2",
        "leader  | type: local-sgd, warmup_steps: 1, period: 4, codec: topk, topk_ratio: 0.1 | codec=topk",
        "sharded | type: ssp, staleness: 1, warmup_steps: 2, codec: topk, topk_ratio: 0.1 | warmup_steps=2",
        "leader  | codec: topk, topk_ratio: 0.1, warmup_steps: 2, freeze_variance_after: 3 | freeze_variance_after=3" })
    void aResumedJobEndsBitIdentical(final String scheme, final String strategy, final String metricsKey)
        throws Exception
    {
        final StringBuilder yaml = new StringBuilder(CONFIG.replace("SCHEME", scheme));
        for (final String knob : strategy.split(","))
        {
            yaml.append("  ").append(knob.trim()).append('\n');
        }
        final Path config = Files.writeString(dir.resolve("job.yaml"), yaml.toString());
        final Path whole = dir.resolve("whole");
        final String checksum = checksum(new CliJob(2).run(config, whole));

        final JsonNode metrics = new ObjectMapper().readTree(whole.resolve(RunDirectory.METRICS).toFile());
        final JsonNode written = metrics.get("strategy");
        final String[] key = metricsKey.split("=");
        assertEquals(key[1], written.get(key[0]).asText(), written.toString());

        final Path parted = dir.resolve("parted");
        for (final CliRun node : new CliJob(2).run(config, parted, "--stop-after-steps", "3"))
        {
            assertEquals(0, node.exitCode(), node.err());
            assertTrue(node.out().contains("at global step 4 (--stop-after-steps 3)"), node.out());
        }
        final List<CliRun> resumed = new CliJob(2).run(config, parted, "--resume", parted.toString());
        assertEquals(checksum, checksum(resumed), "the resumed job must end where the uninterrupted one ended");

        final JsonNode curve = metrics.get("accuracy_curve");
        assertEquals("3 0.5, 6 1.0, 9 1.5, 12 2.0", steps(curve), curve.toString());
        assertEquals(metrics.get("test_accuracy").asDouble(), curve.get(3).get("accuracy").asDouble());
        final JsonNode resumedCurve = new ObjectMapper().readTree(parted.resolve(RunDirectory.METRICS).toFile())
            .get("accuracy_curve");
        assertEquals(steps(curve), steps(resumedCurve), resumedCurve.toString());
        for (int i = 0; i < curve.size(); i++)
        {
            assertEquals(curve.get(i).get("accuracy").asDouble(), resumedCurve.get(i).get("accuracy").asDouble());
        }
    }

    private static String steps(final JsonNode curve)
    {
        final List<String> steps = new ArrayList<>();
        curve.forEach(point -> steps.add(point.get("step").asLong() + " " + point.get("epoch").asDouble()));
        return String.join(", ", steps);
    }

    private static String checksum(final List<CliRun> nodes)
    {
        return CliJob.commonChecksum(nodes, CHECKSUM);
    }
}
