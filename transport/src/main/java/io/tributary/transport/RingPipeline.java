package io.tributary.transport;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * Runs one collective as a plan of steps over the ring: each send step streams a block of floats to the
 * next rank, each receive step takes a block from the previous rank and adds or copies it in place. Blocks
 * are cut into chunks of one frame each; chunk c of send step s may go as soon as chunk c of the receive
 * step it depends on has arrived, so sending, receiving and adding overlap (the pipelining of a ring
 * allreduce). Frames are claimed in the publication's log buffer and read in the image's, so a collective
 * copies each float once per hop and allocates nothing.
 */
final class RingPipeline implements ControlledFragmentHandler
{
    private static final int FRAGMENT_LIMIT = 16;
    private static final int SEND_BURST = 16;

    private final int[] sendOffset;
    private final int[] sendCount;
    private final int[] sendChunks;
    private final int[] sendAfterRecvStep;
    private final int[] recvOffset;
    private final int[] recvCount;
    private final int[] recvChunks;
    private final int[] recvChunkBase;
    private final boolean[] recvAdd;
    private int sendSteps;
    private int recvSteps;

    private final ExclusivePublication publication;
    private final Subscription subscription;
    private final Membership membership;
    private final DriverDuty driverDuty;
    private final CollectiveMetrics metrics;
    private final IdleStrategy idle;
    private final BufferClaim claim = new BufferClaim();
    private final long jobHash;
    private final int rank;
    private final int prevRank;
    private final int prevSession;
    private final int nextRank;
    private final int maxPayloadBytes;
    private final int defaultChunkFloats;
    private int chunkFloats;

    private volatile boolean closing;
    private volatile boolean running;
    private FloatView view;
    private long sequence;
    private int operation;
    private int sendStep;
    private int sendChunk;
    private int sendIndex;
    private int recvStep;
    private int recvChunk;
    private int recvIndex;

    RingPipeline(
        final TransportContext ctx,
        final Membership membership,
        final DriverDuty driverDuty,
        final CollectiveMetrics metrics)
    {
        this.driverDuty = driverDuty;
        final int maxSteps = 2 * (ctx.worldSize() - 1);
        sendOffset = new int[maxSteps];
        sendCount = new int[maxSteps];
        sendChunks = new int[maxSteps];
        sendAfterRecvStep = new int[maxSteps];
        recvOffset = new int[maxSteps];
        recvCount = new int[maxSteps];
        recvChunks = new int[maxSteps];
        recvChunkBase = new int[maxSteps + 1];
        recvAdd = new boolean[maxSteps];
        this.membership = membership;
        this.metrics = metrics;
        this.publication = membership.dataPublication();
        this.subscription = membership.dataSubscription();
        this.idle = ctx.idleStrategy();
        this.jobHash = FrameHeader.jobHash(ctx.jobId());
        this.rank = ctx.rank();
        this.prevRank = (rank + ctx.worldSize() - 1) % ctx.worldSize();
        this.prevSession = Channels.SESSION_BASE + prevRank;
        this.nextRank = (rank + 1) % ctx.worldSize();
        this.maxPayloadBytes = publication.maxPayloadLength() - FrameHeader.LENGTH;
        this.defaultChunkFloats = maxPayloadBytes / Float.BYTES;
        this.chunkFloats = defaultChunkFloats;
    }

    int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    /** Starts a plan of plain float chunks. */
    RingPipeline clear()
    {
        return clear(defaultChunkFloats);
    }

    /** Starts a plan whose frames each carry up to chunkFloats floats (fewer bytes when the view encodes them). */
    RingPipeline clear(final int chunkFloats)
    {
        this.chunkFloats = chunkFloats;
        sendSteps = 0;
        recvSteps = 0;
        return this;
    }

    /** Adds a send step of floats [offset, offset + count) that waits, chunk by chunk, on a receive step (-1: none). */
    RingPipeline send(final int offset, final int count, final int afterRecvStep)
    {
        sendOffset[sendSteps] = offset;
        sendCount[sendSteps] = count;
        sendChunks[sendSteps] = chunks(count);
        sendAfterRecvStep[sendSteps] = afterRecvStep;
        sendSteps++;
        return this;
    }

    /** Adds a receive step into floats [offset, offset + count), added to them or copied over them. */
    RingPipeline receive(final int offset, final int count, final boolean add)
    {
        recvOffset[recvSteps] = offset;
        recvCount[recvSteps] = count;
        recvChunks[recvSteps] = chunks(count);
        recvAdd[recvSteps] = add;
        recvChunkBase[recvSteps + 1] = recvChunkBase[recvSteps] + recvChunks[recvSteps];
        recvSteps++;
        return this;
    }

    /** An empty block still travels as one header-only frame, so every step has at least one chunk. */
    private int chunks(final int count)
    {
        return count == 0 ? 1 : (int)(((long)count + chunkFloats - 1) / chunkFloats);
    }

    void run(final FloatView view, final long sequence, final int operation, final long deadlineNs)
    {
        if (closing)
        {
            throw new TransportException(membership.prefix() + "transport closed");
        }
        checkSteps(view.capacity());
        this.view = view;
        this.sequence = sequence;
        this.operation = operation;
        sendStep = sendChunk = sendIndex = 0;
        recvStep = recvChunk = recvIndex = 0;
        running = true;
        driverDuty.acquire();
        try
        {
            loop(deadlineNs);
        }
        finally
        {
            driverDuty.release();
            this.view = null;
            running = false;
        }
    }

    /** Every step must lie inside the view: offsets may come from counts other ranks sent. */
    private void checkSteps(final int capacity)
    {
        for (int s = 0; s < sendSteps; s++)
        {
            checkStep("send", s, sendOffset[s], sendCount[s], capacity);
        }
        for (int s = 0; s < recvSteps; s++)
        {
            checkStep("receive", s, recvOffset[s], recvCount[s], capacity);
        }
    }

    private void checkStep(final String kind, final int step, final int offset, final int count, final int capacity)
    {
        if (offset < 0 || count < 0 || (long)offset + count > capacity)
        {
            throw new TransportException(membership.prefix() + kind + " step " + step + " covers floats [" + offset +
                ", " + ((long)offset + count) + ") outside [0, " + capacity + ")");
        }
    }

    /**
     * Makes a running collective throw at its next iteration and waits up to timeoutNs for it to leave, so
     * that the log buffers it writes into are not unmapped under it.
     *
     * @return false if a collective is still running: then nothing it uses may be closed
     */
    boolean close(final long timeoutNs)
    {
        closing = true;
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (running && System.nanoTime() - deadlineNs < 0)
        {
            Thread.onSpinWait();
            Thread.yield();
        }
        return !running;
    }

    private void loop(final long deadlineNs)
    {
        int loops = 0;
        long idleSinceNs = System.nanoTime();
        while (sendStep < sendSteps || recvStep < recvSteps)
        {
            if (closing)
            {
                throw new TransportException(membership.prefix() + "transport closed during collective #" + sequence);
            }
            int progress = 0;
            if (sendStep < sendSteps)
            {
                progress += sendAvailable();
            }
            if (recvStep < recvSteps)
            {
                progress += subscription.controlledPoll(this, FRAGMENT_LIMIT);
            }
            final int work = progress + driverDuty.invoke();
            if (progress > 0)
            {
                idleSinceNs = 0;
            }
            if (progress == 0 || (++loops & 255) == 0)
            {
                final long nowNs = System.nanoTime();
                if (idleSinceNs == 0 && progress == 0)
                {
                    idleSinceNs = nowNs;
                }
                membership.checkPeers(idleSinceNs == 0 ? nowNs : idleSinceNs, nowNs);
                if (nowNs - deadlineNs > 0)
                {
                    throw timedOut(deadlineNs);
                }
            }
            idle.idle(work);
        }
    }

    private int sendAvailable()
    {
        int sent = 0;
        while (sendStep < sendSteps && sent < SEND_BURST)
        {
            final int dependency = sendAfterRecvStep[sendStep];
            if (dependency >= 0 && recvStep <= dependency && (recvStep < dependency || recvChunk <= sendChunk))
            {
                break;
            }
            final int first = sendChunk * chunkFloats;
            final int count = Math.min(chunkFloats, sendCount[sendStep] - first);
            final int payloadLength = view.payloadBytes(count);
            final long result = publication.tryClaim(FrameHeader.LENGTH + payloadLength, claim);
            if (result < 0)
            {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                {
                    throw new TransportException(membership.prefix() + "data publication to rank " + nextRank +
                        " closed");
                }
                break;
            }
            final MutableDirectBuffer buffer = claim.buffer();
            final int offset = claim.offset();
            FrameHeader.write(buffer, offset, jobHash, sequence, sendIndex, rank, payloadLength, operation);
            if (dependency >= 0 && !recvAdd[dependency])
            {
                view.forwardTo(buffer, offset + FrameHeader.LENGTH, sendOffset[sendStep] + first, count);
            }
            else
            {
                view.copyTo(buffer, offset + FrameHeader.LENGTH, sendOffset[sendStep] + first, count);
            }
            claim.commit();
            metrics.onSent(FrameHeader.LENGTH + payloadLength);
            sent++;
            sendIndex++;
            if (++sendChunk == sendChunks[sendStep])
            {
                sendChunk = 0;
                sendStep++;
            }
        }
        return sent;
    }

    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (recvStep >= recvSteps)
        {
            return Action.ABORT;
        }
        if (header.sessionId() != prevSession || length < FrameHeader.LENGTH ||
            buffer.getLong(offset + FrameHeader.JOB_OFFSET) != jobHash)
        {
            metrics.onRejected();
            return Action.CONTINUE;
        }
        final long frameSequence = buffer.getLong(offset + FrameHeader.SEQUENCE_OFFSET);
        if (frameSequence == sequence + 1)
        {
            return Action.ABORT;
        }
        final int first = recvChunk * chunkFloats;
        final int count = Math.min(chunkFloats, recvCount[recvStep] - first);
        final int payloadLength = buffer.getInt(offset + FrameHeader.LENGTH_OFFSET);
        if (frameSequence != sequence ||
            buffer.getInt(offset + FrameHeader.SOURCE_OFFSET) != prevRank ||
            buffer.getInt(offset + FrameHeader.OPERATION_OFFSET) != operation ||
            buffer.getInt(offset + FrameHeader.CHUNK_OFFSET) != recvChunkBase[recvStep] + recvChunk ||
            payloadLength != view.payloadBytes(count) ||
            payloadLength != length - FrameHeader.LENGTH)
        {
            metrics.onRejected();
            return Action.CONTINUE;
        }
        if (recvAdd[recvStep])
        {
            view.addFrom(buffer, offset + FrameHeader.LENGTH, recvOffset[recvStep] + first, count);
        }
        else
        {
            view.copyFrom(buffer, offset + FrameHeader.LENGTH, recvOffset[recvStep] + first, count);
        }
        metrics.onReceived(length);
        recvIndex++;
        if (++recvChunk == recvChunks[recvStep])
        {
            recvChunk = 0;
            recvStep++;
        }
        return Action.CONTINUE;
    }

    private PeerLostException timedOut(final long deadlineNs)
    {
        final boolean waitingToReceive = recvStep < recvSteps;
        final int peer = waitingToReceive ? prevRank : nextRank;
        final String waitingFor = waitingToReceive ?
            "chunk " + recvChunk + " of receive step " + recvStep + " from rank " + prevRank :
            "rank " + nextRank + " to accept chunk " + sendChunk + " of send step " + sendStep;
        return new PeerLostException(peer, membership.prefix() + "collective #" + sequence +
            " (operation " + operation + ") missed its deadline waiting for " + waitingFor +
            "; received " + recvIndex + " frames, sent " + sendIndex);
    }
}
