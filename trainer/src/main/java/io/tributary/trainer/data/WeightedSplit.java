package io.tributary.trainer.data;

/**
 * Cuts a batch of {@code size} examples into contiguous slices in proportion to positive weights, by largest
 * remainder: each part gets the floor of its quota {@code size * w / sum(w)}, and the examples left over go one
 * each to the parts with the largest fractional quotas, the lower index first on a tie. Equal weights give
 * {@link BatchSplit}'s cut. A pure function of its arguments, computed without allocating, so every node cuts a
 * batch the same way from the same weights.
 */
public final class WeightedSplit
{
    private WeightedSplit()
    {
    }

    public static int sliceSize(final int size, final double[] weights, final int from, final int parts, final int part)
    {
        final double total = sum(weights, from, parts);
        final double quota = size * weights[from + part] / total;
        final int floor = (int)Math.floor(quota);
        final double fraction = quota - floor;
        int floors = 0;
        int ahead = 0;
        for (int i = 0; i < parts; i++)
        {
            final double q = size * weights[from + i] / total;
            final int f = (int)Math.floor(q);
            floors += f;
            final double other = q - f;
            if (other > fraction || (other == fraction && i < part))
            {
                ahead++;
            }
        }
        return floor + (ahead < size - floors ? 1 : 0);
    }

    /** The sum of the sizes of the parts before {@code part}. */
    public static int sliceStart(final int size, final double[] weights, final int from, final int parts, final int part)
    {
        int start = 0;
        for (int i = 0; i < part; i++)
        {
            start += sliceSize(size, weights, from, parts, i);
        }
        return start;
    }

    /** The sum of {@code weights[from .. from+parts)}. */
    public static double sum(final double[] weights, final int from, final int parts)
    {
        double total = 0;
        for (int i = 0; i < parts; i++)
        {
            total += weights[from + i];
        }
        return total;
    }
}
