package io.tributary.trainer.balance;

import io.tributary.trainer.config.BalanceConfig;
import io.tributary.trainer.data.DataSharder;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.transport.Collective;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Holds the shares the global batches are cut by ({@link DataSharder}) and, under {@code cluster.balance:
 * measured}, moves them to the devices' measured speeds. After every step it folds each local replica's time
 * per example into a moving average; every {@code balance_every} global steps the nodes gather every device's
 * average (one allgather on the control ring, so all nodes hold the same numbers) and each node plans the same
 * new shares from them ({@link SharePlanner}). The run stays exact: the shares only cut the batch, and the
 * step divides the gradient sum by the global example count whatever the cut.
 */
public final class LoadBalancer
{
    /** Weight of the newest step in the moving average of seconds per example. */
    static final double EWMA_WEIGHT = 0.2;

    private final BalanceConfig config;
    private final DataSharder sharder;
    private final DeviceReplica[] replicas;
    private final int nodeRank;
    private final Collective control;
    private final double[] shares;
    private final double[] planned;
    private final double[] localSeconds;
    private final boolean[] fresh;
    private final double[] gatheredSeconds;
    private final float[] send;
    private final float[] recv;
    private final int[] counts;
    private final List<ShareChange> changes = new ArrayList<>();
    private ShareChange lastPlan;

    /**
     * @param control the ring every node gathers on; null on one node
     */
    public LoadBalancer(final BalanceConfig config, final DataSharder sharder, final DeviceReplica[] replicas,
        final int nodeRank, final int nodes, final Collective control)
    {
        this.config = config;
        this.sharder = sharder;
        this.replicas = replicas;
        this.nodeRank = nodeRank;
        this.control = control;
        final int workers = sharder.workers();
        this.shares = config.initialShares(workers);
        this.planned = new double[workers];
        this.localSeconds = new double[replicas.length];
        this.fresh = new boolean[replicas.length];
        Arrays.fill(fresh, true);
        this.gatheredSeconds = new double[workers];
        this.send = new float[replicas.length];
        this.recv = new float[workers];
        this.counts = new int[nodes];
        apply();
    }

    /** Continues with the shares a checkpoint recorded (none recorded: the configured ones). */
    public void restore(final List<Double> recorded)
    {
        if (recorded.isEmpty())
        {
            return;
        }
        if (recorded.size() != shares.length)
        {
            throw new IllegalArgumentException("the checkpoint holds " + recorded.size() + " shares; this run has " +
                shares.length + " devices");
        }
        for (int i = 0; i < shares.length; i++)
        {
            shares[i] = recorded.get(i);
        }
        apply();
    }

    /** After global step {@code globalStep} (1-based: steps done): measures and, when due, rebalances. */
    public void afterStep(final long globalStep)
    {
        if (!config.measured())
        {
            return;
        }
        for (int i = 0; i < replicas.length; i++)
        {
            final int examples = replicas[i].examples();
            if (examples > 0)
            {
                final double seconds = replicas[i].computeNanos() / 1e9 / examples;
                localSeconds[i] = fresh[i] ? seconds : EWMA_WEIGHT * seconds + (1 - EWMA_WEIGHT) * localSeconds[i];
                fresh[i] = false;
            }
        }
        if (globalStep % config.everySteps() == 0)
        {
            rebalance(globalStep);
        }
    }

    private void rebalance(final long globalStep)
    {
        for (int i = 0; i < replicas.length; i++)
        {
            send[i] = (float)localSeconds[i];
        }
        if (control == null)
        {
            System.arraycopy(send, 0, recv, 0, send.length);
        }
        else
        {
            control.allGather(send, send.length, recv, counts);
        }
        for (int i = 0; i < recv.length; i++)
        {
            gatheredSeconds[i] = recv[i];
        }
        lastPlan = new ShareChange(globalStep, toList(shares), toList(gatheredSeconds));
        if (SharePlanner.plan(gatheredSeconds, shares, config.threshold(), planned))
        {
            System.arraycopy(planned, 0, shares, 0, shares.length);
            apply();
            // A pass has a fixed cost besides its cost per example, so times measured on the old slices do not
            // hold for the new ones: the first measurement on a new slice replaces the average.
            Arrays.fill(fresh, true);
            changes.add(new ShareChange(globalStep, toList(shares), toList(gatheredSeconds)));
        }
    }

    private void apply()
    {
        sharder.use(shares);
        for (int i = 0; i < replicas.length; i++)
        {
            replicas[i].share(shares[sharder.firstDevice(nodeRank) + i]);
        }
    }

    /** The shares in use, one per device, node-major. */
    public List<Double> shares()
    {
        return toList(shares);
    }

    /** Every change of the shares this process made, in step order. */
    public List<ShareChange> changes()
    {
        return List.copyOf(changes);
    }

    /**
     * The last plan's inputs, taken or not: the shares in force while it measured and the seconds per example
     * it measured (null before the first plan).
     */
    public ShareChange lastPlan()
    {
        return lastPlan;
    }

    private static List<Double> toList(final double[] values)
    {
        final List<Double> list = new ArrayList<>(values.length);
        for (final double value : values)
        {
            list.add(value);
        }
        return List.copyOf(list);
    }

    /** The shares taken at {@code globalStep}, and the seconds per example they were planned from. */
    public record ShareChange(long globalStep, List<Double> shares, List<Double> secondsPerExample)
    {
    }
}
