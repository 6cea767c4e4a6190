package io.tributary.trainer.cluster;

/**
 * The few numbers every node of a job must agree on besides the gradients, summed over ring 0 (a correct
 * count, an epoch's loss), the barrier of a stop, and the lost-peer check between collectives. Without rings (one node, or a
 * caller's reducer) each sum is this node's own value and the check does nothing.
 */
public final class JobTotals
{
    private final NodeTransports rings;
    private final float[] pair = new float[2];

    /** @param rings this node's rings, or null */
    public JobTotals(final NodeTransports rings)
    {
        this.rings = rings;
    }

    /** Whether the sums reach other nodes. */
    public boolean isDistributed()
    {
        return rings != null;
    }

    /**
     * A non-negative count summed over every node, exactly: floats add integers exactly below 2^24, so the
     * count travels as two 16-bit halves (at most 256 nodes keep each half's sum below 2^24).
     */
    public long sumCount(final long own)
    {
        if (rings == null)
        {
            return own;
        }
        pair[0] = own >>> 16;
        pair[1] = own & 0xFFFF;
        rings.control().allReduce(pair);
        return ((long)pair[0] << 16) + (long)pair[1];
    }

    /**
     * The loss over every node's examples from each node's mean loss over its own: (loss x examples, examples)
     * summed (floats: about 7 digits). NaN when no node had an example.
     */
    public double meanLoss(final double nodeLoss, final int nodeExamples)
    {
        if (rings == null)
        {
            return nodeLoss;
        }
        pair[0] = nodeExamples == 0 ? 0f : (float)(nodeLoss * nodeExamples);
        pair[1] = nodeExamples;
        rings.control().allReduce(pair);
        return pair[1] > 0 ? (double)pair[0] / pair[1] : Double.NaN;
    }

    /**
     * Before this node closes its rings on an orderly exit (the run's end, or a stop at a checkpoint): a barrier on
     * ring 0, so no node closes its driver while a peer still reads its last frames (node 0 may still be reading
     * megabytes of node state or timeline when another node is done with its part). Best effort: a peer that does not come (it failed, or goes on alone) fails its own run, not
     * this node's stop.
     */
    public void leaveTogether()
    {
        if (rings != null)
        {
            try
            {
                rings.control().barrier();
            }
            catch (final RuntimeException ignored)
            {
                // The checkpoint this node stops at is written: the stop stays a stop.
            }
        }
    }

    /** Throws {@link io.tributary.transport.PeerLostException} when a peer of this node's rings is lost. */
    public void checkPeers()
    {
        if (rings != null)
        {
            rings.checkPeers();
        }
    }
}
