package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.codec.CodecMeter;
import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.config.StrategyConfig;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.metrics.StepStats;
import io.tributary.trainer.metrics.StrategyStats;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.sync.LeaderScheme;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.SyncStep;
import org.HdrHistogram.Histogram;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code strategy.type: async}: after {@code warmup_steps} global steps of exact sync, each node takes the exact
 * sync step over its own replicas only (its own examples, its own updater) and never waits for the other nodes at
 * a step: an {@link AsyncExchange} sends its steps' movements and adds the others' as they arrive. A node waits only
 * when it would get more than {@code staleness} steps ahead of the slowest node it heard of. Every {@code period}
 * global steps, and at every epoch's end and checkpoint, the nodes meet at a sync point: the exchange drains and
 * the parameters are averaged ({@link ParameterAveraging}), after which every node holds the same bits. Between
 * sync points the run is not deterministic (what arrives when depends on timing), so nodes are compared only
 * there. One node: the sync step exactly. With {@code strategy.codec} the rounds send the movement through the
 * codec, with error feedback.
 */
final class AsyncStrategy extends SyncStepStrategy
{
    private static final long HIGHEST_STALENESS = 1 << 20;
    private static final long HIGHEST_WAIT_US = TimeUnit.HOURS.toMicros(1);

    private final LocalAfterWarmupScheme scheme;
    private final ParameterAveraging averaging;
    private final AsyncExchange exchange;
    private final CodecMeter[] meters;
    private final INDArray[] params;
    private final INDArray movement;
    private final int warmupSteps;
    private final int period;
    private final int staleness;
    private final Histogram stalenessSteps = new Histogram(HIGHEST_STALENESS, 3);
    private final Histogram waitMicros = new Histogram(HIGHEST_WAIT_US, 3);

    AsyncStrategy(final StrategyContext context)
    {
        this(context, new LocalAfterWarmupScheme(context.scheme().scheme(), new LeaderScheme(context.replicas(),
            context.threads(), context.nodeSum(), new LocalGradientReducer(), context.phases()),
            context.config().strategy().schedule().warmupSteps()));
    }

    private AsyncStrategy(final StrategyContext context, final LocalAfterWarmupScheme scheme)
    {
        super(new SyncStep(context.replicas(), context.threads(), scheme, context.phases()));
        final StrategyConfig.Schedule schedule = context.config().strategy().schedule();
        this.scheme = scheme;
        this.warmupSteps = schedule.warmupSteps();
        this.period = schedule.period();
        this.staleness = schedule.staleness();
        final DeviceReplica[] replicas = context.replicas();
        final int nodes = context.config().cluster().nodes();
        this.averaging = new ParameterAveraging(replicas, nodes > 1 ? context.acrossNodes().get() : null, null);
        final StrategyConfig strategy = context.config().strategy();
        this.meters = nodes > 1 && !Codecs.NONE.equals(strategy.codec()) ? new CodecMeter[] { new CodecMeter(
            Codecs.create(strategy.codec(), strategy, Math.toIntExact(replicas[0].model().numParams()))) } :
            new CodecMeter[0];
        this.exchange = nodes > 1 ? new AsyncExchange(context.acrossNodes().get(),
            meters.length > 0 ? context.codedAcrossNodes().apply(meters[0]) : null, context.phases(), nodes,
            context.nodeRank(), replicas[0].model().params(),
            TimeUnit.SECONDS.toNanos(context.config().cluster().timeoutSeconds())) : null;
        this.params = new INDArray[replicas.length];
        for (int r = 0; r < replicas.length; r++)
        {
            params[r] = replicas[r].model().params();
        }
        this.movement = replicas[0].model().params().ulike();
    }

    @Override
    public double step(final ExampleSet examples, final int[] order, final int from, final int size, final int epoch,
        final int globalExamples)
    {
        final long globalStep = step.globalStep();
        if (exchange == null || globalStep < warmupSteps)
        {
            return step.step(examples, order, from, size, epoch, globalExamples);
        }
        if (!averaging.pending())
        {
            averaging.startPeriod();
        }
        exchange.applyTo(params);
        final long waitStart = System.nanoTime();
        final long behind = exchange.awaitWithin(staleness);
        waitMicros.recordValue(Math.min(HIGHEST_WAIT_US, (System.nanoTime() - waitStart) / 1000));
        stalenessSteps.recordValue(Math.min(HIGHEST_STALENESS, behind));
        exchange.applyTo(params); // what the wait brought
        movement.assign(params[0]);
        final double loss = step.step(examples, order, from, size, epoch, size);
        movement.rsubi(params[0]);
        exchange.record(movement, (double)size / globalExamples, step.steps() - 1);
        averaging.record(size, globalExamples);
        if ((globalStep + 1 - warmupSteps) % period == 0)
        {
            syncPoint(globalStep + 1);
        }
        return loss;
    }

    /** Every node calls it at the same step: afterwards every replica of every node holds the same parameters. */
    private void syncPoint(final long globalStep)
    {
        exchange.stopRounds();
        exchange.applyTo(params);
        averaging.average(globalStep);
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
            syncPoint(step.globalStep());
        }
    }

    /** The exchange runs on the control ring: only a sync point frees it. */
    @Override
    public void quiesce()
    {
        settle(false);
    }

    /**
     * A checkpoint is a sync point: a resumed run continues from the averaged parameters, with nothing pending but
     * the codec's residual (movement not sent yet, which no node's parameters hold).
     */
    @Override
    public List<NodeState> stateParts()
    {
        settle(false);
        return meters.length > 0 ? List.of(meters[0].codec()) : List.of();
    }

    @Override
    public CodecMeter[] meters()
    {
        return meters;
    }

    /** {@code staleness_steps}: how far the slowest node was behind at each local step; {@code wait_ms}: waits. */
    @Override
    public Map<String, StepStats> stats()
    {
        final Map<String, StepStats> stats = new LinkedHashMap<>();
        stats.put(StrategyStats.STALENESS_STEPS, StepStats.ofCounts(stalenessSteps));
        stats.put(StrategyStats.WAIT_MS, StepStats.of(waitMicros));
        return stats;
    }

    @Override
    public void close()
    {
        if (exchange != null)
        {
            exchange.close();
        }
        scheme.close();
        for (final CodecMeter meter : meters)
        {
            meter.codec().close();
        }
    }
}
