package io.tributary.trainer.replica;

import io.tributary.trainer.config.OptimizerConfig;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.SyntheticSource;
import io.tributary.trainer.model.BuiltinModels;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rounds of at most one forward pass per replica count what one pass over each slice counts, with the check
 * run after every round; a check that throws ends the evaluation after that round.
 */
class ChunkedEvaluationTest
{
    private static final int ROWS = 7;

    @Test
    void roundsCountWhatOneReplicaCountsAndTheCheckRunsAfterEach()
    {
        final ExampleSet test = new SyntheticSource(10, 61, 6, 3, 4).load().test();
        final int[] identity = identity(test.size());
        final TrainableModel model = ModelFactory.init(BuiltinModels.mlp(6, 3, List.of(5), "relu",
            new OptimizerConfig(OptimizerConfig.Kind.SGD, 0.1, 0, 0.9), 3));
        final int expected = new DeviceReplica(0, model.copy(), test.size(), 6, 3).countCorrect(test, identity, 0,
            test.size());
        assertTrue(expected > 0 && expected < test.size(), "an untrained model is right on some examples: " + expected);
        final DeviceReplica[] replicas = { new DeviceReplica(0, model.copy(), ROWS, 6, 3),
            new DeviceReplica(1, model.copy(), ROWS, 6, 3), new DeviceReplica(2, model.copy(), ROWS, 6, 3) };
        try (ReplicaThreads threads = new ReplicaThreads(3, 10_000))
        {
            final ChunkedEvaluation evaluation = new ChunkedEvaluation(replicas, threads, ROWS);
            final AtomicInteger rounds = new AtomicInteger();
            // 61 over 3 replicas: slices of 21, 20, 20 rows, so ceil(21 / 7) = 3 rounds.
            assertEquals(expected, evaluation.countCorrect(test, identity, 0, test.size(), rounds::incrementAndGet));
            assertEquals(3, rounds.get());

            // A sub-range (a node's slice) counts what the whole range's replica counts on it.
            final int part = new DeviceReplica(0, model.copy(), test.size(), 6, 3).countCorrect(test, identity, 20, 21);
            assertEquals(part, evaluation.countCorrect(test, identity, 20, 21, () -> { }));

            final RuntimeException lost = new IllegalStateException("peer lost");
            final AtomicInteger checks = new AtomicInteger();
            assertSame(lost, assertThrows(IllegalStateException.class, () -> evaluation.countCorrect(test, identity,
                0, test.size(), () ->
                {
                    checks.incrementAndGet();
                    throw lost;
                })));
            assertEquals(1, checks.get(), "the evaluation stops after the round in which the peer was lost");
        }
    }

    private static int[] identity(final int size)
    {
        final int[] order = new int[size];
        for (int i = 0; i < size; i++)
        {
            order[i] = i;
        }
        return order;
    }
}
