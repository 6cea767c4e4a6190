package io.tributary.trainer.codec;

import io.tributary.trainer.config.StrategyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sparse messages decode to exactly what their sender kept as sent, and malformed ones are refused. */
class SparseMessagesTest
{
    private static final int N = 300_000;

    @ParameterizedTest
    @ValueSource(strings = { "topk", "threshold" })
    void aMessageDecodesToWhatItsSenderSent(final String name)
    {
        try (GradientCodec sender = codec(name); GradientCodec receiver = codec(name))
        {
            final SplittableRandom random = new SplittableRandom(3);
            for (int step = 0; step < 4; step++)
            {
                final ByteBuffer x = DirectFloats.floats(N);
                for (int i = 0; i < N; i++)
                {
                    // Mostly small values, a few large ones far apart: gaps wider than 16 bits need escapes.
                    x.putFloat(i << 2, (float)(random.nextGaussian() * (i % 70_001 == 5 ? 100 : 1e-3)));
                }
                final int bytes = sender.compress(x, step);
                assertEquals(0, bytes % 4);
                final ByteBuffer out = DirectFloats.floats(N);
                receiver.decodeAdd(sender.message(), bytes, out);
                int nonzero = 0;
                for (int i = 0; i < N; i++)
                {
                    assertEquals(Float.floatToRawIntBits(x.getFloat(i << 2)), Float.floatToRawIntBits(out.getFloat(i << 2)),
                        "element " + i);
                    nonzero += x.getFloat(i << 2) != 0 ? 1 : 0;
                }
                assertEquals(sender.valuesSent(), nonzero);
                // ~1% of the values, at 2 bytes (threshold) or 6 bytes (top-k) each, plus a small header.
                final int perValue = "topk".equals(name) ? 6 : 2;
                assertTrue(bytes <= 16 + perValue * nonzero + 2 * (N / 32_768 + 1) + 4, bytes + " bytes");
            }
        }
    }

    @Test
    void aMessageNamingAPositionBeyondTheVectorIsRefused()
    {
        try (GradientCodec big = Codecs.create("topk", strategy(), 2 * N); GradientCodec small = codec("topk"))
        {
            final ByteBuffer x = DirectFloats.floats(2 * N);
            x.putFloat((2 * N - 1) << 2, 5f);
            final int bytes = big.compress(x, 0);
            assertThrows(IllegalArgumentException.class, () -> small.decodeAdd(big.message(), bytes,
                DirectFloats.floats(N)));
        }
    }

    @Test
    void aMessageWithALengthThatDisagreesWithItsHeaderIsRefused()
    {
        try (GradientCodec codec = codec("threshold"))
        {
            final ByteBuffer x = DirectFloats.floats(N);
            x.putFloat(0, 1f);
            final int bytes = codec.compress(x, 0);
            assertThrows(IllegalArgumentException.class, () -> codec.decodeAdd(codec.message(), bytes + 4,
                DirectFloats.floats(N)));
        }
    }

    private static GradientCodec codec(final String name)
    {
        return Codecs.create(name, strategy(), N);
    }

    private static StrategyConfig strategy()
    {
        return new StrategyConfig("sync", "none", 100, Codecs.NONE, 0.01, Double.NaN, 0.01, 512, false, 1,
            StrategyConfig.Schedule.DEFAULT);
    }
}
