package io.tributary.trainer.checkpoint;

import io.tributary.trainer.model.ModelException;
import io.tributary.transport.Collective;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Every node's {@link NodeState} parts at one checkpoint, in rank order, as bytes: node 0 writes them all into
 * the checkpoint, and on resume each node reads back its own. A node's bytes are its parts' states one after
 * another, preceded by the number of parts.
 */
public final class NodeStates
{
    /** No node has state: nothing is gathered or written. */
    public static final NodeStates NONE = new NodeStates(new byte[0][]);

    private final byte[][] perNode;

    public NodeStates(final byte[][] perNode)
    {
        this.perNode = perNode;
    }

    public int nodes()
    {
        return perNode.length;
    }

    /** Node {@code rank}'s bytes, or null when there are none. */
    public byte[] of(final int rank)
    {
        return rank < perNode.length ? perNode[rank] : null;
    }

    /** This node's parts as bytes. */
    static byte[] encode(final List<? extends NodeState> parts)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(parts.size());
            for (final NodeState part : parts)
            {
                part.writeState(out);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores {@code parts} (none: nothing to do) from node {@code rank}'s bytes.
     *
     * @throws ModelException when the bytes are missing or hold other parts
     */
    public void restore(final int rank, final List<? extends NodeState> parts)
    {
        if (parts.isEmpty())
        {
            return;
        }
        try
        {
            read(rank, parts);
        }
        catch (final IOException ex)
        {
            throw new ModelException("the checkpoint's node state does not fit this run: " + ex.getMessage());
        }
    }

    private void read(final int rank, final List<? extends NodeState> parts) throws IOException
    {
        final byte[] own = of(rank);
        if (own == null)
        {
            throw new IOException("no state saved for node " + rank + " (" + perNode.length + " node(s) saved)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(own)))
        {
            final int count = in.readInt();
            if (count != parts.size())
            {
                throw new IOException("node " + rank + " saved " + count + " state part(s), this run has " +
                    parts.size());
            }
            for (final NodeState part : parts)
            {
                part.readState(in);
            }
            if (in.available() > 0)
            {
                throw new IOException("node " + rank + "'s saved state has " + in.available() + " bytes too many");
            }
        }
    }

    /**
     * Gathers every node's {@code parts} to every node (an allGather over {@code control}; every node calls it, and
     * nodes of one configuration have parts of the same size). {@code control} null: one node. No parts (on every
     * node alike): {@link #NONE}, and nothing travels.
     */
    public static NodeStates gather(final List<? extends NodeState> parts, final Collective control)
    {
        if (parts.isEmpty())
        {
            return NONE;
        }
        final byte[] own = encode(parts);
        if (control == null || control.worldSize() == 1)
        {
            return new NodeStates(new byte[][]{ own });
        }
        final int nodes = control.worldSize();
        final int floats = (Integer.BYTES + own.length + Float.BYTES - 1) / Float.BYTES;
        final ByteBuffer send = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
        send.putInt(0, own.length);
        send.put(Integer.BYTES, own);
        final ByteBuffer all = ByteBuffer.allocateDirect(nodes * floats * Float.BYTES).order(ByteOrder.nativeOrder());
        final int[] counts = new int[nodes];
        control.allGather(send, floats, all, counts);
        final byte[][] perNode = new byte[nodes][];
        int at = 0;
        for (int rank = 0; rank < nodes; rank++)
        {
            final int length = all.getInt(at);
            if (length < 0 || Integer.BYTES + length > counts[rank] * Float.BYTES)
            {
                throw new IllegalStateException("node " + rank + " sent a state of " + length + " bytes in " +
                    counts[rank] * Float.BYTES);
            }
            perNode[rank] = new byte[length];
            all.get(at + Integer.BYTES, perNode[rank]);
            at += counts[rank] * Float.BYTES;
        }
        return new NodeStates(perNode);
    }
}
