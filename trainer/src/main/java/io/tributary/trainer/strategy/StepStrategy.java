package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.codec.CodecMeter;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.metrics.StepStats;

import java.util.List;
import java.util.Map;

/**
 * How a node turns global batches into parameter updates, step by step: exact sync, local SGD, stale-synchronous,
 * asynchronous.
 * The trainer loop, checkpointing, evaluation and the failure handling talk to this interface only; one class per
 * strategy, listed in {@link StepStrategies}.
 */
public interface StepStrategy extends AutoCloseable
{

    /**
     * Trains this node's slice {@code order[from .. from+size)} of the next global batch of {@code globalExamples}.
     *
     * @return the mean loss over this node's examples of the batch
     */
    double step(ExampleSet examples, int[] order, int from, int size, int epoch, int globalExamples);

    /** Makes this process's first step the job's global step {@code globalStep} (a resumed run's). */
    void startAt(long globalStep);

    /** Steps this process trained. */
    long steps();

    /** Examples of this node's slices over all steps of this process. */
    long localExamples();

    /**
     * Checks that the node's replicas hold equal parameters and, where the strategy keeps nodes equal at this
     * point, that every node does (a collective: every node calls it at the same steps).
     *
     * @param globalStep the job's step count, which messages name
     * @return the parameter checksum of this node's replicas
     */
    long verify(long globalStep);

    /**
     * At an epoch's end, before evaluating and checkpointing: brings the nodes to equal parameters where the
     * strategy let them part, and when {@code runEnds}, finishes what is still pending.
     */
    default void settle(final boolean runEnds)
    {
    }

    /** Waits until no collective of this strategy runs in the background, so the caller may use the rings. */
    default void quiesce()
    {
    }

    /** The meters of the codecs the strategy runs itself (local-sgd's averaging); empty when none. */
    default CodecMeter[] meters()
    {
        return new CodecMeter[0];
    }

    /** The strategy's own per-step measurements, keyed by {@link io.tributary.trainer.metrics.StrategyStats#KEYS}; empty when it has none. */
    default Map<String, StepStats> stats()
    {
        return Map.of();
    }

    /** This node's own state for a checkpoint, stable once this returns (call between steps). */
    List<NodeState> stateParts();

    @Override
    default void close()
    {
    }
}
