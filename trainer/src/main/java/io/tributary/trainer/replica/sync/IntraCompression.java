package io.tributary.trainer.replica.sync;

import io.tributary.trainer.codec.CodecKeys;
import io.tributary.trainer.codec.CodecMeter;
import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.config.StrategyConfig;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.kernels.HostArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The inside-the-node level of a two-level codec ({@code strategy.intra_codec}): each replica compresses its own
 * gradient, with its own residual, on its own thread right after its backward pass (or, under overlap, each
 * bucket as soon as backprop has finished it); the node then sums what the replicas "sent". A replica whose slice
 * was empty sends nothing and keeps its residual. Host memory only.
 */
public final class IntraCompression implements AutoCloseable
{
    static final int LEVEL = 2;

    private final DeviceReplica[] replicas;
    private final int[] segmentFrom;
    private final int[] segmentLength;
    /** meters[replica * segments + segment]. */
    private final CodecMeter[] meters;
    private final INDArray[] viewed;
    private final ByteBuffer[] views;
    private final long runSeed;

    /** One segment, the whole gradient; null when {@code strategy.intra_codec} is none. */
    public static IntraCompression create(final DeviceReplica[] replicas, final StrategyConfig strategy,
        final long runSeed)
    {
        final int n = Math.toIntExact(replicas[0].model().numParams());
        return create(replicas, strategy, runSeed, new int[]{ 0 }, new int[]{ n });
    }

    /** Segment s is [from[s], from[s] + length[s]) of the gradient; null when intra_codec is none. */
    public static IntraCompression create(final DeviceReplica[] replicas, final StrategyConfig strategy,
        final long runSeed, final int[] from, final int[] length)
    {
        return Codecs.NONE.equals(strategy.intraCodec()) ? null :
            new IntraCompression(replicas, strategy, runSeed, from, length);
    }

    private IntraCompression(final DeviceReplica[] replicas, final StrategyConfig strategy, final long runSeed,
        final int[] from, final int[] length)
    {
        this.replicas = replicas;
        this.segmentFrom = from;
        this.segmentLength = length;
        this.meters = new CodecMeter[replicas.length * from.length];
        this.viewed = new INDArray[replicas.length];
        this.views = new ByteBuffer[meters.length];
        this.runSeed = runSeed;
        for (int i = 0; i < meters.length; i++)
        {
            meters[i] = new CodecMeter(Codecs.create(strategy.intraCodec(), strategy, length[i % from.length]));
        }
    }

    /** Every segment, on replica {@code replica}'s thread, after its backward pass of global step {@code globalStep}. */
    public void compress(final int replica, final long globalStep)
    {
        for (int s = 0; s < segmentFrom.length; s++)
        {
            compress(replica, s, globalStep);
        }
    }

    /** Segment {@code segment} of replica {@code replica}'s gradient, on that replica's thread. */
    public void compress(final int replica, final int segment, final long globalStep)
    {
        if (replicas[replica].examples() == 0)
        {
            return;
        }
        refresh(replica);
        final int at = replica * segmentFrom.length + segment;
        meters[at].compress(views[at], CodecKeys.key(runSeed, globalStep, CodecKeys.stream(LEVEL, at)));
    }

    private void refresh(final int replica)
    {
        final INDArray gradient = replicas[replica].model().flatGradients();
        if (gradient != viewed[replica])
        {
            final ByteBuffer whole = HostArrays.floatView(gradient);
            for (int s = 0; s < segmentFrom.length; s++)
            {
                views[replica * segmentFrom.length + s] = whole.slice(segmentFrom[s] * Float.BYTES,
                    segmentLength[s] * Float.BYTES).order(ByteOrder.nativeOrder());
            }
            viewed[replica] = gradient;
        }
    }

    /** The meters, replica by replica, each replica's segments in order. */
    public CodecMeter[] meters()
    {
        return meters;
    }

    @Override
    public void close()
    {
        for (final CodecMeter meter : meters)
        {
            meter.codec().close();
        }
    }
}
