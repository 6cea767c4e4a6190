package io.tributary.trainer.replica;

import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.model.TrainableModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * One model copy bound to one device thread. It owns input buffers per micro-batch size (at most two sizes
 * per epoch, plus the last batch's), so loading a slice allocates nothing after the first steps.
 */
public final class DeviceReplica
{
    private final int index;
    private final TrainableModel model;
    private final INDArray[] featuresByRows;
    private final INDArray[] labelsByRows;
    private final FloatBuffer[] featureBuffers;
    private final FloatBuffer[] labelBuffers;
    private final int numFeatures;
    private final int numClasses;
    private int examples;
    private double score;

    public DeviceReplica(final int index, final TrainableModel model, final int maxRows, final int numFeatures,
        final int numClasses)
    {
        this.index = index;
        this.model = model;
        this.featuresByRows = new INDArray[maxRows + 1];
        this.labelsByRows = new INDArray[maxRows + 1];
        this.featureBuffers = new FloatBuffer[maxRows + 1];
        this.labelBuffers = new FloatBuffer[maxRows + 1];
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
            return;
        }
        model.computeGradient(featuresByRows[examples], labelsByRows[examples]);
        score = model.score();
    }

    /** Applies the updater to the global sum now in the gradient view, dividing by the global example count. */
    public void applyUpdate(final int epoch, final int globalExamples)
    {
        model.applyUpdate(epoch, globalExamples);
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
        if (featuresByRows[rows] == null)
        {
            featuresByRows[rows] = Nd4j.createUninitialized(DataType.FLOAT, rows, numFeatures);
            labelsByRows[rows] = Nd4j.createUninitialized(DataType.FLOAT, rows, numClasses);
            featureBuffers[rows] = featuresByRows[rows].data().asNioFloat();
            labelBuffers[rows] = labelsByRows[rows].data().asNioFloat();
        }
        data.copyRows(order, from, rows, featureBuffers[rows], labelBuffers[rows]);
    }
}
