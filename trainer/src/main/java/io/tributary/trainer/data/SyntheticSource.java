package io.tributary.trainer.data;

import java.util.Random;

/**
 * Seeded, learnable synthetic classification data: each class has a random centre in [0, 1]^features and
 * its examples scatter around it. Used by tests and quick runs; identical for identical parameters.
 */
public final class SyntheticSource implements DataSource
{
    private static final double SPREAD = 0.15;
    private final int size;
    private final int testSize;
    private final int features;
    private final int classes;
    private final long seed;

    public SyntheticSource(final int size, final int testSize, final int features, final int classes, final long seed)
    {
        this.size = size;
        this.testSize = testSize;
        this.features = features;
        this.classes = classes;
        this.seed = seed;
    }

    @Override
    public TrainTest load()
    {
        final Random random = new Random(seed);
        final float[] centres = new float[classes * features];
        for (int i = 0; i < centres.length; i++)
        {
            centres[i] = random.nextFloat();
        }
        return new TrainTest(generate(size, centres, random), generate(testSize, centres, random));
    }

    private ExampleSet generate(final int count, final float[] centres, final Random random)
    {
        final float[] x = new float[count * features];
        final int[] y = new int[count];
        for (int i = 0; i < count; i++)
        {
            final int label = random.nextInt(classes);
            y[i] = label;
            for (int f = 0; f < features; f++)
            {
                x[i * features + f] = (float)(centres[label * features + f] + SPREAD * random.nextGaussian());
            }
        }
        return new ExampleSet(x, y, features, classes);
    }
}
