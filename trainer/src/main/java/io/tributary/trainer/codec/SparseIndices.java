package io.tributary.trainer.codec;

import java.nio.ByteBuffer;

/**
 * Ascending element indices as 16-bit gaps: entry j is stored as {@code index[j] - index[j-1] - 1} (the first
 * one as {@code index[0]}), and a gap too wide for one unit is preceded by escape units that each skip
 * {@code maxGap + 1} positions. With a sign bit ({@code signed}) an entry is {@code gap << 1 | negative}.
 * At 1% density the mean gap is 99, so an entry costs 2 bytes instead of 4.
 */
final class SparseIndices
{
    private static final int ESCAPE = 0xFFFF;

    private SparseIndices()
    {
    }

    /** The most units {@code count} entries over {@code n} positions can take. */
    static int maxUnits(final int count, final int n, final boolean signed)
    {
        return count + n / (maxGap(signed) + 1) + 1;
    }

    private static int maxGap(final boolean signed)
    {
        return signed ? (ESCAPE - 1) >>> 1 : ESCAPE - 1;
    }

    /**
     * Packs {@code count} ints of {@code entries} (indices ascending; when {@code signed}, entries are
     * {@code +(i + 1)} or {@code -(i + 1)} as the threshold kernel writes them) into {@code out} from byte
     * {@code at}, as 16-bit units.
     *
     * @return the number of units written
     */
    static int pack(final ByteBuffer entries, final int count, final boolean signed, final ByteBuffer out, final int at)
    {
        final int maxGap = maxGap(signed);
        int units = 0;
        long previous = -1;
        for (int j = 0; j < count; j++)
        {
            final int entry = entries.getInt(j << 2);
            final long index = signed ? Math.abs((long)entry) - 1 : entry;
            long gap = index - previous - 1;
            while (gap > maxGap)
            {
                out.putShort(at + (units++ << 1), (short)ESCAPE);
                gap -= maxGap + 1;
            }
            final int unit = signed ? (int)gap << 1 | (entry < 0 ? 1 : 0) : (int)gap;
            out.putShort(at + (units++ << 1), (short)unit);
            previous = index;
        }
        return units;
    }

    /**
     * Unpacks {@code units} units from {@code in} at byte {@code at} into {@code entries} (the form {@link #pack}
     * took), writing at most {@code capacity}.
     *
     * @return the number of entries written
     * @throws IllegalArgumentException when the units name more than {@code capacity} entries or a position
     *                                  beyond {@code n}: a malformed message
     */
    static int unpack(final ByteBuffer in, final int at, final int units, final boolean signed, final int n,
        final ByteBuffer entries, final int capacity)
    {
        final int maxGap = maxGap(signed);
        int count = 0;
        long previous = -1;
        for (int u = 0; u < units; u++)
        {
            final int unit = in.getShort(at + (u << 1)) & 0xFFFF;
            if (unit == ESCAPE)
            {
                previous += maxGap + 1;
                continue;
            }
            final long index = previous + 1 + (signed ? unit >>> 1 : unit);
            if (index >= n || count == capacity)
            {
                throw new IllegalArgumentException("sparse message names position " + index + " of " + n +
                    " or more than " + capacity + " entries");
            }
            entries.putInt(count++ << 2, signed ? (int)((unit & 1) == 1 ? -(index + 1) : index + 1) : (int)index);
            previous = index;
        }
        return count;
    }
}
