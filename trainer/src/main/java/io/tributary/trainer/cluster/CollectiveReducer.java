package io.tributary.trainer.cluster;

import io.tributary.trainer.replica.kernels.HostArrays;
import io.tributary.trainer.replica.sync.GradientReducer;
import io.tributary.transport.Collective;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;

/**
 * The leader ring: allreduces the node sum in place through a native-order view of the ND4J CPU buffer (zero
 * copy), made once per gradient array, so a step allocates nothing.
 */
public final class CollectiveReducer implements GradientReducer
{
    private final Collective collective;
    private final CollectiveChecksums checksums;
    private INDArray viewed;
    private ByteBuffer view;

    public CollectiveReducer(final Collective collective)
    {
        this.collective = collective;
        this.checksums = new CollectiveChecksums(collective);
    }

    @Override
    public void allReduce(final INDArray gradientSum, final long step)
    {
        if (gradientSum != viewed)
        {
            view = HostArrays.floatView(gradientSum);
            viewed = gradientSum;
        }
        collective.allReduce(view, (int)gradientSum.length());
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
        checksums.verifyChecksum(step, checksum);
    }
}
