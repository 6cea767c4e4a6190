package io.tributary.trainer.cluster;

import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.EpochShuffle;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code strategy.type: ssp} on 2 nodes x 2 devices over real rings, 20 steps of batch 11 (MultiNodeExactnessTest's
 * job). Staleness 0 is the sync step bit for bit, under both schemes. Staleness 1 is one network on the whole
 * batches that applies each batch's gradient one step late, the last one after the last step: SGD max |diff|
 * <= 1e-6, SyncStepExactnessTest's bound, since only the float summation order of the gradient differs (slices
 * summed per replica, per node, then across nodes, against one pass over the batch); that the bound can fail is
 * shown by the same job run with sync, which moves far outside it.
 */
class StaleSynchronousTest
{
    private static final String ADAM = "optimizer:\n  type: adam\n  lr: 0.01\n";
    private static final String SGD = "optimizer:\n  type: sgd\n  lr: 0.1\n";
    private static final double SGD_MAX_DIFF = 1e-6;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { ClusterConfig.LEADER, ClusterConfig.SHARDED })
    void stalenessZeroIsTheSyncStepBitForBit(final String scheme) throws Exception
    {
        final TrainConfig sync = InProcessJob.config(MultiNodeExactnessTest.MLP + ADAM, 2, 2, scheme);
        final TrainConfig ssp = InProcessJob.config(ssp("  staleness: 0\n") + ADAM, 2, 2, scheme);
        final TrainTest data = InProcessJob.data(sync);
        assertArrayEquals(InProcessJob.trainIdentical(sync, data), InProcessJob.trainIdentical(ssp, data), "ssp with staleness 0 must be sync");
    }

    @Test
    void stalenessOneAppliesEveryGlobalGradientOneStepLate() throws Exception
    {
        final TrainConfig ssp = InProcessJob.config(ssp("  staleness: 1\n") + SGD, 2, 2, ClusterConfig.SHARDED);
        final TrainTest data = InProcessJob.data(ssp);
        final float[] start = initial(ssp, data).params().toFloatVector();
        final float[] expected = oneStepLate(ssp, data);
        final float[] actual = InProcessJob.trainIdentical(ssp, data);
        assertTrue(MultiNodeExactnessTest.maxDiff(start, expected) > 1e-2, "training must move the parameters");
        assertTrue(MultiNodeExactnessTest.maxDiff(expected, actual) <= SGD_MAX_DIFF,
            "max |param diff| " + MultiNodeExactnessTest.maxDiff(expected, actual));

        final float[] sync = InProcessJob.trainIdentical(InProcessJob.config(MultiNodeExactnessTest.MLP + SGD, 2, 2,
            ClusterConfig.SHARDED), data);
        assertTrue(MultiNodeExactnessTest.maxDiff(expected, sync) > 100 * SGD_MAX_DIFF,
            "the delay must matter: sync differs by " + MultiNodeExactnessTest.maxDiff(expected, sync));
    }

    /**
     * One node of one device sums nothing and reduces nothing: its gradient is the network's on the whole batch,
     * so with Adam too (whose bias correction reads the count of applied updates) it is the one-step-late network
     * bit for bit.
     */
    @Test
    void oneDeviceWithAdamIsTheOneStepLateNetworkBitForBit() throws Exception
    {
        final TrainConfig ssp = InProcessJob.config(ssp("  staleness: 1\n") + ADAM, 1, 1, ClusterConfig.LEADER);
        final TrainTest data = InProcessJob.data(ssp);
        assertArrayEquals(oneStepLate(ssp, data), InProcessJob.trainIdentical(ssp, data));
    }

    private static String ssp(final String knobs)
    {
        return MultiNodeExactnessTest.MLP.replace("strategy:\n", "strategy:\n  type: ssp\n" + knobs);
    }

    private static TrainableModel initial(final TrainConfig config, final TrainTest data)
    {
        return ModelFactory.create(config.model(), config.optimizer(), config.run().seed(),
            data.train().numFeatures(), data.train().numClasses());
    }

    /** One network, whole batches, the gradient of step t applied after computing step t + 1's. */
    private static float[] oneStepLate(final TrainConfig config, final TrainTest data)
    {
        final ExampleSet train = data.train();
        final int batch = config.run().batchSize();
        final int steps = train.size() / batch;
        final TrainableModel model = initial(config, data);
        final int[] order = EpochShuffle.order(train.size(), config.run().seed(), 0);
        final INDArray features = Nd4j.createUninitialized(DataType.FLOAT, batch, train.numFeatures());
        final INDArray labels = Nd4j.createUninitialized(DataType.FLOAT, batch, train.numClasses());
        INDArray late = null;
        for (int step = 0; step < steps; step++)
        {
            train.copyRows(order, step * batch, batch, features.data().asNioFloat(), labels.data().asNioFloat());
            model.computeGradient(features, labels);
            final INDArray gradient = model.flatGradients().dup();
            if (late != null)
            {
                model.flatGradients().assign(late);
                model.applyUpdate(0, batch);
            }
            late = gradient;
        }
        model.flatGradients().assign(late);
        model.applyUpdate(0, batch);
        return model.params().toFloatVector();
    }
}
