package io.tributary.trainer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top command; does nothing itself but list its subcommands. */
@Command(name = "tributary", mixinStandardHelpOptions = true, version = "tributary 0.1.0",
    description = "Data-parallel training for DeepLearning4J models.",
    subcommandsRepeatable = false,
    commandListHeading = "%nCommands:%n",
    footer = { "", "Run 'tributary COMMAND --help' for a command's options." })
final class TributaryCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "missing command: try 'tributary train CONFIG.yaml'");
    }
}
