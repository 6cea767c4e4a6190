package io.tributary.trainer;

import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.DeviceReplica;

/**
 * This node's replicas: one initialised model (checked against the data and the world's worker count), cloned once
 * per device, each with input buffers for the largest slice a cut of the batch can give it or an evaluation chunk,
 * and the debug slowdown configured for it.
 */
final class NodeReplicas
{
    private static final int EVAL_ROWS = 500;

    private NodeReplicas()
    {
    }

    static DeviceReplica[] create(final TrainConfig config, final TrainTest data, final int nodeRank)
    {
        final int devices = config.cluster().devicesOf(nodeRank);
        final int workers = config.cluster().workers();
        TrainerChecks.checkData(data, workers);
        final TrainableModel initial = ModelFactory.create(config.model(), config.optimizer(), config.run().seed(),
            data.train().numFeatures(), data.train().numClasses());
        TrainerChecks.checkExactlySynchronisable(initial, workers);
        final DeviceReplica[] replicas = DeviceReplica.of(initial, devices, maxRows(config, devices),
            data.train().numFeatures(), data.train().numClasses());
        for (int i = 0; i < devices; i++)
        {
            replicas[i].slowdown(config.debug().slowdownOf(nodeRank, i));
        }
        return replicas;
    }

    /** Rows a replica's buffers hold: shares may give one device a whole global batch. */
    static int maxRows(final TrainConfig config, final int devices)
    {
        return Math.max(EVAL_ROWS, config.cluster().balance().even() ?
            (config.run().batchSize() + devices - 1) / devices : config.run().batchSize());
    }
}
