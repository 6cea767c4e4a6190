package io.tributary.trainer;

import io.tributary.trainer.cluster.World;
import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.StrategyConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataException;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.metrics.Timeline;
import io.tributary.trainer.model.BatchStatistics;
import io.tributary.trainer.model.ModelException;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.sync.Buckets;

import java.util.List;

/**
 * What a {@link Trainer} refuses before it builds replicas: a world that disagrees with the config, data too
 * small to split, unsummable statistics.
 */
final class TrainerChecks
{
    private TrainerChecks()
    {
    }

    /** @param ownReducer the caller reduces across nodes itself (tests), so no transport is opened */
    static void checkWorld(final TrainConfig config, final World world, final boolean ownReducer)
    {
        final int nodes = config.cluster().nodes();
        if (world.nodes() != nodes)
        {
            throw new ConfigException(config.name(), "cluster.nodes", "expected the job's " + world.nodes() +
                " nodes (WORLD_SIZE / SLURM_NTASKS), got " + nodes);
        }
        if (world.rank() < 0 || world.rank() >= nodes)
        {
            throw new IllegalArgumentException("node rank " + world.rank() + " outside [0, " + nodes + ")");
        }
        if (!ownReducer && nodes > 1 && !"cpu".equals(config.cluster().backend()))
        {
            throw new ConfigException(config.name(), "cluster.backend", "expected cpu with more than one node " +
                "(multi-node training reduces host memory), got " + config.cluster().backend());
        }
        if (!"cpu".equals(config.cluster().backend()) && !Codecs.NONE.equals(config.strategy().intraCodec()))
        {
            throw new ConfigException(config.name(), "strategy.intra_codec", "expected none under backend " +
                config.cluster().backend() + " (the replicas' codecs run on host memory), got " +
                config.strategy().intraCodec());
        }
        if (!"cpu".equals(config.cluster().backend()) && StrategyConfig.SSP.equals(config.strategy().type()))
        {
            throw new ConfigException(config.name(), "strategy.type", "expected sync or local-sgd under backend " +
                config.cluster().backend() + " (ssp keeps its pending gradients in host memory), got ssp");
        }
    }

    /** The most trace events a job records: the gathered timeline's event count travels as an exact float. */
    static final long MAX_TIMELINE_EVENTS = 1L << 24;

    /**
     * The step phases of this node, its timeline sized for the replicas and the comm lanes: with overlap, one per
     * ring and bucket; under ssp and async on several nodes, one for the background reduce or exchange.
     */
    static StepPhases phases(final TrainConfig config, final World world, final long runSteps, final Buckets buckets)
    {
        final String type = config.strategy().type();
        final boolean background = world.nodes() > 1 &&
            (StrategyConfig.SSP.equals(type) || StrategyConfig.ASYNC.equals(type));
        final int lanes = buckets != null ? (world.nodes() > 1 ? config.cluster().rings() : 1) : background ? 1 : 0;
        final int bucketCount = buckets != null ? buckets.count() : background ? 1 : 0;
        // Every node's replicas and lanes record events each step: the job's trace holds them all.
        final long perStep = (long)(config.cluster().workers() + config.cluster().nodes() * lanes * bucketCount) *
            Timeline.KINDS;
        return new StepPhases(world.rank(), config.cluster().devicesOf(world.rank()),
            timelineSteps(config, runSteps, perStep), lanes, bucketCount);
    }

    /**
     * The steps to record in the timeline: {@code run.timeline_steps}, but no more than the run trains (a
     * slot per untrained step would be memory for nothing).
     *
     * @param perStep the events the whole job records per step, at most
     * @throws ConfigException naming run.timeline_steps when the job's trace would exceed
     *                         {@link #MAX_TIMELINE_EVENTS}, before any training time is spent
     */
    static int timelineSteps(final TrainConfig config, final long runSteps, final long perStep)
    {
        final int steps = (int)Math.min(config.run().timelineSteps(), runSteps);
        if (steps * perStep > MAX_TIMELINE_EVENTS)
        {
            throw new ConfigException(config.name(), "run.timeline_steps", "expected at most " +
                MAX_TIMELINE_EVENTS / perStep + " for " + config.cluster().nodes() + " node(s) with " +
                config.cluster().workers() + " device(s) in all (" + perStep + " events per step, at most " +
                MAX_TIMELINE_EVENTS + " in the job's trace), got " + config.run().timelineSteps());
        }
        return steps;
    }

    static void checkData(final TrainTest data, final int workers)
    {
        if (data.train().size() < workers)
        {
            throw new DataException(data.train().size() + " training examples for " + workers +
                " devices: every device needs at least one");
        }
        if (data.test().size() == 0)
        {
            throw new DataException("the test set is empty");
        }
    }

    static void checkExactlySynchronisable(final TrainableModel model, final int workers)
    {
        if (workers < 2)
        {
            return;
        }
        final List<String> statistics = BatchStatistics.undividedParameters(model.dl4jModel());
        if (!statistics.isEmpty())
        {
            throw new ModelException("model: parameters " + statistics + " are running batch statistics (such as " +
                "BatchNormalization's mean and variance), which summing over " + workers + " devices cannot make " +
                "equal to one device on the whole batch; train this model with cluster.devices: 1");
        }
    }
}
