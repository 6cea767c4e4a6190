package io.tributary.trainer.launch;

import io.tributary.trainer.cli.Main;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI in a JVM of its own, with this test JVM's flags and classpath (as the launcher starts its nodes) and
 * the log level the tributary script sets.
 */
final class Jvm
{
    private Jvm()
    {
    }

    static ProcessBuilder cli(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(flag -> !flag.startsWith("-agentlib:jdwp")).toList());
        // As the tributary script: ND4J's start-up INFO lines would otherwise fill stderr.
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
