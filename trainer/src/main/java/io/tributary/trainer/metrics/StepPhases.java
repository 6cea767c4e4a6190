package io.tributary.trainer.metrics;

/**
 * What a step records about its phases: events of every replica into the {@link Timeline} (first steps only),
 * and one duration per phase per step into the {@link PhaseHistograms}. Data and compute are replica 0's
 * (every replica runs the same model on a slice of nearly the same size; replica 0's is never shorter);
 * intra, inter and update are measured by the coordinating thread, which is replica 0's.
 */
public final class StepPhases
{
    private final PhaseHistograms histograms = new PhaseHistograms();
    private final Timeline timeline;

    public StepPhases(final int nodeRank, final int replicas, final int timelineSteps)
    {
        this(nodeRank, replicas, timelineSteps, 0, 0);
    }

    /** With {@code commLanes} communication threads of {@code buckets} buckets each (overlap). */
    public StepPhases(final int nodeRank, final int replicas, final int timelineSteps, final int commLanes,
        final int buckets)
    {
        this.timeline = new Timeline(nodeRank, replicas, timelineSteps, commLanes, buckets);
    }

    /** An event of one replica; replica 0's data and compute also go into the histograms. */
    public void event(final long step, final int replica, final Phase phase, final long startNs, final long endNs)
    {
        timeline.record(step, replica, phase, startNs, endNs);
        if (replica == 0 && (phase == Phase.DATA || phase == Phase.COMPUTE))
        {
            histograms.record(phase, endNs - startNs);
        }
    }

    /** One replica's copy of the global sum: a timeline event; its time is in the step's intra duration. */
    public void copyEvent(final long step, final int replica, final long startNs, final long endNs)
    {
        timeline.recordCopy(step, replica, startNs, endNs);
    }

    /** A codec's encode or decode ({@link Timeline#ENCODE}, {@link Timeline#DECODE}) on a replica's thread. */
    public void codecEvent(final long step, final int replica, final int kind, final long startNs, final long endNs)
    {
        timeline.recordCodec(step, replica, kind, startNs, endNs);
    }

    /** A communication thread's sum or reduce of one bucket ({@link Timeline#BUCKET_SUM}, {@code BUCKET_REDUCE}). */
    public void bucketEvent(final long step, final int commLane, final int bucket, final int kind, final long startNs,
        final long endNs)
    {
        timeline.recordBucket(step, commLane, bucket, kind, startNs, endNs);
    }

    /** The step's duration of an intra, inter or update phase, as the coordinating thread saw it. */
    public void duration(final Phase phase, final long nanos)
    {
        histograms.record(phase, nanos);
    }

    public PhaseHistograms histograms()
    {
        return histograms;
    }

    public Timeline timeline()
    {
        return timeline;
    }
}
