package io.tributary.trainer.codec;

import io.tributary.trainer.config.StrategyConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error-feedback identity of every lossy codec: what a step sends plus what it keeps equals the gradient plus
 * what was kept before, {@code fl(sent + residual') == fl(gradient + residual)}, over several steps of gradients
 * that span many magnitudes (fp16's clamp at 65504 included).
 *
 * <p>Bit for bit for fp16 and bf16 (rounding to fewer mantissa bits leaves an exactly representable remainder,
 * and a clamped value's remainder is exact by Sterbenz's lemma up to 2 * 65504), top-k (values move whole) and
 * threshold (tau has 4 significant bits, so r -+ tau is exact for |r| < 2^19 tau). qsgd8's decoded value
 * {@code code * scale / 127} lies on no common grid with the gradient, so {@code v - sent} may round: there the
 * identity holds to half an ulp of the subtraction, at most 2^-24 times the bucket's scale.
 */
class CodecErrorFeedbackTest
{
    private static final int N = 10_000;
    private static final int STEPS = 6;

    @ParameterizedTest
    @ValueSource(strings = { "fp16", "bf16", "qsgd8", "topk", "threshold" })
    void sentPlusNewResidualIsGradientPlusOldResidual(final String name)
    {
        final StrategyConfig strategy = new StrategyConfig("sync", name, 100, Codecs.NONE, 0.01, Double.NaN, 0.01, 64,
            false, 1, StrategyConfig.Schedule.DEFAULT);
        final SplittableRandom random = new SplittableRandom(11);
        try (GradientCodec codec = Codecs.create(name, strategy, N))
        {
            int inexact = 0;
            for (int step = 0; step < STEPS; step++)
            {
                final ByteBuffer x = gradient(random);
                final float[] expected = new float[N];
                for (int i = 0; i < N; i++)
                {
                    expected[i] = x.getFloat(i << 2) + codec.residual().getFloat(i << 2);
                }
                codec.compress(x, step);
                for (int i = 0; i < N; i++)
                {
                    final float sent = x.getFloat(i << 2);
                    final float kept = codec.residual().getFloat(i << 2);
                    final float total = sent + kept;
                    if (Float.floatToRawIntBits(total) != Float.floatToRawIntBits(expected[i]))
                    {
                        inexact++;
                        assertEquals("qsgd8", name, "element " + i + " at step " + step + ": sent " + sent + " + kept " +
                            kept + " = " + total + ", expected " + expected[i]);
                        assertTrue(Math.abs(total - expected[i]) <= Math.ulp(Math.max(Math.abs(sent), Math.abs(kept))),
                            "element " + i + ": " + total + " vs " + expected[i]);
                    }
                }
            }
            if (!"qsgd8".equals(name))
            {
                assertEquals(0, inexact);
            }
        }
    }

    /** Magnitudes from 1e-8 to 1e3, a few signs flipped, and (for fp16) values beyond its range. */
    static ByteBuffer gradient(final SplittableRandom random)
    {
        final ByteBuffer x = DirectFloats.floats(N);
        for (int i = 0; i < N; i++)
        {
            final double magnitude = Math.pow(10, -8 + 11 * random.nextDouble());
            float v = (float)(random.nextBoolean() ? magnitude : -magnitude);
            if (i % 997 == 0)
            {
                v = (float)(v > 0 ? 1e5 : -9e4);
            }
            x.putFloat(i << 2, v);
        }
        return x;
    }
}
