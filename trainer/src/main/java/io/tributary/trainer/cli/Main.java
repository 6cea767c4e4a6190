package io.tributary.trainer.cli;

import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.data.DataException;
import io.tributary.trainer.model.ModelException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.PrintWriter;

/**
 * The {@code tributary} command line. {@link #run} is the whole program with its streams passed in and its
 * exit code returned, so tests drive the real entry without {@code System.exit}.
 */
public final class Main
{
    /** Exit code for bad user input (configuration, data, model files, command-line usage). */
    public static final int USER_ERROR = 2;

    /** Exit code when the run's outputs cannot be written (disk full, directory removed or made read-only). */
    public static final int IO_ERROR = 1;

    /** Exit code when the replicas or nodes stopped holding identical parameters (a checksum mismatch). */
    public static final int DIVERGED = 4;

    /**
     * Exit code of a node whose job cannot go on without another node: a peer was lost (died, cut off, silent
     * past cluster.timeout_s), or this node's join was refused (wrong job or token).
     */
    public static final int PEER_LOST = 3;

    private Main()
    {
    }

    /** java.util.logging records (the transport's refused joins) as one line each, like every other message. */
    static final String LOG_FORMAT = "%4$s: %5$s%n";

    public static void main(final String[] args)
    {
        // Before anything logs: the console handler's formatter reads it once, when logging starts.
        System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        System.exit(run(args, System.out, System.err));
    }

    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final CommandLine cli = new CommandLine(new TributaryCommand())
            .addSubcommand("train", new TrainCommand(out))
            .addSubcommand("launch", new LaunchCommand(out, err))
            .addSubcommand("prepare", new PrepareCommand(out))
            .addSubcommand("compare", new CompareCommand(out))
            .addSubcommand("advise", new AdviseCommand(out))
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .setExecutionExceptionHandler((ex, commandLine, parseResult) ->
            {
                if (isUserError(ex))
                {
                    err.println("tributary: " + ex.getMessage());
                    return USER_ERROR;
                }
                final Throwable io = ex instanceof UncheckedIOException ? ex.getCause() : ex;
                if (io instanceof IOException)
                {
                    err.println("tributary: " + io.getMessage());
                    return IO_ERROR;
                }
                throw ex;
            });
        cli.setUsageHelpAutoWidth(true);
        return cli.execute(args);
    }

    static boolean isUserError(final Throwable ex)
    {
        return ex instanceof ConfigException || ex instanceof DataException || ex instanceof ModelException;
    }
}
