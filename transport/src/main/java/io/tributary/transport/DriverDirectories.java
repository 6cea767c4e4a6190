package io.tributary.transport;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Names driver directories {@code tributary-<job>-r<rank>-<pid>} so that a directory left by a process
 * killed with -9 can be recognised (its pid is gone) and removed by the next process of the same job.
 */
public final class DriverDirectories
{
    static final String PREFIX = "tributary-";

    private DriverDirectories()
    {
    }

    static String ownDirectory(final String base, final String jobId, final int rank)
    {
        return new File(base, PREFIX + jobId + "-r" + rank + "-" + ProcessHandle.current().pid()).getPath();
    }

    /** {@link #deleteStale(String, String)} under the base every transport uses by default. */
    public static List<Path> deleteStale(final String jobId)
    {
        return deleteStale(TransportDefaults.baseDirectory(), jobId);
    }

    /**
     * Deletes every directory of this job under base whose owning process no longer runs.
     *
     * @return the directories deleted
     */
    public static List<Path> deleteStale(final String base, final String jobId)
    {
        final List<Path> deleted = new ArrayList<>();
        final File[] entries = new File(base).listFiles();
        if (entries == null)
        {
            return deleted;
        }
        final String jobPrefix = PREFIX + jobId + "-r";
        for (final File entry : entries)
        {
            final String name = entry.getName();
            if (!entry.isDirectory() || !name.startsWith(jobPrefix))
            {
                continue;
            }
            final long pid = pidOf(name);
            if (pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true))
            {
                deleteRecursively(entry.toPath());
                deleted.add(entry.toPath());
            }
        }
        return deleted;
    }

    /** Directories of this job under base, live or not. */
    public static List<Path> list(final String base, final String jobId)
    {
        final List<Path> found = new ArrayList<>();
        final File[] entries = new File(base).listFiles();
        if (entries != null)
        {
            for (final File entry : entries)
            {
                if (entry.isDirectory() && entry.getName().startsWith(PREFIX + jobId + "-r"))
                {
                    found.add(entry.toPath());
                }
            }
        }
        return found;
    }

    static long pidOf(final String name)
    {
        final int dash = name.lastIndexOf('-');
        try
        {
            return Long.parseLong(name.substring(dash + 1));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    static void deleteRecursively(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try
        {
            Files.walkFileTree(dir, new SimpleFileVisitor<>()
            {
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult postVisitDirectory(final Path d, final IOException ex) throws IOException
                {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            System.getLogger(DriverDirectories.class.getName())
                .log(System.Logger.Level.WARNING, "could not delete " + dir + ": " + ex);
        }
    }
}
