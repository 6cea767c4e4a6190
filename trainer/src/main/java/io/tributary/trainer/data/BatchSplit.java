package io.tributary.trainer.data;

/**
 * Cuts a batch of {@code size} examples into {@code parts} contiguous slices whose sizes differ by at most
 * one: the first {@code size % parts} slices hold one extra example.
 */
public final class BatchSplit
{
    private BatchSplit()
    {
    }

    public static int sliceSize(final int size, final int parts, final int part)
    {
        return size / parts + (part < size % parts ? 1 : 0);
    }

    public static int sliceStart(final int size, final int parts, final int part)
    {
        return part * (size / parts) + Math.min(part, size % parts);
    }
}
