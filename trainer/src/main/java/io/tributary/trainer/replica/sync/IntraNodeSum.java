package io.tributary.trainer.replica.sync;

import io.tributary.trainer.replica.DeviceReplica;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sums the replicas' flat gradients into one buffer, in replica order, skipping replicas whose slice was
 * empty. The target may be replica 0's own gradient view, which saves a copy. ND4J ops for now; the
 * gpu-kernels module's sum kernel takes this place later.
 */
public final class IntraNodeSum
{
    private IntraNodeSum()
    {
    }

    /** @return the number of examples the sum covers */
    public static int sumInto(final INDArray target, final DeviceReplica[] replicas)
    {
        int examples = 0;
        boolean first = true;
        for (final DeviceReplica replica : replicas)
        {
            if (replica.examples() == 0)
            {
                continue;
            }
            if (first)
            {
                if (replica.model().flatGradients() != target)
                {
                    target.assign(replica.model().flatGradients());
                }
                first = false;
            }
            else
            {
                target.addi(replica.model().flatGradients());
            }
            examples += replica.examples();
        }
        if (first)
        {
            target.assign(0);
        }
        return examples;
    }
}
