package io.tributary.trainer.strategy;

import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.metrics.Timeline;
import io.tributary.trainer.replica.BackgroundThreads;
import io.tributary.trainer.replica.sync.GradientReducer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The background thread of {@code strategy.type: async}: it sends what the node's local steps moved its parameters
 * and brings back what the other nodes' steps moved theirs, round after round, while the node keeps stepping.
 *
 * <p>A round is one exact fp32 allreduce of [weighted movement | steps of each node | at-sync flag of each node];
 * with a codec, the weighted movement goes through it (error feedback on this node) and the counts and flags
 * follow in an exact allreduce of their own.
 * The weighted movement is the sum of each local step's movement times the node's share of that step's global
 * batch, so the round's sum is the mean movement of a global step per node step (sync's movement when every node
 * took one step). The node's correction is that sum minus its own unweighted movement, which its parameters
 * already hold; the caller adds it between steps, whenever it arrives.
 *
 * <p>Rounds are collectives, so every node must enter each one. A node's thread enters the next round when its
 * node has moved since the last, when its node waits for a slow peer, or when its node wants a sync point, and
 * it parks otherwise. The round in which every node asked for a sync point is the last: every node leaves it
 * with everything exchanged, after the same number of rounds.
 */
final class AsyncExchange implements AutoCloseable
{
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long WAIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);

    private final GradientReducer across;
    private final GradientReducer movementAcross;
    private final int tailAt;
    private final StepPhases phases;
    private final int nodes;
    private final int rank;
    private final int numParams;
    private final long timeoutNs;
    private final INDArray moved;
    private final INDArray weighted;
    private final INDArray corrections;
    private final INDArray payload;
    private final INDArray payloadMovement;
    private final INDArray sentMovement;
    private final long[] knownSteps;
    private final Thread thread;
    // Written by the node's thread under this object's lock, read by the exchange thread under it.
    private long steps;
    private long latestStep;
    private boolean correctionPending;
    private volatile boolean blocked;
    private volatile boolean syncRequested;
    private volatile boolean stopped;
    private volatile boolean closed;
    private volatile long minKnownSteps;
    private volatile long rounds;
    private volatile Thread waiter;
    private volatile RuntimeException failure;

    /**
     * @param across         an exact fp32 sum over every node, on a ring no other thread uses while rounds run
     * @param movementAcross the movement's sum through a codec, on that ring; null: the movement goes exact, in
     *                       {@code across}'s one allreduce
     * @param phases         where each round goes as a timeline event (comm lane 0), keyed by the node's step count
     * @param params         a replica's parameters: the shape of every movement
     */
    AsyncExchange(final GradientReducer across, final GradientReducer movementAcross, final StepPhases phases,
        final int nodes, final int rank, final INDArray params, final long timeoutNs)
    {
        final long numParams = params.length();
        this.across = across;
        this.movementAcross = movementAcross;
        this.phases = phases;
        this.nodes = nodes;
        this.rank = rank;
        this.numParams = Math.toIntExact(numParams);
        this.timeoutNs = timeoutNs;
        this.moved = params.ulike();
        this.weighted = params.ulike();
        this.corrections = params.ulike();
        this.sentMovement = params.ulike();
        // Exact: the movement is a view of the payload's head, shaped like the parameters (DL4J's are rank 1 or
        // [1, n]). Coded: a vector of its own, the codec's length.
        this.tailAt = movementAcross == null ? this.numParams : 0;
        if (movementAcross != null)
        {
            this.payload = Nd4j.create(DataType.FLOAT, 2L * nodes);
            this.payloadMovement = params.ulike();
        }
        else if (params.rank() == 1)
        {
            this.payload = Nd4j.create(DataType.FLOAT, numParams + 2L * nodes);
            this.payloadMovement = payload.get(NDArrayIndex.interval(0, numParams));
        }
        else
        {
            this.payload = Nd4j.create(DataType.FLOAT, 1, numParams + 2L * nodes);
            this.payloadMovement = payload.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, numParams));
        }
        moved.assign(0);
        weighted.assign(0);
        corrections.assign(0);
        this.knownSteps = new long[nodes];
        this.thread = BackgroundThreads.start(this::loop, "tributary-async-exchange");
    }

    /**
     * Adds one local step's movement of this node's parameters.
     *
     * @param share      the node's part of the step's global batch
     * @param stepNumber this process's step, which names the rounds it starts in the timeline
     */
    void record(final INDArray movement, final double share, final long stepNumber)
    {
        synchronized (this)
        {
            moved.addi(movement);
            Nd4j.getBlasWrapper().level1().axpy(numParams, share, movement, weighted);
            steps++;
            latestStep = stepNumber;
        }
        LockSupport.unpark(thread);
    }

    /** Local steps recorded since the last sync point. */
    synchronized long steps()
    {
        return steps;
    }

    /**
     * Adds what arrived since the last call to {@code params} (each replica's: the same additions, so they stay
     * bit-identical).
     *
     * @return whether anything arrived
     */
    boolean applyTo(final INDArray[] params)
    {
        rethrow();
        synchronized (this)
        {
            if (!correctionPending)
            {
                return false;
            }
            for (final INDArray p : params)
            {
                p.addi(corrections);
            }
            corrections.assign(0);
            correctionPending = false;
            return true;
        }
    }

    /**
     * Waits until the slowest node is at most {@code staleness} of this node's recorded steps behind, as the last
     * round reported it.
     *
     * @return how far behind the slowest node is, in steps, when this returns
     */
    long awaitWithin(final int staleness)
    {
        final long own = steps();
        if (own - minKnownSteps > staleness)
        {
            blocked = true;
            try
            {
                await(() -> own - minKnownSteps <= staleness, "the slowest node to come within " + staleness +
                    " step(s)");
            }
            finally
            {
                blocked = false;
            }
        }
        return own - minKnownSteps;
    }

    /**
     * A sync point: returns once every node asked for one and every movement was exchanged. The caller adds the
     * last corrections ({@link #applyTo}) and then may use the ring; the next {@link #record} starts new rounds.
     */
    void stopRounds()
    {
        syncRequested = true;
        LockSupport.unpark(thread);
        await(() -> stopped, "every node to reach the sync point");
        synchronized (this)
        {
            steps = 0;
        }
        Arrays.fill(knownSteps, 0);
        minKnownSteps = 0;
        syncRequested = false;
        stopped = false;
    }

    /** Rounds run since this exchange started. */
    long rounds()
    {
        return rounds;
    }

    private void await(final BooleanSupplier done, final String what)
    {
        waiter = Thread.currentThread();
        LockSupport.unpark(thread);
        final long deadline = System.nanoTime() + timeoutNs;
        while (!done.getAsBoolean())
        {
            rethrow();
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("async: waited " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) +
                    " ms for " + what);
            }
            LockSupport.parkNanos(this, WAIT_PARK_NS);
        }
        rethrow();
    }

    private void rethrow()
    {
        final RuntimeException failed = failure;
        if (failed != null)
        {
            throw failed;
        }
    }

    private boolean roundDue()
    {
        if (stopped || failure != null)
        {
            return false;
        }
        if (blocked || syncRequested)
        {
            return true;
        }
        synchronized (this)
        {
            return steps > knownSteps[rank];
        }
    }

    private void loop()
    {
        while (!closed)
        {
            if (!roundDue())
            {
                LockSupport.parkNanos(this, IDLE_PARK_NS);
                continue;
            }
            try
            {
                round();
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
            final Thread node = waiter;
            if (node != null)
            {
                LockSupport.unpark(node);
            }
        }
    }

    private void round()
    {
        final long start = System.nanoTime();
        final boolean atSync = syncRequested; // read before the movement: no step is recorded after a sync request
        final long stepsAtEntry;
        final long stepNumber;
        synchronized (this)
        {
            stepsAtEntry = steps;
            stepNumber = latestStep;
            payloadMovement.assign(weighted);
            sentMovement.assign(moved);
            weighted.assign(0);
            moved.assign(0);
        }
        final long tail = tailAt;
        for (int node = 0; node < nodes; node++)
        {
            payload.putScalar(tail + node, node == rank ? stepsAtEntry : 0);
            payload.putScalar(tail + nodes + node, node == rank && atSync ? 1 : 0);
        }
        if (movementAcross != null)
        {
            movementAcross.allReduce(payloadMovement, rounds); // every node's round count: the codec's random key
        }
        across.allReduce(payload, rounds);
        payloadMovement.subi(sentMovement);
        int atSyncNodes = 0;
        long slowest = Long.MAX_VALUE;
        for (int node = 0; node < nodes; node++)
        {
            knownSteps[node] = (long)payload.getFloat(tail + node);
            slowest = Math.min(slowest, knownSteps[node]);
            atSyncNodes += payload.getFloat(tail + nodes + node) > 0.5f ? 1 : 0;
        }
        synchronized (this)
        {
            corrections.addi(payloadMovement);
            correctionPending = true;
        }
        minKnownSteps = slowest;
        rounds = rounds + 1;
        phases.bucketEvent(stepNumber, 0, 0, Timeline.BUCKET_REDUCE, start, System.nanoTime());
        if (atSyncNodes == nodes)
        {
            stopped = true;
        }
    }

    @Override
    public void close()
    {
        closed = true;
        BackgroundThreads.stop(thread);
    }
}
