package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.replica.ParameterChecksum;
import io.tributary.trainer.replica.ReplicaDivergenceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One node's parameters perturbed after training: the next checksum comparison fails on every node, naming the
 * node outside the majority (node 0 included: it is not the reference), or both nodes of two.
 */
class NodeDivergenceTest
{
    private record Outcome(long checksum, String error)
    {
    }

    @ParameterizedTest(name = "{0} nodes, node {1} perturbed")
    @CsvSource({ "3, 2", "3, 0", "2, 1" })
    void theOddNodeOutIsNamedOnEveryNode(final int nodes, final int perturbed) throws Exception
    {
        final TrainConfig config = InProcessJob.config(MultiNodeExactnessTest.MLP + "optimizer:\n  type: sgd\n", nodes,
            1, ClusterConfig.LEADER);
        final List<Outcome> outcomes = InProcessJob.run(config, InProcessJob.data(config), trainer ->
        {
            final TrainResult trained = trainer.train(TrainingListener.NONE);
            if (trainer.world().rank() == perturbed)
            {
                trained.model().params().putScalar(3, trained.model().params().getFloat(3) + 1e-6f);
            }
            final long checksum = ParameterChecksum.of(trained.model().params());
            try
            {
                trainer.result();
                return new Outcome(checksum, null);
            }
            catch (final ReplicaDivergenceException ex)
            {
                return new Outcome(checksum, ex.getMessage());
            }
        });
        final String expected;
        if (nodes == 2)
        {
            // Two nodes that differ: neither can be blamed, so both are named.
            expected = String.format("node parameters diverged after global step 20, no majority: node 0 checksum " +
                "%08x, node 1 checksum %08x", outcomes.get(0).checksum(), outcomes.get(1).checksum());
        }
        else
        {
            final int healthy = perturbed == 0 ? 1 : 0;
            expected = String.format("node parameters diverged after global step 20: node(s) [%d] differ from nodes " +
                "%s (checksum %08x): node %d checksum %08x", perturbed, perturbed == 0 ? "[1, 2]" : "[0, 1]",
                outcomes.get(healthy).checksum(), perturbed, outcomes.get(perturbed).checksum());
        }
        for (final Outcome outcome : outcomes)
        {
            assertEquals(expected, outcome.error());
        }
    }
}
