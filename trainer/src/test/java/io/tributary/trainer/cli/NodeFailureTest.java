package io.tributary.trainer.cli;

import io.tributary.transport.PeerLostException;
import io.tributary.transport.TransportException;
import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.TrainingPhase;
import io.tributary.trainer.TrainingPosition;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.ReplicaDivergenceException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The contract's one line per failure, found through the wrapping a replica thread adds; a loss outside a step
 * names the epoch (and step) it follows and what the node was doing.
 */
class NodeFailureTest
{
    private static final TrainingPosition EPOCH_2_STEP_4 = new TrainingPosition(1, 3, 13, 200, 0, 0.5, List.of(0.7));

    private final StringWriter err = new StringWriter();

    @Test
    void aLostPeerNamesTheNodeThePositionAndTheCheckpoint()
    {
        final RuntimeException wrapped = new IllegalStateException("replica 1 failed",
            new PeerLostException(2, "rank 2 of job job-x: no data for 3000 ms\nsecond line"));
        assertEquals(Main.PEER_LOST, report(wrapped, Path.of("/runs/a/checkpoint.zip")));
        assertEquals("tributary: node 2 lost at epoch 2 step 4 (rank 2 of job job-x: no data for 3000 ms); " +
            "last good checkpoint: /runs/a/checkpoint.zip\n", err.toString());
    }

    @Test
    void noCheckpointYetIsNone()
    {
        assertEquals(Main.PEER_LOST, report(new PeerLostException(0, "gone"), null));
        assertEquals("tributary: node 0 lost at epoch 2 step 4 (gone); last good checkpoint: none\n", err.toString());
    }

    @Test
    void aLossWhileEvaluatingNamesTheEpochItFollowsNotTheNextStep()
    {
        // After epoch 2's last step the position is already epoch 3 step 1, which may not exist.
        final TrainingPosition afterEpoch2 = new TrainingPosition(2, 0, 20, 300, 0, 0.5, List.of(0.7, 0.8));
        assertEquals(Main.PEER_LOST, NodeFailure.report(new PeerLostException(1, "gone"), afterEpoch2,
            TrainingPhase.EVALUATING, null, new PrintWriter(err)));
        assertEquals("tributary: node 1 lost after epoch 2 (evaluating) (gone); last good checkpoint: none\n",
            err.toString());
    }

    @Test
    void theLineNamesWhatTheTrainerDoesBetweenSteps()
    {
        // 20 examples in batches of 5: 4 steps an epoch; checkpoints after global steps 2 and 6 and at epoch ends.
        final TrainConfig config = ConfigLoader.parse("phases.yaml", String.join("\n",
            "model:", "  builtin: mlp", "  hidden: [4]",
            "data:", "  type: synthetic", "  size: 20", "  test_size: 8", "  features: 3", "  classes: 2",
            "run:", "  epochs: 2", "  batch_size: 5", "  checkpoint_steps: 2", ""), List.of());
        final List<String> seen = new ArrayList<>();
        try (Trainer trainer = new Trainer(config, DataSource.of(config.data()).load()))
        {
            trainer.train(new TrainingListener()
            {
                @Override
                public void onStep(final int epoch, final int step, final int stepsPerEpoch, final long samples,
                    final long trainNanos, final double loss)
                {
                    assertEquals(TrainingPhase.TRAINING, trainer.phase());
                }

                @Override
                public void onEpochEnd(final int epoch, final double accuracy, final TrainableModel model)
                {
                    seen.add("epoch end: " + NodeFailure.where(trainer.position(), trainer.phase()));
                }

                @Override
                public void onCheckpoint(final TrainingPosition position, final TrainableModel model,
                    final io.tributary.trainer.checkpoint.NodeStates states)
                {
                    seen.add("checkpoint: " + NodeFailure.where(trainer.position(), trainer.phase()));
                }
            });
            seen.add("returned: " + NodeFailure.where(trainer.position(), trainer.phase()));
        }
        assertEquals(List.of(
            "checkpoint: after epoch 1 step 2 (writing the checkpoint)",
            "epoch end: after epoch 1 (writing the checkpoint)",
            "checkpoint: after epoch 1 (writing the checkpoint)",
            "checkpoint: after epoch 2 step 2 (writing the checkpoint)",
            "epoch end: after epoch 2 (writing the checkpoint)",
            "checkpoint: after epoch 2 (writing the checkpoint)",
            "returned: after epoch 2 (finishing)"), seen);
    }

    @Test
    void aRefusedJoinIsTheTransportsOwnLine()
    {
        assertEquals(Main.PEER_LOST, report(new TransportException("job job-x rank 1: refused by rank 0: wrong token"), null));
        assertEquals("tributary: job job-x rank 1: refused by rank 0: wrong token\n", err.toString());
    }

    @Test
    void divergenceStopsWithExitOne()
    {
        assertEquals(Main.DIVERGED, report(new ReplicaDivergenceException("node 0 and node 2 differ at step 10"), null));
        assertEquals("tributary: stopped, node 0 and node 2 differ at step 10\n", err.toString());
    }

    @Test
    void anythingElseIsRethrownUntouched()
    {
        final IllegalArgumentException bug = new IllegalArgumentException("a bug");
        assertSame(bug, assertThrows(IllegalArgumentException.class, () -> report(bug, null)));
        assertEquals("", err.toString());
    }

    private int report(final RuntimeException ex, final Path checkpoint)
    {
        return NodeFailure.report(ex, EPOCH_2_STEP_4, TrainingPhase.TRAINING, checkpoint, new PrintWriter(err));
    }
}
