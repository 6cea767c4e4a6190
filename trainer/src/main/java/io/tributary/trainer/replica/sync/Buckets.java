package io.tributary.trainer.replica.sync;

import io.tributary.trainer.model.GradientLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The gradient cut into buckets in the order backprop finishes them, as DDP does: layers are taken from the last
 * to the first and a bucket closes when the next layer would take it past the cap (a layer larger than the cap
 * is a bucket of its own; a bucket never splits a layer). Bucket 0 is the end of the flat gradient, the last
 * bucket starts at 0; together they cover every element once.
 */
public final class Buckets
{
    private final int[] from;
    private final int[] length;

    private Buckets(final int[] from, final int[] length)
    {
        this.from = from;
        this.length = length;
    }

    /** @param capBytes the most bytes of fp32 gradient a bucket takes (unless one layer alone is larger) */
    public static Buckets of(final GradientLayout layout, final long numParams, final long capBytes)
    {
        final long capFloats = Math.max(1, capBytes / Float.BYTES);
        final List<int[]> buckets = new ArrayList<>();
        long end = numParams;
        long start = numParams;
        for (int layer = layout.layers() - 1; layer >= 0; layer--)
        {
            final long offset = layout.offsets()[layer];
            if (start < end && end - offset > capFloats)
            {
                buckets.add(new int[]{ (int)start, (int)(end - start) });
                end = start;
            }
            start = offset;
        }
        start = 0;
        if (end > start || buckets.isEmpty())
        {
            buckets.add(new int[]{ (int)start, (int)(end - start) });
        }
        final int[] from = new int[buckets.size()];
        final int[] length = new int[buckets.size()];
        for (int b = 0; b < from.length; b++)
        {
            from[b] = buckets.get(b)[0];
            length[b] = buckets.get(b)[1];
        }
        return new Buckets(from, length);
    }

    public int count()
    {
        return from.length;
    }

    /** Where bucket {@code b} starts in the flat gradient. */
    public int from(final int b)
    {
        return from[b];
    }

    public int length(final int b)
    {
        return length[b];
    }

    /** Copies of the starts, in bucket order. */
    public int[] froms()
    {
        return from.clone();
    }

    public int[] lengths()
    {
        return length.clone();
    }
}
