package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.codec.CodecMeter;
import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.config.StrategyConfig;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.replica.sync.GradientReducer;
import io.tributary.trainer.replica.sync.LeaderScheme;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.SyncStep;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code strategy.type: local-sgd} (post-local SGD): the exact sync step for the first {@code warmup_steps}
 * global steps; after them each node takes the exact sync step over its own replicas only (dividing by its own
 * examples, with its own updater), and the nodes average their parameters after every {@code period} local
 * steps ({@link ParameterAveraging}), and at every epoch's end so evaluation and checkpoints see one model.
 * Replicas inside a node are compared at every check; nodes only where they agree: in the warmup and right
 * after an averaging. On one node this is the sync step exactly.
 *
 * <p>With {@code strategy.codec} the averaging sends each node's movement through the codec, with error feedback
 * (what one averaging did not send is added to the next one's movement), and the warmup's sync steps compress
 * their gradients as sync does. Every node decodes the same bytes, so the nodes still agree after each averaging.
 */
final class LocalSgdStrategy extends SyncStepStrategy
{
    private final LocalAfterWarmupScheme scheme;
    private final ParameterAveraging averaging;
    private final CodecMeter[] meters;
    private final List<NodeState> parts = new ArrayList<>();
    private final int warmupSteps;
    private final int period;

    LocalSgdStrategy(final StrategyContext context)
    {
        this(context, localAfterWarmup(context));
    }

    private LocalSgdStrategy(final StrategyContext context, final LocalAfterWarmupScheme scheme)
    {
        super(new SyncStep(context.replicas(), context.threads(), scheme, context.phases()));
        final StrategyConfig.Schedule schedule = context.config().strategy().schedule();
        this.warmupSteps = schedule.warmupSteps();
        this.period = schedule.period();
        this.scheme = scheme;
        // One node averages nothing: not even a caller's reducer is asked, so the step stays sync's bit for bit.
        final boolean severalNodes = context.config().cluster().nodes() > 1;
        final StrategyConfig strategy = context.config().strategy();
        final boolean coded = severalNodes && !Codecs.NONE.equals(strategy.codec());
        this.meters = coded ? new CodecMeter[] { new CodecMeter(Codecs.create(strategy.codec(), strategy,
            Math.toIntExact(context.replicas()[0].model().numParams()))) } : new CodecMeter[0];
        final GradientReducer paramsAcross = !severalNodes ? null :
            coded ? context.codedAcrossNodes().apply(meters[0]) : context.acrossNodes().get();
        this.averaging = new ParameterAveraging(context.replicas(), paramsAcross,
            severalNodes && schedule.averageUpdater() ? context.acrossNodes().get() : null);
        parts.add(averaging);
        for (final CodecMeter meter : meters)
        {
            parts.add(meter.codec());
        }
        parts.addAll(context.scheme().stateParts());
    }

    private static LocalAfterWarmupScheme localAfterWarmup(final StrategyContext context)
    {
        return new LocalAfterWarmupScheme(context.scheme().scheme(), new LeaderScheme(context.replicas(),
            context.threads(), context.nodeSum(), new LocalGradientReducer(), context.phases()),
            context.config().strategy().schedule().warmupSteps());
    }

    @Override
    public double step(final ExampleSet examples, final int[] order, final int from, final int size, final int epoch,
        final int globalExamples)
    {
        final long globalStep = step.globalStep();
        if (globalStep < warmupSteps)
        {
            return step.step(examples, order, from, size, epoch, globalExamples);
        }
        if (!averaging.pending())
        {
            averaging.startPeriod();
        }
        final double loss = step.step(examples, order, from, size, epoch, size);
        averaging.record(size, globalExamples);
        if ((globalStep + 1 - warmupSteps) % period == 0)
        {
            averaging.average(globalStep + 1);
        }
        return loss;
    }

    @Override
    public long verify(final long globalStep)
    {
        return averaging.pending() ? step.replicaChecksum(globalStep) : step.verifyReplicas(globalStep);
    }

    @Override
    public void settle(final boolean runEnds)
    {
        if (averaging.pending())
        {
            averaging.average(step.globalStep());
        }
    }

    /** The averaging's state, its codec's residual, then the warmup scheme's codec residuals. */
    @Override
    public List<NodeState> stateParts()
    {
        return parts;
    }

    @Override
    public CodecMeter[] meters()
    {
        return meters;
    }

    @Override
    public void close()
    {
        scheme.close();
        for (final CodecMeter meter : meters)
        {
            meter.codec().close();
        }
    }
}
