package io.tributary.kernels;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfFloatsTest
{
    /** All finite non-negative binary16 values, ascending, as doubles: the grid a correct rounding picks from. */
    private static final double[] HALF_GRID = new double[0x7C00];

    static
    {
        for (int h = 0; h < 0x7C00; h++)
        {
            final int e = h >>> 10;
            final int m = h & 0x3FF;
            HALF_GRID[h] = e == 0 ? m * 0x1p-24 : (1024 + m) * Math.scalb(1.0, e - 25);
        }
    }

    /** Independent definition: nearest grid point, ties to the even code, 65520 and above to infinity. */
    private static int referenceHalf(final float x)
    {
        final int sign = Float.floatToRawIntBits(x) < 0 ? 0x8000 : 0;
        final double a = Math.abs((double)x);
        if (Float.isNaN(x))
        {
            return sign | 0x7E00;
        }
        if (a >= 65520.0)
        {
            return sign | 0x7C00;
        }
        int lo = 0;
        int hi = HALF_GRID.length - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi + 1) >>> 1;
            if (HALF_GRID[mid] <= a)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (lo == HALF_GRID.length - 1)
        {
            return sign | lo;
        }
        final double below = a - HALF_GRID[lo];
        final double above = HALF_GRID[lo + 1] - a;
        final int code = below < above ? lo : above < below ? lo + 1 : ((lo & 1) == 0 ? lo : lo + 1);
        return sign | code;
    }

    private static int referenceBfloat16(final float x)
    {
        final int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x))
        {
            return ((bits >>> 16) & 0x8000) | 0x7FC0;
        }
        final int lower = bits >>> 16;
        final double a = Math.abs((double)x);
        final double down = Math.abs((double)Float.intBitsToFloat(lower << 16));
        final int upperBits = (lower + 1) << 16;
        final double up = (upperBits & 0x7FFF_FFFF) >= 0x7F80_0000 ? Math.scalb(1.0, 128) : Math.abs((double)Float.intBitsToFloat(upperBits));
        final double dDown = a - down;
        final double dUp = up - a;
        return dDown < dUp ? lower : dUp < dDown ? lower + 1 : ((lower & 1) == 0 ? lower : lower + 1);
    }

    @Test
    void halfRoundTripsEveryCode()
    {
        for (int h = 0; h < 0x10000; h++)
        {
            final float f = HalfFloats.fromHalf((short)h);
            final boolean nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
            final int expected = nan ? (h & 0x8000) | 0x7E00 : h;
            assertEquals(expected, HalfFloats.toHalf(f) & 0xFFFF, "code " + Integer.toHexString(h));
            if (!nan)
            {
                assertEquals(f, (float)(((h & 0x8000) != 0 ? -1 : 1) * ((h & 0x7C00) == 0x7C00 ? Double.POSITIVE_INFINITY : HALF_GRID[h & 0x7FFF])));
            }
        }
    }

    @Test
    void halfNanKeepsPayloadOnUnpackAndIsQuietAfterPack()
    {
        assertEquals(0x7FC0_0000, Float.floatToRawIntBits(HalfFloats.fromHalf((short)0x7E00)));
        assertEquals(0xFF80_2000, Float.floatToRawIntBits(HalfFloats.fromHalf((short)0xFC01)));
        assertEquals(0x7E00, HalfFloats.toHalf(Float.intBitsToFloat(0x7F80_0001)));
        assertEquals((short)0xFE00, HalfFloats.toHalf(Float.intBitsToFloat(0xFFC1_2345)));
    }

    @Test
    void halfEdgesFollowTheDefinition()
    {
        assertEquals(0x7BFF, HalfFloats.toHalf(65504.0f));
        assertEquals(0x7BFF, HalfFloats.toHalf(Math.nextDown(65520.0f)));
        assertEquals(0x7C00, HalfFloats.toHalf(65520.0f));
        assertEquals(0x7C00, HalfFloats.toHalf(Float.POSITIVE_INFINITY));
        assertEquals((short)0xFC00, HalfFloats.toHalf(Float.NEGATIVE_INFINITY));
        assertEquals((short)0xFC00, HalfFloats.toHalf(-1e30f));
        assertEquals(0x0400, HalfFloats.toHalf(0x1p-14f));
        assertEquals(0x0001, HalfFloats.toHalf(0x1p-24f));
        assertEquals(0x0000, HalfFloats.toHalf(0x1p-25f), "a tie at half the smallest subnormal goes to even (zero)");
        assertEquals(0x0001, HalfFloats.toHalf(0x1.8p-25f));
        assertEquals(0x0003, HalfFloats.toHalf(0x1.8p-23f), "1.5 x 2^-23 = 3 x 2^-24 is exact");
        assertEquals(0x0002, HalfFloats.toHalf(0x1.4p-23f), "2.5 x 2^-24 ties to the even code 2");
        assertEquals(0x0000, HalfFloats.toHalf(Float.MIN_VALUE), "float subnormals flush to signed zero by rounding");
        assertEquals((short)0x8000, HalfFloats.toHalf(-Float.MIN_VALUE));
        assertEquals((short)0x8000, HalfFloats.toHalf(-0.0f));
        assertEquals(0x3C00, HalfFloats.toHalf(1.0f + 0x1p-11f), "tie between 1 and 1+2^-10 goes to even");
        assertEquals(0x3C02, HalfFloats.toHalf(1.0f + 0x1.8p-10f), "tie between 1+2^-10 and 1+2^-9 goes to even");
        assertEquals(0x3C01, HalfFloats.toHalf(1.0f + 0x1p-11f + 0x1p-23f));
    }

    @Test
    void halfPackMatchesNearestEvenOnRandomAndBoundaryFloats()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++)
        {
            final float x = Float.intBitsToFloat(random.nextInt());
            assertEquals(referenceHalf(x), HalfFloats.toHalf(x) & 0xFFFF, () -> "x = " + x);
        }
        for (int h = 0; h < 0x7C00; h++)
        {
            final float f = (float)HALF_GRID[h];
            final float midpoint = h + 1 < 0x7C00 ? (float)((HALF_GRID[h] + HALF_GRID[h + 1]) / 2) : 65520.0f;
            for (final float x : new float[]{Math.nextUp(f), Math.nextDown(f), midpoint, Math.nextUp(midpoint), Math.nextDown(midpoint)})
            {
                assertEquals(referenceHalf(x), HalfFloats.toHalf(x) & 0xFFFF, () -> "x = " + x);
                assertEquals(referenceHalf(-x), HalfFloats.toHalf(-x) & 0xFFFF, () -> "x = " + -x);
            }
        }
    }

    @Test
    void bfloat16RoundTripsEveryCodeAndRoundsToNearestEven()
    {
        for (int b = 0; b < 0x10000; b++)
        {
            final float f = HalfFloats.fromBfloat16((short)b);
            final boolean nan = (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0;
            assertEquals(nan ? (b & 0x8000) | 0x7FC0 : b, HalfFloats.toBfloat16(f) & 0xFFFF);
        }
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 300_000; i++)
        {
            final int bits = random.nextBoolean() ? random.nextInt() : (random.nextInt() & 0xFFFF_0000) | 0x8000;
            final float x = Float.intBitsToFloat(bits);
            assertEquals(referenceBfloat16(x), HalfFloats.toBfloat16(x) & 0xFFFF, () -> "x bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void bfloat16Edges()
    {
        assertEquals(0x7F80, HalfFloats.toBfloat16(Float.MAX_VALUE), "rounds past the largest bfloat16");
        assertEquals(0x7F7F, HalfFloats.toBfloat16(Float.intBitsToFloat(0x7F7F_7FFF)));
        assertEquals((short)0xFF80, HalfFloats.toBfloat16(Float.NEGATIVE_INFINITY));
        assertEquals(0x7FC0, HalfFloats.toBfloat16(Float.intBitsToFloat(0x7F80_0001)), "a signalling NaN stays NaN");
        assertEquals(0x0001, HalfFloats.toBfloat16(Float.intBitsToFloat(0x0001_0000)), "subnormals are kept");
        assertEquals(0x0000, HalfFloats.toBfloat16(Float.MIN_VALUE));
        assertEquals(0x3F80, HalfFloats.toBfloat16(Float.intBitsToFloat(0x3F80_8000)), "tie to even (down)");
        assertEquals(0x3F82, HalfFloats.toBfloat16(Float.intBitsToFloat(0x3F81_8000)), "tie to even (up)");
        assertTrue(Float.isNaN(HalfFloats.fromBfloat16((short)0x7FC0)));
    }
}
