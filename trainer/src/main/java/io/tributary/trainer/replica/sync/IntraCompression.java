package io.tributary.trainer.replica.sync;

import io.tributary.trainer.codec.CodecKeys;
import io.tributary.trainer.codec.CodecMeter;
import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.config.StrategyConfig;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.kernels.HostArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;

/**
 * The inside-the-node level of a two-level codec ({@code strategy.intra_codec}): each replica compresses its own
 * gradient, with its own residual, on its own thread right after its backward pass; the node then sums what the
 * replicas "sent". A replica whose slice was empty sends nothing and keeps its residual. Host memory only.
 */
public final class IntraCompression implements AutoCloseable
{
    static final int LEVEL = 2;

    private final DeviceReplica[] replicas;
    private final CodecMeter[] meters;
    private final INDArray[] viewed;
    private final ByteBuffer[] views;
    private final long runSeed;

    /** @return null when {@code strategy.intra_codec} is none */
    public static IntraCompression create(final DeviceReplica[] replicas, final StrategyConfig strategy,
        final long runSeed)
    {
        return Codecs.NONE.equals(strategy.intraCodec()) ? null : new IntraCompression(replicas, strategy, runSeed);
    }

    private IntraCompression(final DeviceReplica[] replicas, final StrategyConfig strategy, final long runSeed)
    {
        this.replicas = replicas;
        this.meters = new CodecMeter[replicas.length];
        this.viewed = new INDArray[replicas.length];
        this.views = new ByteBuffer[replicas.length];
        this.runSeed = runSeed;
        final int n = Math.toIntExact(replicas[0].model().numParams());
        for (int i = 0; i < replicas.length; i++)
        {
            meters[i] = new CodecMeter(Codecs.create(strategy.intraCodec(), strategy, n));
        }
    }

    /** On replica {@code replica}'s thread, after its backward pass of global step {@code globalStep}. */
    public void compress(final int replica, final long globalStep)
    {
        if (replicas[replica].examples() == 0)
        {
            return;
        }
        final INDArray gradient = replicas[replica].model().flatGradients();
        if (gradient != viewed[replica])
        {
            views[replica] = HostArrays.floatView(gradient);
            viewed[replica] = gradient;
        }
        meters[replica].compress(views[replica],
            CodecKeys.key(runSeed, globalStep, CodecKeys.stream(LEVEL, replica)));
    }

    /** One meter per replica, in replica order. */
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
