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
    RunConfig run)
{
    static final String[] SECTIONS = { "model", "data", "optimizer", "strategy", "cluster", "run" };

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
        final ClusterConfig cluster = ClusterConfig.read(root.section("cluster"));
        final ConfigReader runSection = root.section("run");
        final RunConfig run = RunConfig.read(runSection);
        if (run.batchSize() < cluster.devices() * cluster.nodes())
        {
            throw runSection.error("batch_size", "expected at least one example per device: >= " +
                cluster.devices() * cluster.nodes() + " (cluster.devices), got " + run.batchSize());
        }
        return new TrainConfig(name, model, data, optimizer, strategy, cluster, run);
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
        return map;
    }
}
