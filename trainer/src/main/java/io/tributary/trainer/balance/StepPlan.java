package io.tributary.trainer.balance;

import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSharder;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.ShardExampleSet;
import io.tributary.trainer.data.SlicePrefetcher;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.transport.Collective;

import java.util.List;

/**
 * This node's part of each global step, and what decides it: the shares ({@link LoadBalancer}), the dropped
 * stragglers ({@link StragglerDrop}), and, for a mapped data set, the read-ahead of the next slices
 * ({@link SlicePrefetcher}). Before a step it gives where this node's slice starts in the epoch order, how many
 * examples the node trains (none when the step drops it), and how many the whole step sums, which the update
 * divides by: the global batch, less the dropped nodes' slices.
 */
public final class StepPlan implements AutoCloseable
{
    private final DataSharder sharder;
    private final LoadBalancer balancer;
    private final StragglerDrop drop;
    private final SlicePrefetcher prefetcher;
    private final int nodeRank;
    private final int nodes;
    private int from;
    private int size;
    private int summed;

    /** @param control the ring every node gathers on; null on one node */
    public StepPlan(final TrainConfig config, final ExampleSet train, final DataSharder sharder,
        final DeviceReplica[] replicas, final int nodeRank, final int nodes, final Collective control)
    {
        this.sharder = sharder;
        this.nodeRank = nodeRank;
        this.nodes = nodes;
        this.balancer = new LoadBalancer(config.cluster().balance(), sharder, replicas, nodeRank, nodes, control);
        this.drop = new StragglerDrop(config.strategy().backup(), replicas, nodeRank, nodes, control);
        this.prefetcher = train instanceof ShardExampleSet ?
            new SlicePrefetcher((ShardExampleSet)train, config.run().seed(), config.run().batchSize()) : null;
    }

    /** Plans step {@code step} of epoch {@code epoch}, global step {@code globalStep} (steps done so far). */
    public void before(final int epoch, final int step, final long globalStep)
    {
        if (prefetcher != null)
        {
            prefetcher.before(epoch, step);
        }
        drop.beforeStep(globalStep);
        from = sharder.nodeFrom(step, nodeRank);
        size = drop.dropped(nodeRank) ? 0 : sharder.nodeSize(step, nodeRank);
        summed = sharder.batchSize(step);
        for (int n = 0; n < nodes; n++)
        {
            if (drop.dropped(n))
            {
                summed -= sharder.nodeSize(step, n);
            }
        }
    }

    /** After the step, {@code globalSteps} now done: measures for the drops and the shares (collectives). */
    public void after(final long globalSteps)
    {
        drop.afterStep();
        balancer.afterStep(globalSteps);
    }

    public int from()
    {
        return from;
    }

    public int size()
    {
        return size;
    }

    public int summed()
    {
        return summed;
    }

    /** Continues with the shares a checkpoint recorded. */
    public void restoreShares(final List<Double> shares)
    {
        balancer.restore(shares);
    }

    public LoadBalancer balancer()
    {
        return balancer;
    }

    /** Per node, the steps that went without its contribution. */
    public long[] droppedCounts()
    {
        return drop.droppedCounts();
    }

    @Override
    public void close()
    {
        if (prefetcher != null)
        {
            prefetcher.close();
        }
    }
}
