package io.tributary.trainer.cli;

import io.tributary.transport.PeerLostException;
import io.tributary.transport.TransportException;
import io.tributary.trainer.TrainingPhase;
import io.tributary.trainer.TrainingPosition;
import io.tributary.trainer.replica.ReplicaDivergenceException;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The one stderr line and exit code of a node that cannot go on. The cause may arrive wrapped (a replica
 * thread's failure is rethrown inside an IllegalStateException), so the whole cause chain is searched.
 */
final class NodeFailure
{
    private NodeFailure()
    {
    }

    /**
     * @param at         the step in progress (or next) when it failed
     * @param phase      what the node did besides a step: then the line names the epoch (and step) it follows
     * @param checkpoint the last complete checkpoint, or null
     * @return the exit code
     * @throws RuntimeException {@code ex} itself when it is none of the failures a node explains
     */
    static int report(final RuntimeException ex, final TrainingPosition at, final TrainingPhase phase,
        final Path checkpoint, final PrintWriter err)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof PeerLostException)
            {
                err.printf("tributary: node %d lost %s (%s); last good checkpoint: %s%n",
                    ((PeerLostException)t).lostRank(), where(at, phase), oneLine(t),
                    checkpoint == null ? "none" : checkpoint);
                err.flush();
                return Main.PEER_LOST;
            }
            if (t instanceof TransportException)
            {
                // The transport's messages name the job, this rank and the peer responsible.
                err.println("tributary: " + oneLine(t));
                err.flush();
                return Main.PEER_LOST;
            }
            if (t instanceof ReplicaDivergenceException)
            {
                err.println("tributary: stopped, " + oneLine(t));
                err.flush();
                return Main.DIVERGED;
            }
        }
        throw ex;
    }

    /**
     * "at epoch E step S" for the step in progress; else what the node did after the last step it completed,
     * "after epoch E (evaluating)" or "after epoch E step S (writing the checkpoint)" within an epoch.
     */
    static String where(final TrainingPosition at, final TrainingPhase phase)
    {
        if (phase == TrainingPhase.TRAINING)
        {
            return "at epoch " + (at.epoch() + 1) + " step " + (at.step() + 1);
        }
        // Between steps the position names the next one: the last completed is one before it.
        final String after = at.step() == 0 ? "after epoch " + at.epoch() :
            "after epoch " + (at.epoch() + 1) + " step " + at.step();
        return after + " (" + phase.description() + ")";
    }

    private static String oneLine(final Throwable t)
    {
        final String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        final int nl = message.indexOf('\n');
        return nl >= 0 ? message.substring(0, nl) : message;
    }
}
