package io.tributary.trainer.model;

import io.tributary.trainer.config.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frozen update against the same formula in double, element by element: the first moment follows the
 * gradient, v stays bit for bit, and a weight whose v was zero at the freeze (its input was blank in every warmup
 * batch) takes a step bounded by the floor instead of one divided by epsilon.
 */
class FrozenVarianceAdamTest
{
    private static final double LR = 0.01;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;
    private static final int FEATURES = 5;
    private static final int CLASSES = 3;
    private static final int BATCH = 8;
    private static final int WARMUP = 6;

    @Test
    void theFrozenStepIsAdamsFirstMomentOverTheFrozenRootOfV()
    {
        final TrainableModel model = ModelFactory.init(BuiltinModels.mlp(FEATURES, CLASSES, List.of(4), "tanh",
            new OptimizerConfig(OptimizerConfig.Kind.ADAM, LR, 0, 0), 3));
        final Random random = new Random(11);
        for (int step = 0; step < WARMUP; step++)
        {
            model.computeGradient(features(random, true), labels(random));
            model.applyUpdate(0, BATCH);
        }
        assertEquals(1, model.freezeAdamVariance(WARMUP - 1));
        assertEquals(1, model.freezeAdamVariance(WARMUP - 1), "a second freeze leaves the frozen block");

        final int n = (int)model.numParams();
        final double[] m = slice(model.updaterState(), 0, n);
        final double[] v = slice(model.updaterState(), n, n);
        final float[] vBefore = model.updaterState().toFloatVector();
        final double[] params = toDoubles(model.params());
        int blankWeights = 0;
        for (final double value : v)
        {
            blankWeights += value == 0 ? 1 : 0;
        }
        assertTrue(blankWeights >= 4, "feature 0 was blank in the warmup: its 4 weights have v = 0");

        model.computeGradient(features(random, false), labels(random));
        final double[] gradient = toDoubles(model.flatGradients());
        model.applyUpdate(0, BATCH);

        final double[] denominator = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            denominator[i] = (Math.sqrt(v[i]) + EPS) / Math.sqrt(1 - Math.pow(BETA2, WARMUP));
            sum += denominator[i];
        }
        final double floor = FrozenVarianceAdam.FLOOR_OF_MEAN * sum / n;
        final double stepSize = LR / (1 - Math.pow(BETA1, WARMUP + 1));
        final double[] after = toDoubles(model.params());
        final double[] mAfter = slice(model.updaterState(), 0, n);
        for (int i = 0; i < n; i++)
        {
            final double firstMoment = BETA1 * m[i] + (1 - BETA1) * gradient[i] / BATCH;
            assertEquals(firstMoment, mAfter[i], 1e-6 * Math.max(1e-3, Math.abs(firstMoment)), "m[" + i + "]");
            final double expected = params[i] - stepSize * firstMoment / Math.max(denominator[i], floor);
            assertEquals(expected, after[i], 1e-5 * Math.max(1, Math.abs(expected)), "parameter " + i);
        }
        final float[] vAfter = model.updaterState().toFloatVector();
        for (int i = n; i < 2 * n; i++)
        {
            assertEquals(vBefore[i], vAfter[i], "v[" + (i - n) + "] moved");
        }
    }

    private static INDArray features(final Random random, final boolean blankFirst)
    {
        final float[] values = new float[BATCH * FEATURES];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = blankFirst && i % FEATURES == 0 ? 0 : (float)random.nextGaussian();
        }
        return Nd4j.create(values, new long[]{ BATCH, FEATURES }).castTo(DataType.FLOAT);
    }

    private static INDArray labels(final Random random)
    {
        final INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
        for (int row = 0; row < BATCH; row++)
        {
            labels.putScalar(row, random.nextInt(CLASSES), 1);
        }
        return labels;
    }

    private static double[] slice(final INDArray flat, final int from, final int length)
    {
        final double[] all = flat.castTo(DataType.DOUBLE).toDoubleVector();
        final double[] part = new double[length];
        System.arraycopy(all, from, part, 0, length);
        return part;
    }

    private static double[] toDoubles(final INDArray array)
    {
        return array.castTo(DataType.DOUBLE).toDoubleVector();
    }
}
