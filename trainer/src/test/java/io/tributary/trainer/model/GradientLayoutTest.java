package io.tributary.trainer.model;

import io.tributary.trainer.config.OptimizerConfig;
import io.tributary.trainer.replica.sync.Buckets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradientLayoutTest
{
    private static final OptimizerConfig ADAM = new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3, 0, 0.9);

    /** An MLP 30-64-32-4 keeps each layer's W then b, layer after layer: offsets are the running sums. */
    @Test
    void layersLieInForwardOrderAtTheirRunningSums()
    {
        final TrainableModel mlp = ModelFactory.init(BuiltinModels.mlp(30, 4, List.of(64, 32), "relu", ADAM, 1));
        final GradientLayout layout = mlp.gradientLayout();
        assertArrayEquals(new long[]{ 0, 30 * 64 + 64, 30 * 64 + 64 + 64 * 32 + 32 }, layout.offsets());
        assertArrayEquals(new long[]{ 30 * 64 + 64, 64 * 32 + 32, 32 * 4 + 4 }, layout.lengths());
    }

    /**
     * LeNet's pooling layers have no parameters and no place; with 1 MB buckets its output layer (20 KB) closes a
     * bucket because the 400k dense layer (1.6 MB) would take it past the cap, the dense layer is a bucket of its
     * own, and the convolutions are the last.
     */
    @Test
    void lenetBucketsSeparateTheDenseLayerFromTheConvolutions()
    {
        final TrainableModel lenet = ModelFactory.init(BuiltinModels.lenet(28 * 28, 10, ADAM, 1));
        final GradientLayout layout = lenet.gradientLayout();
        assertEquals(4, layout.layers(), "conv, conv, dense, output");
        final Buckets buckets = Buckets.of(layout, lenet.numParams(), 1 << 20);
        assertEquals(3, buckets.count());
        assertEquals(layout.offsets()[3], buckets.from(0), "bucket 0: the output layer");
        assertEquals(lenet.numParams(), buckets.from(0) + buckets.length(0));
        assertEquals(layout.offsets()[2], buckets.from(1), "bucket 1: the dense layer");
        assertEquals(layout.lengths()[2], buckets.length(1));
        assertEquals(0, buckets.from(2), "bucket 2: the convolutions");
        assertEquals(buckets.from(1), buckets.length(2));
    }
}
