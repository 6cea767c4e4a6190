package io.tributary.trainer.data;

/**
 * Who trains which examples of an epoch. The epoch's order ({@link EpochShuffle}, a pure function of seed and
 * epoch) is cut into global batches of {@code batchSize} (the last one shorter); each global batch is cut into
 * one contiguous slice per node, and each node's slice into one per local device, by {@link BatchSplit}
 * (sizes differ by at most one). So every example is used exactly once per epoch across the whole world, and
 * every node knows every other node's part without communicating. Positions are indices into the order.
 */
public final class DataSharder
{
    private final int examples;
    private final int batchSize;
    private final int nodes;
    private final int devices;

    public DataSharder(final int examples, final int batchSize, final int nodes, final int devices)
    {
        if (examples < 1 || batchSize < 1 || nodes < 1 || devices < 1)
        {
            throw new IllegalArgumentException("examples " + examples + ", batch size " + batchSize + ", nodes " +
                nodes + ", devices " + devices + ": each must be at least 1");
        }
        this.examples = examples;
        this.batchSize = batchSize;
        this.nodes = nodes;
        this.devices = devices;
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
        return step * batchSize + BatchSplit.sliceStart(batchSize(step), nodes, node);
    }

    public int nodeSize(final int step, final int node)
    {
        return BatchSplit.sliceSize(batchSize(step), nodes, node);
    }

    /** Where local device {@code device}'s part of the node's slice starts (as the synchronous step cuts it). */
    public int deviceFrom(final int step, final int node, final int device)
    {
        return sliceFrom(nodeFrom(step, node), nodeSize(step, node), devices, device);
    }

    public int deviceSize(final int step, final int node, final int device)
    {
        return sliceSize(nodeSize(step, node), devices, device);
    }

    /** Where device {@code device}'s part of a node slice {@code [nodeFrom, nodeFrom + nodeSize)} starts. */
    public static int sliceFrom(final int nodeFrom, final int nodeSize, final int devices, final int device)
    {
        return nodeFrom + BatchSplit.sliceStart(nodeSize, devices, device);
    }

    /** The synchronous step's cut of a node slice: {@link io.tributary.trainer.replica.sync.SyncStep} uses it. */
    public static int sliceSize(final int nodeSize, final int devices, final int device)
    {
        return BatchSplit.sliceSize(nodeSize, devices, device);
    }
}
