package io.tributary.trainer.strategy;

import io.tributary.trainer.cluster.SchemeFactory;
import io.tributary.trainer.codec.CodecMeter;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.metrics.StepPhases;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.sync.GradientReducer;
import io.tributary.trainer.replica.sync.NodeGradientSum;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a strategy is built from: the node's rank, its replicas and their threads, the scheme {@link SchemeFactory}
 * built for the configuration (the trainer closes it), the node sum, the step phases, a source of exact fp32
 * reducers across nodes (null from it on one node), and one of reducers through a codec's meter
 * ({@link SchemeFactory#codedAcrossNodes}).
 */
public record StrategyContext(TrainConfig config, int nodeRank, DeviceReplica[] replicas, ReplicaThreads threads,
    SchemeFactory.Built scheme, NodeGradientSum nodeSum, StepPhases phases, Supplier<GradientReducer> acrossNodes,
    Function<CodecMeter, GradientReducer> codedAcrossNodes)
{
}
