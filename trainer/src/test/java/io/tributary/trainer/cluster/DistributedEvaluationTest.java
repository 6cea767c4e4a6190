package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.replica.DeviceReplica;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each node evaluates its slice of the test set (20 examples over 3 nodes: 7, 7, 6) and one allreduce of the
 * correct count gives every node the accuracy one process evaluating the whole set gets with the same model.
 */
class DistributedEvaluationTest
{
    @Test
    void everyNodeGetsTheWholeTestSetsAccuracy() throws Exception
    {
        final TrainConfig config = InProcessJob.config(MultiNodeExactnessTest.MLP + "optimizer:\n  type: sgd\n", 3, 1,
            ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(config);
        final ExampleSet test = data.test();
        final List<double[]> nodes = InProcessJob.run(config, data, trainer ->
        {
            final TrainResult result = trainer.train(TrainingListener.NONE);
            final int[] identity = new int[test.size()];
            for (int i = 0; i < identity.length; i++)
            {
                identity[i] = i;
            }
            final int whole = new DeviceReplica(0, result.model().copy(), test.size(), test.numFeatures(),
                test.numClasses()).countCorrect(test, identity, 0, test.size());
            return new double[] { result.testAccuracy(), (double)whole / test.size() };
        });
        final double expected = nodes.get(0)[1];
        assertTrue(expected > 0, "the trained model gets some test examples right: " + expected);
        for (int node = 0; node < nodes.size(); node++)
        {
            assertEquals(expected, nodes.get(node)[1], "node " + node + " holds the same model");
            assertEquals(expected, nodes.get(node)[0], "node " + node + "'s test accuracy");
        }
    }
}
