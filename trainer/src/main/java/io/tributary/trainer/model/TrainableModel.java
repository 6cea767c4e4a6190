package io.tributary.trainer.model;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.io.IOException;

/**
 * The few DL4J operations a replica needs, over either a MultiLayerNetwork or a ComputationGraph with one
 * input and one output. Not thread-safe: one replica thread owns each instance.
 */
public interface TrainableModel
{
    /** Forward and backward pass; leaves the SUM over the batch of per-example gradients in {@link #flatGradients()}. */
    void computeGradient(INDArray features, INDArray labels);

    /** The mean loss of the last {@link #computeGradient} batch, regularisation included. */
    double score();

    /** The flat gradient view, [1, numParams]; the updater reads and rewrites it in place. */
    INDArray flatGradients();

    /** The flat parameter view, [1, numParams]. */
    INDArray params();

    long numParams();

    /**
     * Applies the updater to the gradient now in {@link #flatGradients()}, dividing it by {@code batchSize}
     * (the global example count), subtracts the result from the parameters and advances the iteration count.
     */
    void applyUpdate(int epoch, int batchSize);

    int iteration();

    void setIteration(int iteration);

    /** The DL4J epoch count: epochs completed, as the trainer last set it. */
    int epoch();

    void setEpoch(int epoch);

    /** The updater's flat state (Adam's moments, Nesterov's velocity); null or empty for stateless updaters. */
    INDArray updaterState();

    /**
     * From the next update on, every Adam block of the updater keeps its second moment as it stands now, after
     * iteration {@code freezeIteration} ({@link FrozenVarianceAdam}).
     *
     * @return the blocks frozen, now or before; 0 when the updater has no Adam
     */
    int freezeAdamVariance(int freezeIteration);

    /** The updater's blocks that are Adam, frozen or not: 0 when {@link #freezeAdamVariance} has nothing to freeze. */
    int adamBlocks();

    /**
     * Makes this model continue exactly where {@code saved} stopped: copies its parameters, updater state and
     * iteration and epoch counts (Adam's bias correction and learning-rate schedules read the counts).
     *
     * @throws ModelException when {@code saved} is not the same architecture and updater
     */
    default void restoreFrom(final TrainableModel saved)
    {
        if (saved.numParams() != numParams())
        {
            throw new ModelException("the saved model has " + saved.numParams() + " parameters, this one " +
                numParams());
        }
        final INDArray state = updaterState();
        final INDArray savedState = saved.updaterState();
        final long length = state == null ? 0 : state.length();
        final long savedLength = savedState == null ? 0 : savedState.length();
        if (length != savedLength)
        {
            throw new ModelException("the saved updater state has " + savedLength + " values, this model's updater " +
                length + " (another optimizer?)");
        }
        params().assign(saved.params().reshape(params().shape()));
        if (length > 0)
        {
            state.assign(savedState.reshape(state.shape()));
        }
        setIteration(saved.iteration());
        setEpoch(saved.epoch());
    }

    INDArray output(INDArray features);

    /** Where each parameterised layer's gradient lies in {@link #flatGradients()}. */
    GradientLayout gradientLayout();

    /**
     * Makes every later backward pass tell {@code hook} how far the flat gradient is final, layer by layer, while
     * computing exactly what it computed before. Once per model; a {@link #copy()} has no hook.
     */
    void installBackpropHook(BackpropHook hook);

    /** A deep copy: parameters, updater state, iteration and epoch counts. */
    TrainableModel copy();

    Model dl4jModel();

    /** Writes a ModelSerializer zip that plain DL4J can restore, with the updater state. */
    void save(File file) throws IOException;
}
