package io.tributary.trainer.model;

import io.tributary.trainer.config.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Adam's first moment of a unit without gradient sticks at a subnormal; the flush takes it to zero. */
class SubnormalFlushTest
{
    private static final float FOUR_ULPS = Float.MIN_VALUE * 4;

    @Test
    void adamsFirstMomentSticksAtTheLeastSubnormalsWithoutAGradient()
    {
        final INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 4);
        state.putScalar(0, 0, FOUR_ULPS);
        state.putScalar(0, 1, FOUR_ULPS);
        final GradientUpdater<?> adam = new Adam(1e-3).instantiate(state, false);
        for (int iteration = 0; iteration < 50; iteration++)
        {
            adam.applyUpdater(Nd4j.zeros(DataType.FLOAT, 1, 2), iteration, 0);
        }
        // 0.9 * 4 ulps rounds back to 4 ulps: DL4J's moment never decays to zero.
        assertEquals(FOUR_ULPS, state.getFloat(0, 0));
        assertEquals(FOUR_ULPS, state.getFloat(0, 1));
    }

    @Test
    void zeroesOnlySubnormalsAndOnlyWhenAPeriodEnds()
    {
        final OptimizerConfig adamConfig = new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3, 0, 0.9);
        final TrainableModel model = ModelFactory.init(BuiltinModels.mlp(6, 3, List.of(5), "tanh", adamConfig, 1));
        final float[] values = { FOUR_ULPS, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-30f, 0, 1, -0.5f };
        final INDArray head = model.updaterState().get(NDArrayIndex.interval(0, values.length));
        head.assign(Nd4j.createFromArray(values));

        model.setIteration(SubnormalFlush.EVERY_STEPS - 1);
        SubnormalFlush.afterStep(model);
        assertArrayEquals(values, head.toFloatVector());

        model.setIteration(3 * SubnormalFlush.EVERY_STEPS);
        SubnormalFlush.afterStep(model);
        assertArrayEquals(new float[]{ 0, 0, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-30f, 0, 1, -0.5f },
            head.toFloatVector());
    }
}
