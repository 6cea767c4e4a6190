package io.tributary.trainer.replica;

import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.model.SubnormalFlush;
import io.tributary.trainer.model.TrainableModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.FloatBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * One model copy bound to one device thread. It owns one input buffer of {@code maxRows} rows and a view of its
 * first rows per slice size, so loading a slice allocates nothing once a size has been seen. It carries its
 * share of the node's slices ({@link io.tributary.trainer.data.WeightedSplit}), times its own forward/backward
 * pass for the balancer, and can be slowed down on purpose to play a straggler ({@code debug.slowdown}).
 */
public final class DeviceReplica
{
    private final int index;
    private final TrainableModel model;
    private final INDArray[] featuresByRows;
    private final INDArray[] labelsByRows;
    private INDArray features;
    private INDArray labels;
    private FloatBuffer featureBuffer;
    private FloatBuffer labelBuffer;
    private final int numFeatures;
    private final int numClasses;
    private int examples;
    private double score;
    private double share = 1.0;
    private double slowdown = 1.0;
    private long computeNanos;

    public DeviceReplica(final int index, final TrainableModel model, final int maxRows, final int numFeatures,
        final int numClasses)
    {
        this.index = index;
        this.model = model;
        this.featuresByRows = new INDArray[maxRows + 1];
        this.labelsByRows = new INDArray[maxRows + 1];
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
    }

    /** {@code count} replicas: replica 0 trains {@code initial} itself, the others copies of it. */
    public static DeviceReplica[] of(final TrainableModel initial, final int count, final int maxRows,
        final int numFeatures, final int numClasses)
    {
        final DeviceReplica[] replicas = new DeviceReplica[count];
        for (int i = 0; i < count; i++)
        {
            replicas[i] = new DeviceReplica(i, i == 0 ? initial : initial.copy(), maxRows, numFeatures, numClasses);
        }
        return replicas;
    }

    public int index()
    {
        return index;
    }

    public TrainableModel model()
    {
        return model;
    }

    /** This replica's weight in the cut of its node's slices; the synchronous step reads it before each step. */
    public double share()
    {
        return share;
    }

    public void share(final double share)
    {
        if (!(share > 0) || Double.isInfinite(share))
        {
            throw new IllegalArgumentException("share must be positive and finite, got " + share);
        }
        this.share = share;
    }

    /**
     * Makes every forward/backward pass take {@code factor} times as long as it computed, by parking the thread
     * for the difference: an injected straggler for tests and benchmarks.
     */
    public void slowdown(final double factor)
    {
        if (!(factor >= 1) || Double.isInfinite(factor))
        {
            throw new IllegalArgumentException("slowdown factor must be at least 1, got " + factor);
        }
        this.slowdown = factor;
    }

    /** Nanoseconds the last forward/backward pass took, an injected slowdown included; 0 for an empty slice. */
    public long computeNanos()
    {
        return computeNanos;
    }

    /** Examples in the last computed slice; zero when the slice was empty (a short last batch). */
    public int examples()
    {
        return examples;
    }

    /** Mean loss of the last computed slice. */
    public double score()
    {
        return score;
    }

    /** Forward/backward over {@code order[from .. from+count)}; leaves the summed gradient in the model. */
    public void computeSlice(final ExampleSet data, final int[] order, final int from, final int count)
    {
        loadSlice(data, order, from, count);
        computeLoaded();
    }

    /** Copies the rows of {@code order[from .. from+count)} into this replica's input arrays. */
    public void loadSlice(final ExampleSet data, final int[] order, final int from, final int count)
    {
        examples = count;
        if (count > 0)
        {
            load(data, order, from, count);
        }
    }

    /** Forward/backward over the slice last loaded; leaves the summed gradient in the model. */
    public void computeLoaded()
    {
        if (examples == 0)
        {
            score = 0;
            computeNanos = 0;
            return;
        }
        final long start = System.nanoTime();
        model.computeGradient(featuresByRows[examples], labelsByRows[examples]);
        score = model.score();
        if (slowdown > 1)
        {
            final long deadline = start + (long)((System.nanoTime() - start) * slowdown);
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime())
            {
                LockSupport.parkNanos(left);
            }
        }
        computeNanos = System.nanoTime() - start;
    }

    /** Applies the updater to the global sum now in the gradient view, dividing by the global example count. */
    public void applyUpdate(final int epoch, final int globalExamples)
    {
        model.applyUpdate(epoch, globalExamples);
        SubnormalFlush.afterStep(model);
    }

    /** Counts correct argmax predictions over {@code order[from .. from+count)}, in chunks of at most maxRows. */
    public int countCorrect(final ExampleSet data, final int[] order, final int from, final int count)
    {
        int correct = 0;
        final int chunk = featuresByRows.length - 1;
        for (int done = 0; done < count; done += chunk)
        {
            final int rows = Math.min(chunk, count - done);
            load(data, order, from + done, rows);
            final INDArray predicted = model.output(featuresByRows[rows]).argMax(1);
            for (int r = 0; r < rows; r++)
            {
                if (predicted.getInt(r) == data.label(order[from + done + r]))
                {
                    correct++;
                }
            }
        }
        return correct;
    }

    private void load(final ExampleSet data, final int[] order, final int from, final int rows)
    {
        if (features == null)
        {
            final int maxRows = featuresByRows.length - 1;
            features = Nd4j.createUninitialized(DataType.FLOAT, maxRows, numFeatures);
            labels = Nd4j.createUninitialized(DataType.FLOAT, maxRows, numClasses);
            featureBuffer = features.data().asNioFloat();
            labelBuffer = labels.data().asNioFloat();
        }
        if (featuresByRows[rows] == null)
        {
            // The first rows of one buffer: shares may give a slice any size up to maxRows, and memory stays one batch.
            featuresByRows[rows] = features.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            labelsByRows[rows] = labels.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        }
        data.copyRows(order, from, rows, featureBuffer, labelBuffer);
    }
}
