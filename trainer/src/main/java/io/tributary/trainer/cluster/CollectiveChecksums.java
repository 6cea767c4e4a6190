package io.tributary.trainer.cluster;

import io.tributary.trainer.replica.ReplicaDivergenceException;
import io.tributary.trainer.replica.sync.NodeChecksums;
import io.tributary.transport.Collective;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Compares the nodes' parameter checksums with an allGather: each node's 64-bit checksum travels as the raw
 * bytes of two float slots (copied, never added, so every bit arrives), and every node compares all of them,
 * so all nodes throw the same error naming the step, the first differing node and both checksums.
 */
public final class CollectiveChecksums implements NodeChecksums
{
    private static final int FLOATS_PER_CHECKSUM = Long.BYTES / Float.BYTES;
    private final Collective collective;
    private final ByteBuffer send = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer received;
    private final int[] counts;

    public CollectiveChecksums(final Collective collective)
    {
        this.collective = collective;
        this.received = ByteBuffer.allocateDirect(collective.worldSize() * Long.BYTES).order(ByteOrder.nativeOrder());
        this.counts = new int[collective.worldSize()];
    }

    @Override
    public void verifyChecksum(final long step, final long checksum)
    {
        send.putLong(0, checksum);
        collective.allGather(send, FLOATS_PER_CHECKSUM, received, counts);
        final long first = received.getLong(0);
        for (int node = 1; node < counts.length; node++)
        {
            final long other = received.getLong(node * Long.BYTES);
            if (other != first)
            {
                throw new ReplicaDivergenceException(String.format(
                    "node parameters diverged after step %d: node 0 checksum %08x, node %d checksum %08x",
                    step, first, node, other));
            }
        }
    }
}
