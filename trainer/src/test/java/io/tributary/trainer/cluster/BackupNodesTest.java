package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainResult;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSharder;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.model.ModelFactory;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.ReplicaThreads;
import io.tributary.trainer.replica.sync.LocalGradientReducer;
import io.tributary.trainer.replica.sync.SyncStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backup nodes drop a straggler's contribution and divide by the examples actually summed. Node 1 of 2 computes
 * 40x slower, so from step 1 on it is the slowest node every node measured: it is dropped on every step but the
 * probes (every 4th, step 0 among them), where all contribute. The nodes end bit-identical to each other, and equal
 * (within sync's SGD tolerance) to one device that trains, step by step, node 0's slice alone, or on a probe step the
 * whole batch, each time dividing by the examples it trained.
 */
class BackupNodesTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [12, 8]",
        "data:", "  type: synthetic", "  size: 220", "  test_size: 20", "  features: 10", "  classes: 3",
        "optimizer:", "  type: sgd", "  lr: 0.1",
        "strategy:", "  check_every: 5", "  backup_nodes: 1", "  backup_probe_every: 4",
        "run:", "  epochs: 1", "  batch_size: 11", "  seed: 5", "  eval_each_epoch: false",
        "cluster:", "  nodes: 2", "  devices: 1", "  timeout_s: 20",
        "debug:", "  enabled: true", "  slowdown: {node: 1, device: 0, factor: 40}", "");

    @Test
    void aDroppedStragglersStepsDivideByTheExamplesSummed() throws Exception
    {
        final TrainConfig config = ConfigLoader.parse("backup.yaml", CONFIG, List.of());
        final TrainTest data = InProcessJob.data(config);
        final List<TrainResult> results = InProcessJob.run(config, data, trainer -> trainer.train(TrainingListener.NONE));
        final float[] node0 = results.get(0).model().params().toFloatVector();
        assertArrayEquals(node0, results.get(1).model().params().toFloatVector(), "the nodes stay identical");
        final int steps = 20;
        final int probes = 5; // steps 0, 4, 8, 12, 16
        assertArrayEquals(new long[]{ 0, steps - probes }, results.get(0).droppedContributions());
        assertArrayEquals(results.get(0).droppedContributions(), results.get(1).droppedContributions());

        final DataSharder sharder = new DataSharder(220, 11, 2, 1);
        final TrainableModel initial = ModelFactory.create(config.model(), config.optimizer(), config.run().seed(),
            data.train().numFeatures(), data.train().numClasses());
        final int[] order = new int[220];
        data.train().fillOrder(order, config.run().seed(), 0);
        long summed = 0;
        try (ReplicaThreads threads = new ReplicaThreads(1, 60_000))
        {
            final SyncStep reference = new SyncStep(new DeviceReplica[]{ new DeviceReplica(0, initial, 11, 10, 3) },
                threads, new LocalGradientReducer());
            for (int step = 0; step < steps; step++)
            {
                final int size = step % 4 == 0 ? 11 : sharder.nodeSize(step, 0);
                reference.step(data.train(), order, step * 11, size, 0, size);
                summed += size;
            }
        }
        assertEquals(summed, results.get(0).samples(), "samples count the examples summed");
        final float[] expected = initial.params().toFloatVector();
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++)
        {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - node0[i]));
        }
        assertTrue(maxDiff <= 1e-6, "max |param diff| " + maxDiff);
    }
}
