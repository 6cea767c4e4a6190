package io.tributary.trainer.balance;

import io.tributary.trainer.config.BackupConfig;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.transport.Collective;

/**
 * Which nodes a synchronous step goes without ({@link BackupConfig}). After every step the nodes gather each
 * node's compute time (its slowest replica's forward/backward; one float per node on the control ring) into a
 * moving average that every node holds identically; before the next step each node derives the same dropped set
 * from it. A dropped node trains no example that step and joins the reduction with nothing, so nobody waits for
 * its compute; the step divides by the examples actually summed. Every {@code probeEvery} global steps nobody is
 * dropped, so a dropped node's time is measured again and a recovered node comes back.
 */
public final class StragglerDrop
{
    private static final double EWMA_WEIGHT = 0.3;

    private final BackupConfig config;
    private final DeviceReplica[] replicas;
    private final int nodeRank;
    private final Collective control;
    private final double[] seconds;
    private final boolean[] dropped;
    private final long[] droppedCounts;
    private final float[] send = new float[1];
    private final float[] recv;
    private final int[] counts;

    /** @param control the ring every node gathers on; null on one node, where nothing is ever dropped */
    public StragglerDrop(final BackupConfig config, final DeviceReplica[] replicas, final int nodeRank,
        final int nodes, final Collective control)
    {
        this.config = config;
        this.replicas = replicas;
        this.nodeRank = nodeRank;
        this.control = control;
        this.seconds = new double[nodes];
        this.dropped = new boolean[nodes];
        this.droppedCounts = new long[nodes];
        this.recv = new float[nodes];
        this.counts = new int[nodes];
    }

    /** Decides the dropped set of global step {@code globalStep} (0-based), the same on every node. */
    public void beforeStep(final long globalStep)
    {
        java.util.Arrays.fill(dropped, false);
        if (!config.enabled() || control == null || globalStep % config.probeEvery() == 0)
        {
            return;
        }
        double fastest = Double.MAX_VALUE;
        for (final double s : seconds)
        {
            if (!(s > 0))
            {
                return; // a node not measured yet: nobody is judged
            }
            fastest = Math.min(fastest, s);
        }
        final double lateAfter = fastest + config.maxWaitMs() / 1000.0;
        final int slowest = config.nodes() > 0 ? config.nodes() : seconds.length - 1;
        for (int n = 0; n < slowest; n++)
        {
            final int candidate = slowestNotDropped();
            if (config.maxWaitMs() > 0 && seconds[candidate] <= lateAfter)
            {
                break;
            }
            dropped[candidate] = true;
            droppedCounts[candidate]++;
        }
    }

    private int slowestNotDropped()
    {
        int slowest = -1;
        for (int n = 0; n < seconds.length; n++)
        {
            if (!dropped[n] && (slowest < 0 || seconds[n] > seconds[slowest]))
            {
                slowest = n;
            }
        }
        return slowest;
    }

    public boolean dropped(final int node)
    {
        return dropped[node];
    }

    /** After the step: gathers every node's compute time of it (none for a dropped node) into the averages. */
    public void afterStep()
    {
        if (!config.enabled() || control == null)
        {
            return;
        }
        long slowestNanos = 0;
        for (final DeviceReplica replica : replicas)
        {
            slowestNanos = Math.max(slowestNanos, replica.computeNanos());
        }
        send[0] = dropped[nodeRank] || slowestNanos == 0 ? -1f : slowestNanos / 1e9f;
        control.allGather(send, 1, recv, counts);
        for (int n = 0; n < seconds.length; n++)
        {
            if (recv[n] > 0)
            {
                seconds[n] = seconds[n] == 0 ? recv[n] : EWMA_WEIGHT * recv[n] + (1 - EWMA_WEIGHT) * seconds[n];
            }
        }
    }

    /** Steps whose contribution each node's was dropped from, in rank order. */
    public long[] droppedCounts()
    {
        return droppedCounts.clone();
    }
}
