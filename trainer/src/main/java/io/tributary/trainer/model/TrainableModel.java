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

    void setEpoch(int epoch);

    INDArray output(INDArray features);

    /** A deep copy: parameters, updater state, iteration and epoch counts. */
    TrainableModel copy();

    Model dl4jModel();

    /** Writes a ModelSerializer zip that plain DL4J can restore, with the updater state. */
    void save(File file) throws IOException;
}
