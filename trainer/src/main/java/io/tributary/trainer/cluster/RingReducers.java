package io.tributary.trainer.cluster;

import io.tributary.trainer.codec.CodecKeys;
import io.tributary.trainer.codec.CodecMeter;
import io.tributary.trainer.codec.DirectFloats;
import io.tributary.trainer.replica.sync.ShardReducer;
import io.tributary.transport.Collective;

import java.nio.ByteBuffer;

/**
 * How one ring sums a vector across nodes: exactly, or through a codec (whose error feedback lives on this node).
 * A dense codec's encodings are summed hop by hop along the ring; a sparse codec's messages are gathered and
 * every node decodes all of them, in rank order, into the same sum.
 */
public final class RingReducers
{
    static final int LOCAL = 0;
    static final int RING = 1;

    private RingReducers()
    {
    }

    /** The plain fp32 ring allreduce. */
    public static ShardReducer exact(final Collective collective)
    {
        return (data, count, globalStep) -> collective.allReduce(data, count);
    }

    /**
     * @param meter  the codec of this ring, with its meter
     * @param index  the ring's index, which keeps the random streams of rings apart
     */
    public static ShardReducer coded(final Collective collective, final CodecMeter meter, final long runSeed,
        final int index)
    {
        return meter.codec().summable() ? new DenseRing(collective, meter, runSeed, index) :
            new SparseGather(collective, meter, runSeed, index);
    }

    /**
     * {@code coded} from global step {@code warmupSteps} on, the exact ring before it: a warmup's steps are exact
     * sync steps under every strategy type, and under sync they give Adam's variance (and the model) a start that
     * no codec has bent.
     */
    public static ShardReducer afterWarmup(final ShardReducer exact, final ShardReducer coded, final long warmupSteps)
    {
        return warmupSteps == 0 ? coded : (data, count, globalStep) ->
            (globalStep < warmupSteps ? exact : coded).allReduce(data, count, globalStep);
    }

    private record DenseRing(Collective collective, CodecMeter meter, long runSeed, int index) implements ShardReducer
    {
        @Override
        public void allReduce(final ByteBuffer data, final int count, final long globalStep)
        {
            meter.compress(data, CodecKeys.key(runSeed, globalStep, CodecKeys.stream(LOCAL, index)));
            collective.allReduce(data, count, meter.codec().wire(),
                CodecKeys.key(runSeed, globalStep, CodecKeys.stream(RING, index)));
        }
    }

    /** Allgather of every node's message, then a decode of each into the zeroed vector, rank by rank. */
    private static final class SparseGather implements ShardReducer
    {
        private final Collective collective;
        private final CodecMeter meter;
        private final long runSeed;
        private final int index;
        private final ByteBuffer gathered;
        private final ByteBuffer one;
        private final int[] counts;

        SparseGather(final Collective collective, final CodecMeter meter, final long runSeed, final int index)
        {
            this.collective = collective;
            this.meter = meter;
            this.runSeed = runSeed;
            this.index = index;
            final int maxBytes = meter.codec().maxMessageBytes();
            this.gathered = DirectFloats.bytes(Math.multiplyExact(collective.worldSize(), maxBytes));
            this.one = DirectFloats.bytes(maxBytes);
            this.counts = new int[collective.worldSize()];
        }

        @Override
        public void allReduce(final ByteBuffer data, final int count, final long globalStep)
        {
            final int bytes = meter.compress(data, CodecKeys.key(runSeed, globalStep, CodecKeys.stream(LOCAL, index)));
            collective.allGather(meter.codec().message(), bytes / Float.BYTES, gathered, counts);
            final long start = System.nanoTime();
            DirectFloats.zero(data, count);
            int at = 0;
            for (final int floats : counts)
            {
                final int length = floats * Float.BYTES;
                if (length > one.capacity())
                {
                    throw new IllegalArgumentException("a node sent a " + meter.codec().name() + " message of " +
                        length + " bytes; at most " + one.capacity() + " fit");
                }
                one.put(0, gathered, at, length);
                meter.codec().decodeAdd(one, length, data);
                at += length;
            }
            meter.decoded(start, System.nanoTime());
        }
    }
}
