package io.tributary.trainer;

import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.data.ExampleSetIterator;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole training loop against plain DL4J {@code fit} over the same shuffled batches: 103 examples in
 * batches of 7 leave a last batch of 5, and with 3 devices the slices are 3/2/2 and 2/2/1; with 6 devices
 * the last batch leaves one replica an empty slice.
 */
class TrainerTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [12, 6]",
        "data:", "  type: synthetic", "  size: 103", "  test_size: 40", "  features: 10", "  classes: 3",
        "optimizer:", "  type: sgd", "  lr: 0.05",
        "strategy:", "  check_every: 1",
        "run:", "  epochs: 2", "  batch_size: 7", "  seed: 5", "");

    /** SGD keeps summation-order differences at a few ulps; see SyncStepExactnessTest for the argument. */
    private static final double MAX_DIFF = 1e-6;

    /** run.max_steps cuts the run short mid-epoch, evaluates, and leaves a position inside that epoch. */
    @Test
    void maxStepsEndsTheRunMidEpochAndStillEvaluates()
    {
        final TrainConfig config = ConfigLoader.parse("trainer-test.yaml", CONFIG, List.of("run.max_steps=20"));
        try (Trainer trainer = new Trainer(config, DataSource.of(config.data()).load()))
        {
            final TrainResult result = trainer.train(TrainingListener.NONE);
            assertEquals(20, result.steps());
            assertTrue(result.testAccuracy() >= 0 && result.testAccuracy() <= 1, "accuracy " + result.testAccuracy());
            assertEquals(1, trainer.position().epoch(), "15 steps an epoch: the second epoch was cut short");
            assertEquals(5, trainer.position().step());
        }
    }

    /**
     * run.eval_every_steps 4 over 2 epochs of 15 steps, epoch ends not asked for: the curve has steps 4 .. 28 and the
     * run's end (30), whose accuracy is the run's; the evaluations leave a sync run's parameters untouched.
     */
    @Test
    void evaluationsEveryFourStepsMakeTheCurveAndChangeNoStep()
    {
        final TrainConfig plain = ConfigLoader.parse("trainer-test.yaml", CONFIG, List.of("run.eval_each_epoch=false", "cluster.devices=2"));
        final TrainConfig config = ConfigLoader.parse("trainer-test.yaml", CONFIG,
            List.of("run.eval_each_epoch=false", "run.eval_every_steps=4", "cluster.devices=2"));
        final TrainResult withCurve;
        final TrainResult without;
        try (Trainer trainer = new Trainer(config, DataSource.of(config.data()).load()))
        {
            withCurve = trainer.train(TrainingListener.NONE);
        }
        try (Trainer trainer = new Trainer(plain, DataSource.of(plain.data()).load()))
        {
            without = trainer.train(TrainingListener.NONE);
        }
        final List<AccuracyPoint> curve = withCurve.accuracyCurve();
        assertEquals(List.of(4L, 8L, 12L, 16L, 20L, 24L, 28L, 30L),
            curve.stream().map(AccuracyPoint::globalStep).toList());
        assertEquals(4 / 15.0, curve.get(0).epoch(), 1e-12);
        assertEquals(2.0, curve.get(7).epoch(), 1e-12);
        assertEquals(withCurve.testAccuracy(), curve.get(7).accuracy());
        for (int i = 1; i < curve.size(); i++)
        {
            assertTrue(curve.get(i).trainSeconds() >= curve.get(i - 1).trainSeconds(), curve.toString());
        }
        assertEquals(List.of(30L), without.accuracyCurve().stream().map(AccuracyPoint::globalStep).toList());
        assertEquals(without.testAccuracy(), withCurve.testAccuracy());
        assertEquals(without.paramChecksum(), withCurve.paramChecksum(), "evaluating changes no sync step");
    }

    @Test
    void oneDeviceMatchesPlainFit()
    {
        assertMatchesPlainFit(1);
    }

    @Test
    void threeDevicesMatchPlainFitOverEpochsWithAShortLastBatch()
    {
        assertMatchesPlainFit(3);
    }

    @Test
    void aReplicaWithAnEmptySliceStillMatches()
    {
        assertMatchesPlainFit(6);
    }

    /** Shares cut the batch of 7 into 5/2 (5.25 and 1.75) and the last batch of 5 into 4/1: still plain fit's steps. */
    @Test
    void twoDevicesAtThreeToOneMatchPlainFit()
    {
        final TrainResult result = assertMatchesPlainFit(2, "cluster.shares=[3, 1]");
        assertEquals(List.of(3.0, 1.0), result.shares());
        assertTrue(result.shareChanges().isEmpty(), "fixed shares never change");
    }

    private static TrainResult assertMatchesPlainFit(final int devices, final String... overrides)
    {
        final List<String> sets = new java.util.ArrayList<>(List.of(overrides));
        sets.add("cluster.devices=" + devices);
        final TrainConfig config = ConfigLoader.parse("trainer-test.yaml", CONFIG, sets);
        final TrainTest data = DataSource.of(config.data()).load();

        final TrainableModel reference = ModelFactory.create(config.model(), config.optimizer(), config.run().seed(),
            data.train().numFeatures(), data.train().numClasses());
        final MultiLayerNetwork plain = (MultiLayerNetwork)reference.dl4jModel();
        final ExampleSetIterator batches = new ExampleSetIterator(data.train(), 7, config.run().seed(), true);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            plain.fit(batches);
        }

        final TrainResult result;
        try (Trainer trainer = new Trainer(config, data))
        {
            result = trainer.train(TrainingListener.NONE);
        }
        assertEquals(2 * 15, result.steps());
        assertEquals(2 * 103, result.samples());
        assertEquals(plain.getIterationCount(), result.model().iteration());
        final float[] expected = plain.params().toFloatVector();
        final float[] actual = result.model().params().toFloatVector();
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++)
        {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxDiff <= MAX_DIFF, "max |param diff| " + maxDiff);
        // Parameters agree to ulps, so at most a near-tie prediction may flip: one example of 40.
        final double plainAccuracy = plain.evaluate(new ExampleSetIterator(data.test(), 16, 0, false)).accuracy();
        assertEquals(plainAccuracy, result.testAccuracy(), 1.0 / 40 + 1e-9);
        assertTrue(result.testAccuracy() > 0.5, "better than chance (1/3): " + result.testAccuracy());
        return result;
    }
}
