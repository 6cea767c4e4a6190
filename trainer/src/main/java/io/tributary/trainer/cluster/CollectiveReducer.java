package io.tributary.trainer.cluster;

import io.tributary.trainer.replica.kernels.HostArrays;
import io.tributary.trainer.replica.sync.GradientReducer;
import io.tributary.trainer.replica.sync.ShardReducer;
import io.tributary.transport.Collective;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;

/**
 * The leader ring: allreduces the node sum in place through a native-order view of the ND4J CPU buffer (zero
 * copy), made once per gradient array, so a step allocates nothing; exactly, or through the ring's codec.
 */
public final class CollectiveReducer implements GradientReducer
{
    private final ShardReducer ring;
    private final CollectiveChecksums checksums;
    private INDArray viewed;
    private ByteBuffer view;

    /** The exact fp32 ring. */
    public CollectiveReducer(final Collective collective)
    {
        this(collective, RingReducers.exact(collective));
    }

    /** @param ring how {@code collective} sums the node sum: {@link RingReducers} */
    public CollectiveReducer(final Collective collective, final ShardReducer ring)
    {
        this.ring = ring;
        this.checksums = new CollectiveChecksums(collective);
    }

    @Override
    public void allReduce(final INDArray gradientSum, final long globalStep)
    {
        if (gradientSum != viewed)
        {
            view = HostArrays.floatView(gradientSum);
            viewed = gradientSum;
        }
        ring.allReduce(view, (int)gradientSum.length(), globalStep);
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
        checksums.verifyChecksum(step, checksum);
    }
}
