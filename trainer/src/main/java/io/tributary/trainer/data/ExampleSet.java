package io.tributary.trainer.data;

import java.nio.FloatBuffer;

/**
 * Training or test examples: row-major features ({@code numFeatures} floats per example) and integer class labels,
 * read by index, so shuffling never moves the data. {@link MemoryExampleSet} holds them in the heap;
 * {@link ShardExampleSet} maps shard files, so a set may be larger than memory. Each set says in which order an
 * epoch visits it ({@link #fillOrder}): a pure function of (seed, epoch).
 */
public abstract class ExampleSet
{
    protected final int numFeatures;
    protected final int numClasses;

    protected ExampleSet(final int numFeatures, final int numClasses)
    {
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
    }

    public abstract int size();

    public final int numFeatures()
    {
        return numFeatures;
    }

    public final int numClasses()
    {
        return numClasses;
    }

    public abstract int label(int example);

    public abstract float feature(int example, int column);

    /**
     * Writes examples {@code order[from .. from+count)} as rows into {@code featuresOut} ([count, numFeatures])
     * and their one-hot labels into {@code labelsOut} ([count, numClasses]), both from position 0.
     */
    public abstract void copyRows(int[] order, int from, int count, FloatBuffer featuresOut, FloatBuffer labelsOut);

    /** Fills {@code order} (of length {@link #size()}) with epoch {@code epoch}'s order: {@link EpochShuffle}'s. */
    public void fillOrder(final int[] order, final long seed, final int epoch)
    {
        EpochShuffle.fill(order, seed, epoch);
    }

    /** Writes one-hot labels of rows {@code r}: shared by the implementations. */
    static void oneHot(final FloatBuffer labelsOut, final int row, final int numClasses, final int label)
    {
        final int base = row * numClasses;
        for (int c = 0; c < numClasses; c++)
        {
            labelsOut.put(base + c, 0f);
        }
        labelsOut.put(base + label, 1f);
    }
}
