package io.tributary.trainer.data;

import java.nio.FloatBuffer;

/**
 * Examples held in the heap: row-major features (one row of {@code numFeatures} floats per example) and integer
 * class labels. Rows are copied into ND4J buffers by index, so shuffling never moves the data.
 */
public final class MemoryExampleSet extends ExampleSet
{
    private final float[] features;
    private final int[] labels;

    public MemoryExampleSet(final float[] features, final int[] labels, final int numFeatures, final int numClasses)
    {
        super(numFeatures, numClasses);
        if (features.length != (long)labels.length * numFeatures)
        {
            throw new IllegalArgumentException("features length " + features.length + " != " + labels.length +
                " examples x " + numFeatures + " features");
        }
        for (final int label : labels)
        {
            if (label < 0 || label >= numClasses)
            {
                throw new IllegalArgumentException("label " + label + " outside [0, " + numClasses + ")");
            }
        }
        this.features = features;
        this.labels = labels;
    }

    @Override
    public int size()
    {
        return labels.length;
    }

    @Override
    public int label(final int example)
    {
        return labels[example];
    }

    @Override
    public float feature(final int example, final int column)
    {
        return features[example * numFeatures + column];
    }

    /**
     * Writes examples {@code order[from .. from+count)} as rows into {@code featuresOut} ([count, numFeatures])
     * and their one-hot labels into {@code labelsOut} ([count, numClasses]), both from position 0.
     */
    @Override
    public void copyRows(final int[] order, final int from, final int count, final FloatBuffer featuresOut,
        final FloatBuffer labelsOut)
    {
        for (int r = 0; r < count; r++)
        {
            final int example = order[from + r];
            featuresOut.put(r * numFeatures, features, example * numFeatures, numFeatures);
            oneHot(labelsOut, r, numClasses, labels[example]);
        }
    }
}
