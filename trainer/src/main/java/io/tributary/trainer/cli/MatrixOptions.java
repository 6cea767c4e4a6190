package io.tributary.trainer.cli;

import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options {@code compare} and {@code advise} share: which strategies, on how many nodes, over which link. */
final class MatrixOptions
{
    @Option(names = "--strategies", paramLabel = "LIST", defaultValue = "sync,fp16,topk,local-sgd,ssp,async",
        description = "strategies, comma-separated; a strategy joins tokens with +, e.g. local-sgd+fp16 " +
            "(default: ${DEFAULT-VALUE})")
    String strategies;

    @Option(names = "--nodes", paramLabel = "N", description = "nodes per job (default: cluster.nodes, at least 2)")
    Integer nodes;

    @Option(names = "--link", paramLabel = "RATE", defaultValue = "loopback",
        description = "loopback, or a link rate such as 100mbit, 1gbit, 10gbit (compare emulates it: needs root)")
    String link;

    @Option(names = "--epochs", paramLabel = "E", description = "epochs per job (default: run.epochs)")
    Integer epochs;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "passed to every job; repeatable")
    List<String> overrides = new ArrayList<>();

    List<String> strategyList()
    {
        return List.of(strategies.split(",", -1));
    }

    /** --nodes, else cluster.nodes of the configuration, at least 2. */
    int nodes(final Path configFile)
    {
        return nodes != null ? nodes : Math.max(2, ConfigLoader.load(configFile, overrides).cluster().nodes());
    }

    /** The configuration with the user's overrides and {@code nodes} nodes. */
    TrainConfig load(final Path configFile, final int nodes)
    {
        final List<String> sets = new ArrayList<>(overrides);
        sets.add("cluster.nodes=" + nodes);
        return ConfigLoader.load(configFile, sets);
    }

    int epochs(final TrainConfig config)
    {
        return epochs != null ? epochs : config.run().epochs();
    }
}
