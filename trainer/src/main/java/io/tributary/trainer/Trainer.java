package io.tributary.trainer;

import io.tributary.trainer.balance.StepPlan;
import io.tributary.trainer.checkpoint.NodeStates;
import io.tributary.trainer.cluster.JobTotals;
import io.tributary.trainer.cluster.NodeReports;
import io.tributary.trainer.cluster.NodeTransports;
import io.tributary.trainer.cluster.SchemeFactory;
import io.tributary.trainer.cluster.World;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSharder;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.metrics.CompressionStats;
import io.tributary.trainer.metrics.NodeReport;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.metrics.StepTimer;
import io.tributary.trainer.metrics.Timeline;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.kernels.NodeGradientSums;
import io.tributary.trainer.replica.ChunkedEvaluation;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.ThreadBudget;
import io.tributary.trainer.replica.sync.Buckets;
import io.tributary.trainer.replica.sync.GradientReducer;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.NodeGradientSum;
import io.tributary.trainer.strategy.StepStrategies;
import io.tributary.trainer.strategy.StepStrategy;
import io.tributary.trainer.strategy.StrategyContext;
import org.agrona.CloseHelper;

import java.util.Arrays;
import java.util.List;

/**
 * Trains one node: N replicas cloned from one initialised model, one thread each, the step of {@code strategy.type}
 * ({@link StepStrategy}) over every global batch, replica checksums every {@code strategy.check_every} steps and at
 * the end. With more than one node it opens the rings of {@code cluster.scheme} itself, trains this node's slice of
 * every global batch, and compares parameter checksums across nodes where the strategy keeps them equal; a lost
 * node surfaces as {@link io.tributary.transport.PeerLostException} out of {@link #train}. After training,
 * {@link #gatherNodeReports()} and {@link #gatherTimeline()} (collectives: every node calls them, in that
 * order) bring every node's metrics and trace events to node 0, which writes them.
 */
public final class Trainer implements AutoCloseable
{
    /** Generous: one LeNet step on a loaded 2-core machine takes about a second; evaluation shards longer. */
    private static final long REPLICA_TIMEOUT_MS = 15 * 60 * 1000L;

    private final TrainConfig config;
    private final TrainTest data;
    private final World world;
    private final DeviceReplica[] replicas;
    private final ReplicaThreads threads;
    private final NodeGradientSum nodeGradientSum;
    private final NodeTransports transports;
    private final SchemeFactory.Built scheme;
    private final CompressionStats compression;
    private final StepPhases phases;
    private final StepStrategy strategy;
    private final TestEvaluation evaluation;
    private final JobTotals totals;
    private final int threadsPerDevice;
    private final int nodeRank;
    private final int[] order;
    private final DataSharder sharder;
    private final StepTimer timer = new StepTimer();
    private final AccuracyCurve curve;
    private final StepPlan plan;
    private int epochsDone;
    private long samples;
    private double loss = Double.NaN;
    // The epoch loop's position: where this process started (a resumed run starts mid-way), the next step, and
    // what the node does besides a step (a failure names it).
    private TrainingPosition resumedFrom = TrainingPosition.START;
    private int nextEpoch;
    private int nextStep;
    private TrainingPhase phase = TrainingPhase.TRAINING;

    public Trainer(final TrainConfig config, final TrainTest data)
    {
        this(config, data, World.single());
    }

    /**
     * One node of the job {@code world}; with several it joins the job, opening the rings of {@code cluster.scheme}
     * (blocking until every node joined, or {@code cluster.timeout_s}) that {@link #close()} closes.
     */
    public Trainer(final TrainConfig config, final TrainTest data, final World world)
    {
        this(config, data, world, null);
    }

    /**
     * @param reducer  makes each node's gradient sum global (the leader scheme over it); {@link LocalGradientReducer}
     *                 for one node
     * @param nodeRank this node's index among {@code cluster.nodes}; each global batch is split across nodes
     *                 like it is across devices, and node {@code nodeRank} trains its slice
     */
    public Trainer(final TrainConfig config, final TrainTest data, final GradientReducer reducer, final int nodeRank)
    {
        this(config, data, new World(nodeRank, config.cluster().nodes(), 0, "127.0.0.1", 0, "tributary", "local"),
            reducer);
    }

    private Trainer(final TrainConfig config, final TrainTest data, final World world, final GradientReducer reducer)
    {
        TrainerChecks.checkWorld(config, world, reducer != null);
        this.world = world;
        this.nodeRank = world.rank();
        this.config = config;
        this.data = data;
        final int devices = config.cluster().devicesOf(nodeRank);
        this.threadsPerDevice = ThreadBudget.apply(devices);
        this.replicas = NodeReplicas.create(config, data, nodeRank);
        this.order = new int[data.train().size()];
        this.sharder = new DataSharder(data.train().size(), config.run().batchSize(), config.cluster().devicesPerNode());
        this.curve = new AccuracyCurve(config.run().evalEverySteps(), sharder.stepsPerEpoch());
        final long runSteps = (long)config.run().epochs() * stepsPerEpoch();
        final Buckets buckets = SchemeFactory.buckets(config, replicas[0].model());
        this.phases = TrainerChecks.phases(config, world, runSteps, buckets);
        this.threads = new ReplicaThreads(devices, REPLICA_TIMEOUT_MS);
        NodeGradientSum sum = null;
        NodeTransports opened = null;
        try
        {
            sum = NodeGradientSums.forCluster(config.cluster());
            opened = reducer == null && world.nodes() > 1 ? NodeTransports.open(world, config.cluster()) : null;
            this.scheme = SchemeFactory.build(config, replicas, threads, opened, reducer, sum, phases, buckets,
                REPLICA_TIMEOUT_MS);
        }
        catch (final Throwable ex)
        {
            // An Error during the rendezvous (out of memory, a link error) too: no replica thread or ring stays open.
            CloseHelper.closeAll(opened, sum, threads);
            throw ex;
        }
        this.nodeGradientSum = sum;
        this.transports = opened;
        this.strategy = StepStrategies.create(new StrategyContext(config, nodeRank, replicas, threads, scheme, sum, phases,
            () -> SchemeFactory.acrossNodes(this.transports, reducer),
            meter -> SchemeFactory.codedAcrossNodes(this.transports, meter, config.run().seed())));
        this.compression = new CompressionStats(scheme.inter(), strategy.meters(), scheme.intra(),
            transports == null ? () -> 0L : transports::bytesSent, phases, world.nodes(), replicas[0].model().numParams(),
            buckets == null);
        this.totals = new JobTotals(opened);
        this.plan = new StepPlan(config, data.train(), sharder, replicas, nodeRank, world.nodes(),
            opened == null ? null : opened.control());
        this.evaluation = new TestEvaluation(
            new ChunkedEvaluation(replicas, threads, NodeReplicas.maxRows(config, devices)), totals, world);
    }

    public int threadsPerDevice()
    {
        return threadsPerDevice;
    }

    public long numParams()
    {
        return replicas[0].model().numParams();
    }

    public int stepsPerEpoch()
    {
        return sharder.stepsPerEpoch();
    }

    /** Every node's own state (the codecs' residuals, the strategy's): a collective when there is any. */
    private NodeStates nodeStates()
    {
        return NodeStates.gather(strategy.stateParts(), transports == null ? null : transports.control());
    }

    /**
     * Makes every replica continue where a checkpoint stopped: its parameters, updater state and counts, this
     * node's own state from {@code states}, and the position of the next step. Call before training.
     *
     * @throws io.tributary.trainer.model.ModelException when {@code states} lacks this node's state or holds
     *                                                     another configuration's
     */
    public void resume(final TrainingPosition position, final TrainableModel saved, final NodeStates states)
    {
        if (strategy.steps() > 0)
        {
            throw new IllegalStateException("resume before the first step, not after " + strategy.steps());
        }
        for (final DeviceReplica replica : replicas)
        {
            replica.model().restoreFrom(saved);
        }
        states.restore(nodeRank, strategy.stateParts()); // after the model: a node's own parameters win
        plan.restoreShares(position.shares());
        resumedFrom = position;
        strategy.startAt(position.globalStep());
        nextEpoch = position.epoch();
        nextStep = position.step();
        epochsDone = position.epoch();
        samples = position.samples();
        loss = position.loss();
        curve.restore(position);
    }

    /**
     * Trains every configured epoch (or up to {@code run.max_steps}, the last one cut short), evaluating as
     * configured and always at the end, and verifies the replicas at the end.
     */
    public TrainResult train(final TrainingListener listener)
    {
        final int epochs = config.run().epochs();
        boolean last = false;
        for (int epoch = resumedFrom.epoch(); epoch < epochs && !last; epoch++)
        {
            last = !trainEpoch(epoch, listener) || epoch == epochs - 1 || maxStepsReached();
            strategy.settle(last);
            final boolean evaluates = config.run().evalEachEpoch() || last || curve.dueAt(globalSteps());
            phase = evaluates ? TrainingPhase.EVALUATING : TrainingPhase.CHECKPOINTING;
            curve.addEpoch(globalSteps(), trainNanos(), evaluates ? evaluate(data.test()) : Double.NaN);
            totals.checkPeers();
            phase = TrainingPhase.CHECKPOINTING;
            listener.onEpochEnd(epoch, curve.last(), replicas[0].model());
            listener.onCheckpoint(position(), replicas[0].model(), nodeStates());
            // Node 0 just wrote (and fsynced) files: a peer lost meanwhile is reported now, not a step later.
            totals.checkPeers();
        }
        phase = TrainingPhase.FINISHING;
        return result();
    }

    /**
     * Trains one epoch in the (seed, epoch) order, from the resume position's step when it is that epoch;
     * lets a caller interleave epochs with other work. Every {@code run.checkpoint_steps} steps (but not at
     * an epoch's last step: {@link #train} offers the epoch-end checkpoint after evaluating) it offers a
     * checkpoint to the listener.
     *
     * @return false when {@code run.max_steps} ended the epoch before its last step
     */
    public boolean trainEpoch(final int epoch, final TrainingListener listener)
    {
        final ExampleSet train = data.train();
        final int stepsPerEpoch = sharder.stepsPerEpoch();
        final int checkEvery = config.strategy().checkEvery();
        final int checkpointSteps = config.run().checkpointSteps();
        train.fillOrder(order, config.run().seed(), epoch);
        final int first = epoch == resumedFrom.epoch() ? resumedFrom.step() : 0;
        phase = TrainingPhase.TRAINING;
        for (int step = first; step < stepsPerEpoch; step++)
        {
            if (maxStepsReached())
            {
                return false;
            }
            nextEpoch = epoch;
            nextStep = step;
            plan.before(epoch, step, globalSteps());
            final long start = System.nanoTime();
            loss = strategy.step(train, order, plan.from(), plan.size(), epoch, plan.summed());
            timer.record(System.nanoTime() - start);
            compression.afterStep(strategy.steps() - 1);
            plan.after(globalSteps());
            if (step + 1 == stepsPerEpoch)
            {
                // The epoch's last step: the whole global batch's loss, the same on every node.
                strategy.quiesce();
                loss = totals.meanLoss(loss, plan.size());
            }
            samples += plan.summed();
            nextStep = step + 1;
            if (globalSteps() % checkEvery == 0)
            {
                strategy.verify(globalSteps());
            }
            listener.onStep(epoch, step, stepsPerEpoch, samples, trainNanos(), loss);
            evaluateIfDue(step + 1 < stepsPerEpoch);
            if (checkpointSteps > 0 && globalSteps() % checkpointSteps == 0 && step + 1 < stepsPerEpoch)
            {
                phase = TrainingPhase.CHECKPOINTING;
                totals.checkPeers();
                listener.onCheckpoint(position(), replicas[0].model(), nodeStates());
                totals.checkPeers();
                phase = TrainingPhase.TRAINING;
            }
        }
        epochsDone = epoch + 1;
        nextEpoch = epoch + 1;
        nextStep = 0;
        for (final DeviceReplica replica : replicas)
        {
            replica.model().setEpoch(epochsDone);
        }
        return true;
    }

    /** {@code run.eval_every_steps} mid-epoch (the epoch's end is train's), settled as there, outside train time. */
    private void evaluateIfDue(final boolean midEpoch)
    {
        if (midEpoch && curve.dueAt(globalSteps()))
        {
            phase = TrainingPhase.EVALUATING; // a peer lost while settling is lost after this step, not in the next
            strategy.settle(false); // local-sgd averages the nodes, ssp waits for its reduces: one model everywhere
            curve.add(globalSteps(), trainNanos(), evaluate(data.test()));
            phase = TrainingPhase.TRAINING;
        }
    }

    private boolean maxStepsReached()
    {
        return config.run().maxSteps() > 0 && globalSteps() >= config.run().maxSteps();
    }

    /** The next step to train (or the one in progress), with what a resumed run needs besides the model. */
    public TrainingPosition position()
    {
        return new TrainingPosition(nextEpoch, nextStep, globalSteps(), samples, trainNanos(), loss, curve.epochs(),
            curve.points(), plan.balancer().shares());
    }

    /** What this node does besides a step: with {@link #position()}, where a failure happened. */
    public TrainingPhase phase()
    {
        return phase;
    }

    /** Steps since the start of the run, those before a resume included. */
    private long globalSteps()
    {
        return resumedFrom.globalStep() + strategy.steps();
    }

    /** Time in training steps since the start of the run, a resumed run's earlier processes included. */
    private long trainNanos()
    {
        return resumedFrom.trainNanos() + timer.totalNanos();
    }

    /** Verifies the replicas agree and summarises the epochs trained so far. */
    public TrainResult result()
    {
        final long checksum = strategy.verify(globalSteps());
        final double seconds = trainNanos() / 1e9;
        return new TrainResult(replicas[0].model(), epochsDone, replicas.length, config.cluster().nodes(),
            Arrays.stream(config.cluster().devicesPerNode()).boxed().toList(), globalSteps(), samples, seconds, samples / seconds, curve.last(), List.copyOf(curve.epochs()),
            List.copyOf(curve.points()), loss, timer.stats(), checksum, plan.balancer().shares(),
            plan.balancer().changes(), plan.balancer().lastPlan(), plan.droppedCounts());
    }

    /** Test accuracy, the same on every node: a collective with several nodes ({@link TestEvaluation}). */
    public double evaluate(final ExampleSet test)
    {
        return evaluation.accuracy(test);
    }

    /** The progress line's wire summary since its last call (empty on one node). */
    public String wireProgress()
    {
        return compression.progress();
    }

    /** Before this node's orderly exit ({@link JobTotals#leaveTogether()}). */
    public void leaveTogether()
    {
        totals.leaveTogether();
    }

    /** This node's place in the job. */
    public World world()
    {
        return world;
    }

    /**
     * Every node's report, in rank order: traffic, allreduce latency, phase percentiles and throughput. A
     * collective after training: every node must call it; every node gets all reports (node 0 writes them).
     */
    public List<NodeReport> gatherNodeReports()
    {
        final double seconds = timer.totalNanos() / 1e9;
        final double samplesPerSecond = seconds > 0 ? strategy.localExamples() / seconds : 0;
        return NodeReports.gather(nodeRank, transports, phases.histograms().all(), samplesPerSecond, strategy.steps(),
            compression.all(), strategy.stats());
    }

    /**
     * On node 0, every node's timeline events in one timeline (pid = node rank), to write as timeline.json. A
     * collective after training, like {@link #gatherNodeReports()}; the other nodes (and a single node) get
     * their own timeline back.
     */
    public Timeline gatherTimeline()
    {
        return transports == null ? phases.timeline() : NodeReports.gather(phases.timeline(), transports.control());
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(plan, threads, strategy, scheme, nodeGradientSum, transports);
    }
}
