package io.tributary.trainer.data;

import java.util.Arrays;

/**
 * Who trains which examples of an epoch. The epoch's order ({@link EpochShuffle}, a pure function of seed and
 * epoch) is cut into global batches of {@code batchSize} (the last one shorter); each global batch is cut into
 * one contiguous slice per node, and each node's slice into one per local device, in proportion to the shares
 * ({@link WeightedSplit}: a node's share is the sum of its devices'; equal shares cut as {@link BatchSplit}, sizes
 * differing by at most one). So every example is used exactly once per epoch across the whole world, and every
 * node knows every other node's part without communicating, as long as all hold the same shares. Nodes may have
 * different device counts: under equal shares a node of 4 devices gets twice the slice of a node of 2. Positions
 * are indices into the order.
 */
public final class DataSharder
{
    private final int examples;
    private final int batchSize;
    private final int nodes;
    private final int[] devices;
    private final int[] firstDevice;
    private final double[] shares;
    private final double[] nodeShares;

    /** {@code nodes} nodes of {@code devices} devices each. */
    public DataSharder(final int examples, final int batchSize, final int nodes, final int devices)
    {
        this(examples, batchSize, sameOnEach(nodes, devices));
    }

    /** @param devicesPerNode the devices of each node, by rank */
    public DataSharder(final int examples, final int batchSize, final int[] devicesPerNode)
    {
        if (examples < 1 || batchSize < 1 || Arrays.stream(devicesPerNode).min().orElse(0) < 1)
        {
            throw new IllegalArgumentException("examples " + examples + ", batch size " + batchSize + ", devices " +
                Arrays.toString(devicesPerNode) + ": each must be at least 1, on at least one node");
        }
        this.examples = examples;
        this.batchSize = batchSize;
        this.nodes = devicesPerNode.length;
        this.devices = devicesPerNode.clone();
        this.firstDevice = new int[nodes + 1];
        for (int n = 0; n < nodes; n++)
        {
            firstDevice[n + 1] = firstDevice[n] + devices[n];
        }
        this.shares = new double[firstDevice[nodes]];
        this.nodeShares = new double[nodes];
        Arrays.fill(shares, 1.0);
        for (int n = 0; n < nodes; n++)
        {
            nodeShares[n] = devices[n];
        }
    }

    private static int[] sameOnEach(final int nodes, final int devices)
    {
        final int[] counts = new int[Math.max(0, nodes)];
        Arrays.fill(counts, devices);
        return counts;
    }

    /** The devices of the whole job: the length of the shares. */
    public int workers()
    {
        return shares.length;
    }

    /** Where node {@code node}'s devices start among the job's, node-major. */
    public int firstDevice(final int node)
    {
        return firstDevice[node];
    }

    /** Cuts the batches from now on by {@code workerShares}: one positive weight per device, node-major. */
    public void use(final double[] workerShares)
    {
        if (workerShares.length != shares.length)
        {
            throw new IllegalArgumentException("expected " + shares.length + " shares (one per device of " +
                Arrays.toString(devices) + "), got " + workerShares.length);
        }
        for (final double share : workerShares)
        {
            if (!(share > 0) || Double.isInfinite(share))
            {
                throw new IllegalArgumentException("shares must be positive and finite, got " +
                    Arrays.toString(workerShares));
            }
        }
        System.arraycopy(workerShares, 0, shares, 0, shares.length);
        for (int n = 0; n < nodes; n++)
        {
            nodeShares[n] = WeightedSplit.sum(shares, firstDevice[n], devices[n]);
        }
    }

    /** The shares batches are cut by now, one per device, node-major. */
    public double[] shares()
    {
        return shares.clone();
    }

    /** A copy of node {@code node}'s devices' shares. */
    public double[] sharesOf(final int node)
    {
        return Arrays.copyOfRange(shares, firstDevice[node], firstDevice[node + 1]);
    }

    public int stepsPerEpoch()
    {
        return (examples + batchSize - 1) / batchSize;
    }

    /** Examples in global batch {@code step}: {@code batchSize}, or what is left for the last one. */
    public int batchSize(final int step)
    {
        return Math.min(batchSize, examples - step * batchSize);
    }

    /** Where node {@code node}'s slice of global batch {@code step} starts in the epoch order. */
    public int nodeFrom(final int step, final int node)
    {
        return step * batchSize + WeightedSplit.sliceStart(batchSize(step), nodeShares, 0, nodes, node);
    }

    public int nodeSize(final int step, final int node)
    {
        return WeightedSplit.sliceSize(batchSize(step), nodeShares, 0, nodes, node);
    }

    /** Where local device {@code device}'s part of the node's slice starts (as the synchronous step cuts it). */
    public int deviceFrom(final int step, final int node, final int device)
    {
        return nodeFrom(step, node) +
            WeightedSplit.sliceStart(nodeSize(step, node), shares, firstDevice[node], devices[node], device);
    }

    public int deviceSize(final int step, final int node, final int device)
    {
        return WeightedSplit.sliceSize(nodeSize(step, node), shares, firstDevice[node], devices[node], device);
    }
}
