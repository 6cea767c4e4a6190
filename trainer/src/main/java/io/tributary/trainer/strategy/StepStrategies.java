package io.tributary.trainer.strategy;

import io.tributary.trainer.config.StrategyConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The one list of step-level strategies ({@code strategy.type}): the configuration reads its names. */
public final class StepStrategies
{
    private static final Map<String, Function<StrategyContext, StepStrategy>> FACTORIES = new LinkedHashMap<>();

    static
    {
        FACTORIES.put(StrategyConfig.SYNC, SyncStrategy::new);
        FACTORIES.put(StrategyConfig.LOCAL_SGD, LocalSgdStrategy::new);
        FACTORIES.put(StrategyConfig.SSP, SspStrategy::new);
        FACTORIES.put(StrategyConfig.ASYNC, AsyncStrategy::new);
    }

    private StepStrategies()
    {
    }

    public static List<String> names()
    {
        return List.copyOf(FACTORIES.keySet());
    }

    /** The strategy of {@code context.config().strategy().type()}. */
    public static StepStrategy create(final StrategyContext context)
    {
        return FACTORIES.get(context.config().strategy().type()).apply(context);
    }
}
