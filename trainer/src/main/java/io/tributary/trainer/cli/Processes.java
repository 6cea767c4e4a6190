package io.tributary.trainer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process checks the launcher needs beyond {@link ProcessHandle}. */
public final class Processes
{
    private Processes()
    {
    }

    /**
     * Whether the process still runs. {@link ProcessHandle#isAlive()} is also true for a zombie: a killed
     * process whose parent died before it is re-parented to pid 1, which in a container may reap it late or
     * never; a zombie holds no resources and counts as gone here.
     */
    public static boolean running(final ProcessHandle process)
    {
        if (!process.isAlive())
        {
            return false;
        }
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            final int endOfName = stat.lastIndexOf(')');
            return endOfName < 0 || endOfName + 2 >= stat.length() || stat.charAt(endOfName + 2) != 'Z';
        }
        catch (final IOException | RuntimeException ex)
        {
            // No /proc (not Linux) or the process just ended: isAlive() already had the best answer.
            return process.isAlive();
        }
    }
}
