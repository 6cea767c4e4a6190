package io.tributary.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.RegistrationException;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * Who is in the job and how to reach them. Rank 0 gathers joins at the rendezvous endpoint, checks job id,
 * token, rank and MTU, and answers with the world view; then every rank connects a control publication to
 * every other rank and a data publication to the next rank of the ring. Afterwards the control images only
 * serve as liveness: when one goes away, the rank that published it is lost.
 */
final class Membership implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(Membership.class.getName());
    private static final long REPLY_WAIT_NS = TimeUnit.SECONDS.toNanos(2);

    private final TransportContext ctx;
    private final Aeron aeron;
    private final Channels channels;
    private final int rank;
    private final int worldSize;
    private final String[] endpoints;
    private final String[] nodeIds;
    private final long[] nonces;
    private final ExclusivePublication[] controlPublications;
    private final MembershipMessages.Writer writer = new MembershipMessages.Writer();
    private final MembershipMessages.Reader reader = new MembershipMessages.Reader();
    private final IdleStrategy idle;
    private final AtomicInteger lostRank = new AtomicInteger(-1);
    private Subscription controlSubscription;
    private Subscription dataSubscription;
    private ExclusivePublication dataPublication;
    private int joined;
    private int refusedJoins;
    private String replyFailure;
    private boolean welcomed;
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
                if (ctx.rank() == 0)
                {
                    membership.gatherJoins();
                }
                else
                {
                    membership.join();
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
            bind(rank == 0 ? ctx.rendezvousEndpoint() : ctx.dataHost() + ":" + ctx.dataPort());
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

    private void gatherJoins()
    {
        joined = 1;
        final long deadline = System.nanoTime() + ctx.rendezvousTimeoutNs();
        try (Subscription joins = aeron.addSubscription(channels.joinSubscription(), Channels.JOIN_STREAM))
        {
            while (joined < worldSize)
            {
                if (System.nanoTime() > deadline)
                {
                    final String message = prefix() + "ranks " + ranksWhere(r -> endpoints[r] == null) +
                        " did not join at " + ctx.rendezvousEndpoint() + " within " + millis(ctx.rendezvousTimeoutNs()) + " ms";
                    abortJoined(message);
                    throw new TransportException(message);
                }
                idle.idle(joins.poll(this::onJoin, 10));
            }
        }
        for (int r = 1; r < worldSize; r++)
        {
            writer.type(MembershipMessages.WELCOME).putLong(nonces[r]).putInt(worldSize);
            for (int q = 0; q < worldSize; q++)
            {
                writer.putString(endpoints[q]).putString(nodeIds[q]);
            }
            offer(controlPublications[r], deadline, "rank " + r);
        }
    }

    private void onJoin(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        final MembershipMessages.Join join;
        try
        {
            reader.wrap(buffer, offset, length);
            if (reader.getInt() != MembershipMessages.JOIN)
            {
                throw new IllegalArgumentException("not a join");
            }
            join = MembershipMessages.readJoin(reader);
        }
        catch (final IllegalArgumentException ex)
        {
            refusedJoins++;
            LOG.log(System.Logger.Level.WARNING, prefix() + "dropped a malformed join (" + ex.getMessage() + ")");
            return;
        }

        final String reason = refusalReason(join);
        if (reason == null)
        {
            endpoints[join.rank()] = join.endpoint();
            nodeIds[join.rank()] = join.nodeId();
            nonces[join.rank()] = join.nonce();
            controlPublications[join.rank()] = aeron.addExclusivePublication(
                channels.controlPublication(join.endpoint(), rank), channels.controlStream(join.rank()));
            joined++;
        }
        else if (!reason.isEmpty())
        {
            refusedJoins++;
            LOG.log(System.Logger.Level.WARNING, prefix() + "refused join of rank " + join.rank() + " from " +
                join.endpoint() + ": " + reason);
            reply(join, reason);
        }
    }

    /** null to admit, "" to ignore a repeated join, else why it is refused. */
    private String refusalReason(final MembershipMessages.Join join)
    {
        if (!ctx.jobId().equals(join.jobId()))
        {
            return "job id '" + join.jobId() + "' is not '" + ctx.jobId() + "'";
        }
        if (!MessageDigest.isEqual(ctx.token().getBytes(StandardCharsets.UTF_8), join.token().getBytes(StandardCharsets.UTF_8)))
        {
            return "wrong token";
        }
        if (join.rank() < 1 || join.rank() >= worldSize)
        {
            return "rank " + join.rank() + " is outside [1, " + worldSize + ")";
        }
        if (join.mtu() != ctx.mtu())
        {
            return "mtu " + join.mtu() + " differs from rank 0's " + ctx.mtu();
        }
        if (endpoints[join.rank()] != null)
        {
            return nonces[join.rank()] == join.nonce() ? "" : "rank " + join.rank() + " already joined from " + endpoints[join.rank()];
        }
        return null;
    }

    private void reply(final MembershipMessages.Join join, final String reason)
    {
        try (Publication publication = aeron.addPublication(channels.replyPublication(join.endpoint()),
            channels.controlStream(join.rank())))
        {
            writer.type(MembershipMessages.REFUSE).putLong(join.nonce()).putString(reason);
            offer(publication, System.nanoTime() + REPLY_WAIT_NS, "refused rank " + join.rank());
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, prefix() + "could not tell " + join.endpoint() + " it was refused: " + ex.getMessage());
        }
    }

    private void abortJoined(final String message)
    {
        for (int r = 1; r < worldSize; r++)
        {
            if (controlPublications[r] != null)
            {
                writer.type(MembershipMessages.ABORT).putLong(nonces[r]).putString(message);
                try
                {
                    offer(controlPublications[r], System.nanoTime() + REPLY_WAIT_NS, "rank " + r);
                }
                catch (final TransportException ignore)
                {
                    // best effort: that rank will reach its own deadline
                }
            }
        }
    }

    private void join()
    {
        final long deadline = System.nanoTime() + ctx.rendezvousTimeoutNs();
        final long nonce = ThreadLocalRandom.current().nextLong();
        try (ExclusivePublication joinPublication = aeron.addExclusivePublication(channels.joinPublication(), Channels.JOIN_STREAM))
        {
            writer.type(MembershipMessages.JOIN).putInt(rank).putInt(ctx.mtu()).putLong(nonce)
                .putString(ctx.jobId()).putString(ctx.token()).putString(ctx.nodeId()).putString(endpoints[rank]);
            offer(joinPublication, deadline, "rank 0 at " + ctx.rendezvousEndpoint());
            while (!welcomed && replyFailure == null)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new TransportException(prefix() + "no world view from rank 0 at " + ctx.rendezvousEndpoint() +
                        " within " + millis(ctx.rendezvousTimeoutNs()) + " ms");
                }
                idle.idle(controlSubscription.poll((buffer, offset, length, header) -> onReply(buffer, offset, length, nonce), 10));
            }
        }
        if (replyFailure != null)
        {
            throw new TransportException(replyFailure);
        }
    }

    private void onReply(final DirectBuffer buffer, final int offset, final int length, final long nonce)
    {
        try
        {
            reader.wrap(buffer, offset, length);
            final int type = reader.getInt();
            if (reader.getLong() != nonce)
            {
                return;
            }
            switch (type)
            {
                case MembershipMessages.WELCOME:
                    if (reader.getInt() != worldSize)
                    {
                        replyFailure = prefix() + "rank 0 runs a world of another size";
                        return;
                    }
                    for (int q = 0; q < worldSize; q++)
                    {
                        endpoints[q] = reader.getString();
                        nodeIds[q] = reader.getString();
                    }
                    welcomed = true;
                    break;
                case MembershipMessages.REFUSE:
                    replyFailure = prefix() + "refused by rank 0: " + reader.getString();
                    break;
                case MembershipMessages.ABORT:
                    replyFailure = reader.getString();
                    break;
                default:
                    break;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            LOG.log(System.Logger.Level.WARNING, prefix() + "dropped a malformed reply (" + ex.getMessage() + ")");
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
        dataPublication = aeron.addExclusivePublication(channels.dataPublication(endpoints[next], rank), channels.dataStream(next));

        final IntPredicate missing = q -> q != rank &&
            (!controlPublications[q].isConnected() || controlSubscription.imageBySessionId(Channels.SESSION_BASE + q) == null ||
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

    private void offer(final Publication publication, final long deadline, final String to)
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

    private List<Integer> ranksWhere(final IntPredicate predicate)
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

    /** Called on the Aeron client conductor thread. */
    void onUnavailableImage(final Image image)
    {
        if (!established)
        {
            return;
        }
        final Subscription subscription = image.subscription();
        final boolean ours = subscription == controlSubscription || subscription == dataSubscription;
        final int peer = Channels.rankOfSession(image.sessionId(), worldSize);
        if (ours && peer >= 0 && peer != rank)
        {
            lostRank.compareAndSet(-1, peer);
        }
    }

    /** Throws {@link PeerLostException} once any peer's image has gone away. */
    void checkPeers()
    {
        final int lost = lostRank.get();
        if (lost >= 0)
        {
            throw new PeerLostException(lost, prefix() + "lost rank " + lost + " (" + endpoints[lost] +
                ", node " + nodeIds[lost] + "): its Aeron image went away, the process died or the network is cut");
        }
    }

    int lostRank()
    {
        return lostRank.get();
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

    private static long millis(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    public void close()
    {
        established = false;
        CloseHelper.closeAll(dataPublication, dataSubscription, controlSubscription);
        CloseHelper.closeAll(controlPublications);
    }
}
