package io.tributary.trainer.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * A DL4J {@link DataSetIterator} over an {@link ExampleSet} in {@link EpochShuffle} order: the same batches
 * Tributary trains on, for plain DL4J {@code fit}, ParallelWrapper and evaluation. Each {@link #reset()}
 * advances to the next epoch's order.
 */
public final class ExampleSetIterator implements DataSetIterator
{
    private final ExampleSet examples;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final int[] order;
    private int epoch;
    private int cursor;

    public ExampleSetIterator(final ExampleSet examples, final int batchSize, final long seed, final boolean shuffle)
    {
        this.examples = examples;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.order = new int[examples.size()];
        arrange();
    }

    private void arrange()
    {
        if (shuffle)
        {
            examples.fillOrder(order, seed, epoch);
        }
        else
        {
            for (int i = 0; i < order.length; i++)
            {
                order[i] = i;
            }
        }
    }

    @Override
    public DataSet next(final int num)
    {
        if (!hasNext())
        {
            throw new NoSuchElementException();
        }
        final int count = Math.min(num, order.length - cursor);
        final INDArray features = Nd4j.createUninitialized(DataType.FLOAT, count, examples.numFeatures());
        final INDArray labels = Nd4j.createUninitialized(DataType.FLOAT, count, examples.numClasses());
        examples.copyRows(order, cursor, count, features.data().asNioFloat(), labels.data().asNioFloat());
        cursor += count;
        return new DataSet(features, labels);
    }

    @Override
    public DataSet next()
    {
        return next(batchSize);
    }

    @Override
    public boolean hasNext()
    {
        return cursor < order.length;
    }

    @Override
    public void reset()
    {
        epoch++;
        cursor = 0;
        arrange();
    }

    @Override
    public int inputColumns()
    {
        return examples.numFeatures();
    }

    @Override
    public int totalOutcomes()
    {
        return examples.numClasses();
    }

    @Override
    public boolean resetSupported()
    {
        return true;
    }

    @Override
    public boolean asyncSupported()
    {
        return false;
    }

    @Override
    public int batch()
    {
        return batchSize;
    }

    @Override
    public void setPreProcessor(final DataSetPreProcessor preProcessor)
    {
        throw new UnsupportedOperationException("examples are already scaled; no preprocessor is applied");
    }

    @Override
    public DataSetPreProcessor getPreProcessor()
    {
        return null;
    }

    @Override
    public List<String> getLabels()
    {
        return null;
    }
}
