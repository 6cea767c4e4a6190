package io.tributary.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The join protocol. Rank 0 gathers joins at the rendezvous endpoint, refuses (and logs) a wrong job id,
 * token, rank or MTU, and sends every rank the world view; the others send their join and wait for the
 * view, a refusal or an abort. Fills the endpoint, node and control-publication tables of {@link Membership}.
 */
final class Rendezvous
{
    private static final System.Logger LOG = System.getLogger(Rendezvous.class.getName());
    private static final long REPLY_WAIT_NS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How much longer than the rendezvous timeout a joining rank waits for rank 0's answer. Rank 0 may have
     * started later with the same timeout, and its abort naming the missing ranks leaves at its own deadline
     * and may take up to REPLY_WAIT_NS to be offered; the rest is slack for a loaded machine.
     */
    static final long VERDICT_GRACE_NS = REPLY_WAIT_NS + TimeUnit.SECONDS.toNanos(1);

    private final Membership membership;
    private final TransportContext ctx;
    private final Aeron aeron;
    private final Channels channels;
    private final int rank;
    private final int worldSize;
    private final String[] endpoints;
    private final String[] nodeIds;
    private final long[] nonces;
    private final ExclusivePublication[] controlPublications;
    private final Subscription controlSubscription;
    private final MembershipMessages.Writer writer;
    private final MembershipMessages.Reader reader = new MembershipMessages.Reader();
    private final IdleStrategy idle;
    private final List<Refusal> refusals = new ArrayList<>();
    private int joined;
    private int refusedJoins;
    private String replyFailure;
    private boolean welcomed;

    Rendezvous(final Membership membership)
    {
        this.membership = membership;
        this.ctx = membership.ctx;
        this.aeron = membership.aeron;
        this.channels = membership.channels;
        this.rank = membership.rank;
        this.worldSize = membership.worldSize;
        this.endpoints = membership.endpoints;
        this.nodeIds = membership.nodeIds;
        this.nonces = membership.nonces;
        this.controlPublications = membership.controlPublications;
        this.controlSubscription = membership.controlSubscription;
        this.writer = membership.writer;
        this.idle = membership.idle;
    }

    int refusedJoins()
    {
        return refusedJoins;
    }

    void gatherJoins()
    {
        joined = 1;
        final long deadline = System.nanoTime() + ctx.rendezvousTimeoutNs();
        try (Subscription joins = aeron.addSubscription(channels.joinSubscription(), Channels.JOIN_STREAM))
        {
            while (joined < worldSize)
            {
                final long nowNs = System.nanoTime();
                if (nowNs > deadline)
                {
                    final String message = membership.prefix() + "ranks " +
                        membership.ranksWhere(r -> endpoints[r] == null) + " did not join at " +
                        ctx.rendezvousEndpoint() + " within " + Membership.millis(ctx.rendezvousTimeoutNs()) + " ms";
                    abortJoined(message);
                    throw new TransportException(message);
                }
                idle.idle(joins.poll(this::onJoin, 10) + answerRefusals(nowNs, nowNs > deadline));
            }
        }
        finally
        {
            answerRefusals(System.nanoTime(), true);
        }
        for (int r = 1; r < worldSize; r++)
        {
            MembershipMessages.writeWelcome(writer, nonces[r], endpoints, nodeIds);
            final int maxLength = controlPublications[r].maxMessageLength();
            if (writer.length > maxLength)
            {
                final String message = membership.prefix() + "the world view is " + writer.length +
                    " bytes, more than the " + maxLength + " a control message holds: give each rank at most " +
                    Channels.WELCOME_CHARS_PER_RANK + " characters of nodeId and endpoint together";
                abortJoined(message);
                throw new TransportException(message);
            }
            membership.offer(controlPublications[r], deadline, "rank " + r);
        }
    }

    private void onJoin(final DirectBuffer buffer, final int offset, final int length, final Header header)
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
            LOG.log(System.Logger.Level.WARNING, membership.prefix() + "dropped a malformed join (" +
                ex.getMessage() + ")");
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
            LOG.log(System.Logger.Level.WARNING, membership.prefix() + "refused join of rank " + join.rank() +
                " from " + join.endpoint() + ": " + reason);
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
        if (!MessageDigest.isEqual(ctx.token().getBytes(StandardCharsets.UTF_8),
            join.token().getBytes(StandardCharsets.UTF_8)))
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
            return nonces[join.rank()] == join.nonce() ? "" : "rank " + join.rank() + " already joined from " +
                endpoints[join.rank()];
        }
        return null;
    }

    /** Queued, not sent here: an unreachable refused process must not hold up the join loop. */
    private void reply(final MembershipMessages.Join join, final String reason)
    {
        try
        {
            refusals.add(new Refusal(aeron.addPublication(channels.replyPublication(join.endpoint()),
                channels.controlStream(join.rank())), join, reason, System.nanoTime() + REPLY_WAIT_NS));
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, membership.prefix() + "could not tell " + join.endpoint() +
                " it was refused: " + ex.getMessage());
        }
    }

    /** Offers each queued refusal once; drops it once sent, after REPLY_WAIT_NS, or on a last try. */
    private int answerRefusals(final long nowNs, final boolean lastTry)
    {
        int sent = 0;
        for (int i = refusals.size() - 1; i >= 0; i--)
        {
            final Refusal refusal = refusals.get(i);
            writer.type(MembershipMessages.REFUSE).putLong(refusal.join.nonce()).putString(refusal.reason);
            final long result = refusal.publication.offer(writer.buffer, 0, writer.length);
            final boolean expired = lastTry || nowNs > refusal.giveUpAtNs;
            if (result > 0 || result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED || expired)
            {
                if (result > 0)
                {
                    sent++;
                }
                else
                {
                    LOG.log(System.Logger.Level.WARNING, membership.prefix() + "could not tell " +
                        refusal.join.endpoint() + " it was refused: not reachable");
                }
                refusal.publication.close();
                refusals.remove(i);
            }
        }
        return sent;
    }

    private record Refusal(Publication publication, MembershipMessages.Join join, String reason, long giveUpAtNs)
    {
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
                    membership.offer(controlPublications[r], System.nanoTime() + REPLY_WAIT_NS, "rank " + r);
                }
                catch (final TransportException ignore)
                {
                    // best effort: that rank will reach its own deadline
                }
            }
        }
    }

    void join()
    {
        final long deadline = System.nanoTime() + ctx.rendezvousTimeoutNs();
        final long verdictDeadline = deadline + VERDICT_GRACE_NS;
        final long nonce = ThreadLocalRandom.current().nextLong();
        try (ExclusivePublication joinPublication = aeron.addExclusivePublication(channels.joinPublication(),
            Channels.JOIN_STREAM))
        {
            writer.type(MembershipMessages.JOIN).putInt(rank).putInt(ctx.mtu()).putLong(nonce)
                .putString(ctx.jobId()).putString(ctx.token()).putString(ctx.nodeId()).putString(endpoints[rank]);
            membership.offer(joinPublication, deadline, "rank 0 at " + ctx.rendezvousEndpoint());
            final FragmentHandler replies = (buffer, offset, length, header) -> onReply(buffer, offset, length, nonce);
            while (!welcomed && replyFailure == null)
            {
                if (System.nanoTime() > verdictDeadline)
                {
                    throw new TransportException(membership.prefix() + "no world view from rank 0 at " +
                        ctx.rendezvousEndpoint() + " within " +
                        Membership.millis(ctx.rendezvousTimeoutNs() + VERDICT_GRACE_NS) + " ms");
                }
                idle.idle(controlSubscription.poll(replies, 10));
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
                        replyFailure = membership.prefix() + "rank 0 runs a world of another size";
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
                    replyFailure = membership.prefix() + "refused by rank 0: " + reader.getString();
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
            LOG.log(System.Logger.Level.WARNING, membership.prefix() + "dropped a malformed reply (" +
                ex.getMessage() + ")");
        }
    }
}
