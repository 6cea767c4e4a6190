package io.tributary.trainer.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** One run, fully resolved: every default filled in, every value checked. Immutable. */
public record TrainConfig(
    String name,
    ModelConfig model,
    DataConfig data,
    OptimizerConfig optimizer,
    StrategyConfig strategy,
    ClusterConfig cluster,
    RunConfig run,
    DebugConfig debug)
{
    static final String[] SECTIONS = { "model", "data", "optimizer", "strategy", "cluster", "run", "debug" };

    /** No fault injection. */
    public TrainConfig(final String name, final ModelConfig model, final DataConfig data,
        final OptimizerConfig optimizer, final StrategyConfig strategy, final ClusterConfig cluster,
        final RunConfig run)
    {
        this(name, model, data, optimizer, strategy, cluster, run, DebugConfig.NONE);
    }

    static TrainConfig read(final String name, final ConfigReader root)
    {
        root.allow(SECTIONS);
        final ModelConfig model = ModelConfig.read(root.section("model"));
        final DataConfig data = DataConfig.read(root.section("data"));
        final OptimizerConfig optimizer = OptimizerConfig.read(root.section("optimizer"));
        final ConfigReader strategySection = root.section("strategy");
        final StrategyConfig strategy = StrategyConfig.read(strategySection);
        if (strategy.schedule().freezeVarianceAfter() > 0 && model.path() == null &&
            optimizer.kind() != OptimizerConfig.Kind.ADAM)
        {
            throw strategySection.error("freeze_variance_after", "freezes Adam's variance, so it needs optimizer.type " +
                "adam, got " + optimizer.kind().name().toLowerCase());
        }
        final ConfigReader clusterSection = root.section("cluster");
        final ClusterConfig cluster = ClusterConfig.read(clusterSection);
        if (cluster.balance().measured() && !StrategyConfig.SYNC.equals(strategy.type()))
        {
            throw clusterSection.error("balance", "measured shares need strategy.type sync, whose nodes step in " +
                "lockstep; this run has " + strategy.type() + " (set cluster.shares for fixed shares)");
        }
        final ConfigReader runSection = root.section("run");
        final RunConfig run = RunConfig.read(runSection);
        if (run.batchSize() < cluster.workers())
        {
            throw runSection.error("batch_size", "expected at least one example per device: >= " +
                cluster.workers() + " (cluster.devices), got " + run.batchSize());
        }
        if (strategy.backup().nodes() >= cluster.nodes() && strategy.backup().nodes() > 0)
        {
            throw strategySection.error("backup_nodes", "expected fewer than cluster.nodes (" + cluster.nodes() +
                "): a step needs one node's contribution, got " + strategy.backup().nodes());
        }
        if (strategy.backup().enabled() && strategy.overlap())
        {
            throw strategySection.error("overlap", "expected false with backup nodes or max_wait_ms: a dropped node " +
                "joins the reduction before backprop, which overlap reduces during");
        }
        final DebugConfig debug = DebugConfig.read(root.section("debug"), cluster);
        return new TrainConfig(name, model, data, optimizer, strategy, cluster, run, debug);
    }

    /** The resolved configuration as nested maps, in the order of the YAML file; written next to a run. */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("model", model.toMap());
        map.put("data", data.toMap());
        map.put("optimizer", optimizer.toMap());
        map.put("strategy", strategy.toMap());
        map.put("cluster", cluster.toMap());
        map.put("run", run.toMap());
        if (debug.enabled())
        {
            map.put("debug", debug.toMap());
        }
        return map;
    }
}
