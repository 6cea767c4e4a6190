package io.tributary.trainer.data;

import io.tributary.trainer.config.DataConfig;

import java.util.Random;

/**
 * Seeded, learnable synthetic classification data: each class has a random centre in [0, 1]^features and
 * its examples scatter around it with a standard deviation of {@code spread} per feature (0.15 by default: the
 * classes barely overlap, a model reaches zero loss). Used by tests and quick runs; identical for identical parameters.
 */
public final class SyntheticSource implements DataSource
{
    private final int size;
    private final int testSize;
    private final int features;
    private final int classes;
    private final long seed;
    private final double spread;

    public SyntheticSource(final int size, final int testSize, final int features, final int classes, final long seed)
    {
        this(size, testSize, features, classes, seed, DataConfig.DEFAULT_SPREAD);
    }

    public SyntheticSource(final int size, final int testSize, final int features, final int classes, final long seed,
        final double spread)
    {
        this.size = size;
        this.testSize = testSize;
        this.features = features;
        this.classes = classes;
        this.seed = seed;
        this.spread = spread;
    }

    @Override
    public TrainTest load()
    {
        final Examples examples = new Examples(features, classes, seed, spread);
        return new TrainTest(generate(size, examples), generate(testSize, examples));
    }

    private ExampleSet generate(final int count, final Examples examples)
    {
        final float[] x = new float[count * features];
        final int[] y = new int[count];
        for (int i = 0; i < count; i++)
        {
            y[i] = examples.next(x, i * features);
        }
        return new MemoryExampleSet(x, y, features, classes);
    }

    /**
     * The examples of a synthetic set one at a time, in the order {@link #load()} takes them (the training
     * examples, then the test examples), so a set of any size can be streamed to shards.
     */
    public static final class Examples
    {
        private final int features;
        private final int classes;
        private final float[] centres;
        private final Random random;
        private final double spread;

        public Examples(final int features, final int classes, final long seed, final double spread)
        {
            this.spread = spread;
            this.features = features;
            this.classes = classes;
            this.random = new Random(seed);
            this.centres = new float[classes * features];
            for (int i = 0; i < centres.length; i++)
            {
                centres[i] = random.nextFloat();
            }
        }

        /** Writes the next example's features into {@code row[from .. from+features)}; returns its label. */
        public int next(final float[] row, final int from)
        {
            final int label = random.nextInt(classes);
            for (int f = 0; f < features; f++)
            {
                row[from + f] = (float)(centres[label * features + f] + spread * random.nextGaussian());
            }
            return label;
        }
    }
}
