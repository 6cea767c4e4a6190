package io.tributary.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.RegistrationException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntPredicate;

/**
 * Who is in the job and how to reach them. After the {@link Rendezvous} has filled the world view, every rank
 * connects a control publication to
 * every other rank and a data publication to the next rank of the ring. Afterwards the control streams carry
 * only the LEAVE of a rank that closes: a control image that goes away without one means its rank is lost.
 */
final class Membership implements AutoCloseable
{
    final TransportContext ctx;
    final Aeron aeron;
    final Channels channels;
    final int rank;
    final int worldSize;
    final String[] endpoints;
    final String[] nodeIds;
    final long[] nonces;
    final ExclusivePublication[] controlPublications;
    final MembershipMessages.Writer writer = new MembershipMessages.Writer();
    final IdleStrategy idle;
    private final AtomicInteger lostRank = new AtomicInteger(-1);
    private final AtomicInteger leftRank = new AtomicInteger(-1);
    private final AtomicIntegerArray sentLeave;
    private final FragmentHandler leaveHandler = this::onControlMessage;
    private final long leaveGraceNs;
    private volatile long leftAtNs;
    Subscription controlSubscription;
    private Subscription dataSubscription;
    private ExclusivePublication dataPublication;
    private int refusedJoins;
    private volatile boolean established;

    private Membership(final TransportContext ctx, final Aeron aeron)
    {
        this.ctx = ctx;
        this.aeron = aeron;
        this.channels = new Channels(ctx);
        this.rank = ctx.rank();
        this.worldSize = ctx.worldSize();
        this.endpoints = new String[worldSize];
        this.nodeIds = new String[worldSize];
        this.nonces = new long[worldSize];
        this.controlPublications = new ExclusivePublication[worldSize];
        this.idle = ctx.idleStrategy();
        this.leaveGraceNs = ctx.imageLivenessTimeoutNs();
        this.sentLeave = new AtomicIntegerArray(worldSize);
    }

    /** Runs the whole protocol; on failure everything opened is closed and the exception names the cause. */
    static Membership establish(final TransportContext ctx, final Aeron aeron)
    {
        final Membership membership = new Membership(ctx, aeron);
        try
        {
            membership.subscribe();
            if (ctx.worldSize() > 1)
            {
                final Rendezvous rendezvous = new Rendezvous(membership);
                if (ctx.rank() == 0)
                {
                    rendezvous.gatherJoins();
                    membership.refusedJoins = rendezvous.refusedJoins();
                }
                else
                {
                    rendezvous.join();
                }
                membership.connect();
            }
            membership.established = true;
            return membership;
        }
        catch (final RuntimeException ex)
        {
            membership.close();
            throw ex;
        }
    }

    private void subscribe()
    {
        endpoints[rank] = Channels.IPC_ENDPOINT;
        nodeIds[rank] = ctx.nodeId();
        if (worldSize == 1)
        {
            return;
        }
        if (ctx.ipc())
        {
            bind(Channels.IPC_ENDPOINT);
            return;
        }
        if (rank == 0 || ctx.dataPort() != 0)
        {
            final String endpoint = rank == 0 ? ctx.rendezvousEndpoint() : ctx.dataHost() + ":" + ctx.dataPort();
            try
            {
                bind(endpoint);
            }
            catch (final RegistrationException ex)
            {
                throw new TransportException(prefix() + "cannot receive at " + endpoint + ": " + ex.getMessage(), ex);
            }
            return;
        }
        // Control and data must share one port; Aeron would bind "port 0" twice, so pick the port here.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                bind(ctx.dataHost() + ":" + freeUdpPort());
                return;
            }
            catch (final RegistrationException ex)
            {
                CloseHelper.closeAll(dataSubscription, controlSubscription);
                if (attempt == 10)
                {
                    throw ex;
                }
            }
        }
    }

    private void bind(final String endpoint)
    {
        endpoints[rank] = endpoint;
        controlSubscription = aeron.addSubscription(channels.subscriptionAt(endpoint), channels.controlStream(rank));
        dataSubscription = aeron.addSubscription(channels.subscriptionAt(endpoint), channels.dataStream(rank));
    }

    private int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ctx.dataHost(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new TransportException(prefix() + "no free UDP port on " + ctx.dataHost() + ": " + ex.getMessage());
        }
    }

    private void connect()
    {
        for (int q = 0; q < worldSize; q++)
        {
            if (q != rank && controlPublications[q] == null)
            {
                controlPublications[q] = aeron.addExclusivePublication(
                    channels.controlPublication(endpoints[q], rank), channels.controlStream(q));
            }
        }
        final int next = (rank + 1) % worldSize;
        final int prev = (rank + worldSize - 1) % worldSize;
        dataPublication = aeron.addExclusivePublication(channels.dataPublication(endpoints[next], rank),
            channels.dataStream(next));

        final IntPredicate missing = q -> q != rank &&
            (!controlPublications[q].isConnected() ||
            controlSubscription.imageBySessionId(Channels.SESSION_BASE + q) == null ||
            (q == next && !dataPublication.isConnected()) ||
            (q == prev && dataSubscription.imageBySessionId(Channels.SESSION_BASE + q) == null));
        final long deadline = System.nanoTime() + ctx.rendezvousTimeoutNs();
        while (!ranksWhere(missing).isEmpty())
        {
            if (System.nanoTime() > deadline)
            {
                throw new TransportException(prefix() + "ranks " + ranksWhere(missing) + " did not connect within " +
                    millis(ctx.rendezvousTimeoutNs()) + " ms");
            }
            idle.idle();
        }
        idle.reset();
    }

    void offer(final Publication publication, final long deadline, final String to)
    {
        while (true)
        {
            final long result = publication.offer(writer.buffer, 0, writer.length);
            if (result > 0)
            {
                idle.reset();
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new TransportException(prefix() + "publication to " + to + " closed");
            }
            if (System.nanoTime() > deadline)
            {
                throw new TransportException(prefix() + to + " not reachable within " +
                    millis(ctx.rendezvousTimeoutNs()) + " ms");
            }
            idle.idle();
        }
    }

    List<Integer> ranksWhere(final IntPredicate predicate)
    {
        final List<Integer> ranks = new ArrayList<>();
        for (int q = 0; q < worldSize; q++)
        {
            if (predicate.test(q))
            {
                ranks.add(q);
            }
        }
        return ranks;
    }

    /**
     * Called on the Aeron client conductor thread. A control image goes away after its publisher closed and
     * it was read to the end, or when the publisher is gone: the process died, the network is cut, or (over
     * IPC) the shared driver reaped a dead client, which ends its streams cleanly too. Only a LEAVE read
     * before (see {@link #checkPeers(long, long)}) tells a close from a loss. A data image that ends with
     * end-of-stream counts as a close, as its LEAVE may not have been read yet.
     */
    void onUnavailableImage(final Image image)
    {
        if (!established)
        {
            return;
        }
        final Subscription subscription = image.subscription();
        final int peer = Channels.rankOfSession(image.sessionId(), worldSize);
        if (peer < 0 || peer == rank || (subscription != controlSubscription && subscription != dataSubscription))
        {
            return;
        }
        final boolean closed = subscription == controlSubscription ? sentLeave.get(peer) == 1 : image.isEndOfStream();
        if (closed)
        {
            markLeft(peer);
        }
        else
        {
            lostRank.compareAndSet(-1, peer);
        }
    }

    private void markLeft(final int peer)
    {
        if (leftRank.get() == -1)
        {
            leftAtNs = System.nanoTime();
            leftRank.compareAndSet(-1, peer);
        }
    }

    private void onControlMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int peer = Channels.rankOfSession(header.sessionId(), worldSize);
        if (peer >= 0 && peer != rank && length >= Integer.BYTES &&
            buffer.getInt(offset) == MembershipMessages.LEAVE)
        {
            sentLeave.set(peer, 1);
            markLeft(peer);
        }
    }

    /**
     * Throws {@link PeerLostException} once a peer's image has gone away, or once a peer has closed and the
     * caller has made no progress for the grace period (the image liveness timeout) since then.
     *
     * @param idleSinceNs when the caller last made progress
     * @param nowNs       the current time
     */
    void checkPeers(final long idleSinceNs, final long nowNs)
    {
        controlSubscription.poll(leaveHandler, worldSize);
        throwIfLost();
        final int left = leftRank.get();
        if (left >= 0 && nowNs - idleSinceNs > leaveGraceNs && nowNs - leftAtNs > leaveGraceNs)
        {
            throw new PeerLostException(left, prefix() + "rank " + left + " (" + endpoints[left] + ", node " +
                nodeIds[left] + ") closed its transport while this collective still needed it");
        }
    }

    int lostRank()
    {
        return lostRank.get();
    }

    /** Throws {@link PeerLostException} if a peer's image went away; reads only the flag, so any thread may call. */
    void throwIfLost()
    {
        final int lost = lostRank.get();
        if (lost >= 0)
        {
            throw new PeerLostException(lost, prefix() + "lost rank " + lost + " (" + endpoints[lost] +
                ", node " + nodeIds[lost] + "): its Aeron image went away, the process died or the network is cut");
        }
    }

    String prefix()
    {
        return "job " + ctx.jobId() + " rank " + rank + ": ";
    }

    int refusedJoins()
    {
        return refusedJoins;
    }

    String endpoint(final int rank)
    {
        return endpoints[rank];
    }

    String nodeId(final int rank)
    {
        return nodeIds[rank];
    }

    Subscription dataSubscription()
    {
        return dataSubscription;
    }

    ExclusivePublication dataPublication()
    {
        return dataPublication;
    }

    static long millis(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Tells every peer this is a clean close (see {@link #onUnavailableImage(Image)}), then closes. */
    public void close()
    {
        established = false;
        writer.type(MembershipMessages.LEAVE);
        for (final ExclusivePublication publication : controlPublications)
        {
            if (publication != null && !publication.isClosed())
            {
                publication.offer(writer.buffer, 0, writer.length);
            }
        }
        CloseHelper.closeAll(dataPublication, dataSubscription, controlSubscription);
        CloseHelper.closeAll(controlPublications);
    }
}
