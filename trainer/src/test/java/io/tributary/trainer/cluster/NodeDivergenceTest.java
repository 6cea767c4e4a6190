package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.replica.ParameterChecksum;
import io.tributary.trainer.replica.ReplicaDivergenceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One node's parameters perturbed after training: the next checksum comparison fails on every node, naming it. */
class NodeDivergenceTest
{
    private record Outcome(long checksum, String error)
    {
    }

    @Test
    void aPerturbedNodeIsNamedOnEveryNode() throws Exception
    {
        final TrainConfig config = InProcessJob.config(MultiNodeExactnessTest.MLP + "optimizer:\n  type: sgd\n", 3, 1,
            ClusterConfig.LEADER);
        final List<Outcome> outcomes = InProcessJob.run(config, InProcessJob.data(config), trainer ->
        {
            final TrainResult trained = trainer.train(TrainingListener.NONE);
            if (trainer.world().rank() == 2)
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
        final String expected = String.format(
            "node parameters diverged after step 20: node 0 checksum %08x, node 2 checksum %08x",
            outcomes.get(0).checksum(), outcomes.get(2).checksum());
        for (final Outcome outcome : outcomes)
        {
            assertEquals(expected, outcome.error());
        }
    }
}
