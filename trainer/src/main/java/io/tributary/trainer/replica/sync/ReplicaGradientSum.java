package io.tributary.trainer.replica.sync;

import io.tributary.trainer.replica.DeviceReplica;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The node sum: the gradients of the replicas that had examples this step, summed into replica 0's gradient view. */
final class ReplicaGradientSum
{
    private final DeviceReplica[] replicas;
    private final NodeGradientSum nodeGradientSum;
    private final INDArray[] nonEmptyGradients;

    /** @param nodeGradientSum the caller closes it */
    ReplicaGradientSum(final DeviceReplica[] replicas, final NodeGradientSum nodeGradientSum)
    {
        this.replicas = replicas;
        this.nodeGradientSum = nodeGradientSum;
        this.nonEmptyGradients = new INDArray[replicas.length];
    }

    /** Sums, and returns replica 0's flat gradient view, which now holds the node sum. */
    INDArray sum()
    {
        final INDArray nodeSum = replicas[0].model().flatGradients();
        int count = 0;
        for (final DeviceReplica replica : replicas)
        {
            if (replica.examples() > 0)
            {
                nonEmptyGradients[count++] = replica.model().flatGradients();
            }
        }
        nodeGradientSum.sum(nonEmptyGradients, count, nodeSum);
        return nodeSum;
    }
}
