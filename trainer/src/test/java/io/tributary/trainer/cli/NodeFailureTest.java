package io.tributary.trainer.cli;

import io.tributary.transport.PeerLostException;
import io.tributary.transport.TransportException;
import io.tributary.trainer.TrainingPosition;
import io.tributary.trainer.replica.ReplicaDivergenceException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The contract's one line per failure, found through the wrapping a replica thread adds. */
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
        return NodeFailure.report(ex, EPOCH_2_STEP_4, checkpoint, new PrintWriter(err));
    }
}
