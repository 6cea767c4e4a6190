package io.tributary.trainer.cli;

import io.tributary.transport.PeerLostException;
import io.tributary.transport.TransportException;
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
     * @param checkpoint the last complete checkpoint, or null
     * @return the exit code
     * @throws RuntimeException {@code ex} itself when it is none of the failures a node explains
     */
    static int report(final RuntimeException ex, final TrainingPosition at, final Path checkpoint,
        final PrintWriter err)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof PeerLostException)
            {
                err.printf("tributary: node %d lost at epoch %d step %d (%s); last good checkpoint: %s%n",
                    ((PeerLostException)t).lostRank(), at.epoch() + 1, at.step() + 1, oneLine(t),
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

    private static String oneLine(final Throwable t)
    {
        final String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        final int nl = message.indexOf('\n');
        return nl >= 0 ? message.substring(0, nl) : message;
    }
}
