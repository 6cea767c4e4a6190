package io.tributary.trainer.codec;

import io.tributary.trainer.config.StrategyConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdaptiveThresholdTest
{
    private static final int N = 100_000;

    @Test
    void roundingKeepsFourSignificantBits()
    {
        for (final float x : new float[]{ 1e-3f, 0.1f, 3.3f, 65504f, 1e-30f })
        {
            final float r = AdaptiveThreshold.round(x);
            assertEquals(0, Float.floatToRawIntBits(r) & ((1 << 19) - 1), "low bits of " + r);
            assertTrue(Math.abs(r - x) <= x / 32, x + " -> " + r);
        }
    }

    /**
     * Gradients with a steady mean per element (the signal) and noise: element i accumulates at rate |mean_i|,
     * so tau = E|mean| / density sends the target density. Averaged over the last 40 of 150 steps the density is
     * within a factor 1.5 of its 1% target.
     */
    @Test
    void theDensityFollowsItsTarget()
    {
        try (GradientCodec codec = Codecs.create("threshold", strategy(), N))
        {
            final SplittableRandom random = new SplittableRandom(5);
            final float[] mean = new float[N];
            for (int i = 0; i < N; i++)
            {
                mean[i] = (float)random.nextGaussian();
            }
            double density = 0;
            for (int step = 0; step < 150; step++)
            {
                final ByteBuffer x = DirectFloats.floats(N);
                for (int i = 0; i < N; i++)
                {
                    x.putFloat(i << 2, mean[i] + 0.1f * (float)random.nextGaussian());
                }
                codec.compress(x, step);
                density += step >= 110 ? codec.valuesSent() / (double)N / 40 : 0;
            }
            assertTrue(density > 0.01 / 1.5 && density < 0.01 * 1.5, "density " + density);
        }
    }

    /** A codec restored from another's state continues bit-identically: same messages, same residual. */
    @Test
    void restoredStateContinuesBitIdentically() throws IOException
    {
        for (final String name : Codecs.names())
        {
            if (Codecs.NONE.equals(name))
            {
                continue;
            }
            try (GradientCodec original = Codecs.create(name, strategy(), N);
                GradientCodec restored = Codecs.create(name, strategy(), N))
            {
                final SplittableRandom random = new SplittableRandom(9);
                for (int step = 0; step < 3; step++)
                {
                    original.compress(gaussian(random), step);
                }
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                original.writeState(new DataOutputStream(bytes));
                restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                final ByteBuffer a = gaussian(random);
                final ByteBuffer b = DirectFloats.floats(N);
                b.put(0, a, 0, N * Float.BYTES);
                assertEquals(original.compress(a, 3), restored.compress(b, 3), name);
                assertEquals(a, b, name + ": sent");
                assertEquals(original.residual(), restored.residual(), name + ": residual");
            }
        }
    }

    private static ByteBuffer gaussian(final SplittableRandom random)
    {
        final ByteBuffer x = DirectFloats.floats(N);
        for (int i = 0; i < N; i++)
        {
            x.putFloat(i << 2, (float)random.nextGaussian());
        }
        return x;
    }

    private static StrategyConfig strategy()
    {
        return new StrategyConfig("sync", "none", 100, Codecs.NONE, 0.01, Double.NaN, 0.01, 512, false, 1,
            StrategyConfig.Schedule.DEFAULT);
    }
}
