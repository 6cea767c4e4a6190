package io.tributary.trainer.data;

import java.nio.file.Path;

/** Fashion-MNIST from the gzipped IDX files installed by the Debian package dataset-fashion-mnist. */
public final class FashionMnistSource implements DataSource
{
    private static final int CLASSES = 10;
    private final Path dir;

    public FashionMnistSource(final Path dir)
    {
        this.dir = dir;
    }

    @Override
    public TrainTest load()
    {
        return new TrainTest(read("train"), read("t10k"));
    }

    private ExampleSet read(final String prefix)
    {
        final int[] dims = new int[3];
        final Path imagesFile = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        final Path labelsFile = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        final float[] images = IdxReader.readImages(imagesFile, dims);
        final int[] labels = IdxReader.readLabels(labelsFile, CLASSES);
        if (labels.length != dims[0])
        {
            throw new DataException(labelsFile + ": " + labels.length + " labels for " + dims[0] + " images in " + imagesFile);
        }
        return new MemoryExampleSet(images, labels, dims[1] * dims[2], CLASSES);
    }
}
