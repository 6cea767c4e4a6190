package io.tributary.trainer.cluster;

import io.tributary.trainer.replica.ReplicaDivergenceException;
import io.tributary.trainer.replica.sync.NodeChecksums;
import io.tributary.transport.Collective;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the nodes' parameter checksums with an allGather: each node's 64-bit checksum travels as the raw
 * bytes of two float slots (copied, never added, so every bit arrives), and every node compares all of them,
 * so all nodes throw the same error naming the global step and the nodes outside the majority.
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
            if (received.getLong(node * Long.BYTES) != first)
            {
                throw new ReplicaDivergenceException(describe(step));
            }
        }
    }

    /**
     * Names the nodes outside the largest group of equal checksums (the odd ones out), or every node's checksum
     * when no group is larger than all others (two nodes that differ: neither can be blamed).
     */
    private String describe(final long step)
    {
        final int nodes = counts.length;
        final Map<Long, List<Integer>> groups = new LinkedHashMap<>();
        for (int node = 0; node < nodes; node++)
        {
            groups.computeIfAbsent(received.getLong(node * Long.BYTES), c -> new ArrayList<>()).add(node);
        }
        final List<Map.Entry<Long, List<Integer>>> bySize = new ArrayList<>(groups.entrySet());
        bySize.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
        final Map.Entry<Long, List<Integer>> largest = bySize.get(0);
        final StringBuilder text = new StringBuilder("node parameters diverged after global step ").append(step);
        if (bySize.get(1).getValue().size() == largest.getValue().size())
        {
            text.append(", no majority:");
            for (int node = 0; node < nodes; node++)
            {
                text.append(node == 0 ? " " : ", ").append(String.format("node %d checksum %08x", node,
                    received.getLong(node * Long.BYTES)));
            }
            return text.toString();
        }
        final List<Integer> odd = new ArrayList<>();
        for (int node = 0; node < nodes; node++)
        {
            if (received.getLong(node * Long.BYTES) != largest.getKey())
            {
                odd.add(node);
            }
        }
        text.append(": node(s) ").append(odd).append(" differ from nodes ").append(largest.getValue())
            .append(String.format(" (checksum %08x):", largest.getKey()));
        for (int i = 0; i < odd.size(); i++)
        {
            text.append(i == 0 ? " " : ", ").append(String.format("node %d checksum %08x", odd.get(i),
                received.getLong(odd.get(i) * Long.BYTES)));
        }
        return text.toString();
    }
}
