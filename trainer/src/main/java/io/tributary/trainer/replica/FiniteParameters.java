package io.tributary.trainer.replica;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * Stops a run whose parameters have left the finite floats (a learning rate too large, an exploding gradient): one
 * line naming the step, instead of a crash wherever a NaN lands first. Checked with the replica checksums, where the
 * replicas (and under sync the nodes) hold the same parameters, so every node stops at the same step.
 */
public final class FiniteParameters
{
    private FiniteParameters()
    {
    }

    /** @throws ReplicaDivergenceException naming the global step and a loss when a parameter is NaN or infinite */
    public static void check(final INDArray params, final long globalStep, final double loss)
    {
        final long length = params.length();
        if (params.dataType() == DataType.FLOAT && (!params.isView() || length == params.data().length()))
        {
            final FloatBuffer floats = params.data().asNio().asFloatBuffer();
            final int from = (int)params.offset();
            for (int i = 0; i < length; i++)
            {
                check(floats.get(from + i), i, globalStep, loss);
            }
            return;
        }
        for (long i = 0; i < length; i++)
        {
            check(params.getDouble(i), i, globalStep, loss);
        }
    }

    private static void check(final double value, final long index, final long globalStep, final double loss)
    {
        if (!Double.isFinite(value))
        {
            throw new ReplicaDivergenceException(String.format(
                "training diverged: parameter %d is %s after global step %d (loss %s); lower optimizer.lr or " +
                "check the data", index, value, globalStep, loss));
        }
    }
}
