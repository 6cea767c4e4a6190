package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The checkpoint the lost-node line names. Only node 0 writes, into the shared run directory, so every node
 * looks there first: {@code out/checkpoint.zip} counts when this run wrote it (not older than this process's
 * start, so an earlier run's file in the same directory is never named) and it is at or past the step this
 * run resumed from. Otherwise the resumed-from checkpoint, else none. On a cluster the modification time
 * comes from the shared file system's clock: a clock far ahead of this node's can make an earlier run's
 * file look new.
 */
final class LastGoodCheckpoint
{
    private LastGoodCheckpoint()
    {
    }

    /**
     * @param written    the checkpoint this node wrote last (node 0), or null
     * @param shared     {@code out/checkpoint.zip}, or null when this node does not know the run directory
     * @param resumed    the checkpoint this run resumed from, or null
     * @param resumeStep its global step (0 for a fresh run)
     * @param started    when this run started
     */
    static Path choose(final Path written, final Path shared, final Path resumed, final long resumeStep,
        final Instant started)
    {
        if (written != null)
        {
            return written;
        }
        if (shared != null && isFrom(shared, started) && globalStep(shared) >= resumeStep)
        {
            return shared;
        }
        return resumed;
    }

    private static boolean isFrom(final Path file, final Instant started)
    {
        try
        {
            return Files.isRegularFile(file) && !Files.getLastModifiedTime(file).toInstant().isBefore(started);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** The global step in a checkpoint's small JSON entry; -1 when it cannot be read. */
    static long globalStep(final Path file)
    {
        try
        {
            final JsonNode position = Checkpoint.entryOf(file);
            return position == null ? -1 : position.path("global_step").asLong(-1);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }
}
