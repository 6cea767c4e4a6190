package io.tributary.trainer.compare;

import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.strategy.StepStrategies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strategy names are made of the registered step strategies, codecs and modes; every single one of them, and a
 * combination, loads as a configuration even when the user's configuration set another type's keys.
 */
class StrategyRegistryTest
{
    /** A local-sgd configuration: its period would refuse every other type unless the case clears it. */
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [8]",
        "data:", "  type: synthetic", "  size: 64", "  test_size: 16", "  features: 4", "  classes: 2",
        "strategy:", "  type: local-sgd", "  period: 4",
        "cluster:", "  nodes: 2",
        "run:", "  epochs: 1", "  batch_size: 16", "");

    @Test
    void everyRegisteredStrategyAndCodecIsAToken()
    {
        final List<String> tokens = StrategyRegistry.tokens();
        assertTrue(tokens.containsAll(StepStrategies.names()), tokens.toString());
        Codecs.names().stream().filter(c -> !Codecs.NONE.equals(c)).forEach(c -> assertTrue(tokens.contains(c), c));
        assertTrue(tokens.containsAll(List.of("overlap", "measured", "backup")), tokens.toString());
    }

    @Test
    void everyTokenAndACombinationLoadAsAConfiguration()
    {
        final List<String> names = new ArrayList<>(StrategyRegistry.tokens());
        names.addAll(List.of("local-sgd+fp16", "async+topk", "sync+qsgd8+overlap"));
        for (final String name : names)
        {
            final TrainConfig config = ConfigLoader.parse("registry.yaml", CONFIG,
                StrategyRegistry.overrides(name, 4));
            final String type = name.contains("local-sgd") ? "local-sgd" : name.contains("async") ? "async" :
                name.contains("ssp") ? "ssp" : "sync";
            assertEquals(type, config.strategy().type(), name);
        }
        final TrainConfig combined = ConfigLoader.parse("registry.yaml", CONFIG,
            StrategyRegistry.overrides("local-sgd+fp16", 4));
        assertEquals("fp16", combined.strategy().codec());
        assertEquals(8, combined.strategy().schedule().period(), "the registry's tuned period, not the config's 4");
        assertEquals(4, combined.strategy().schedule().warmupSteps(), "one epoch of synchronous steps first");
        assertEquals("measured", ConfigLoader.parse("registry.yaml", CONFIG, StrategyRegistry.overrides("measured", 4))
            .cluster().balance().mode());
    }

    @Test
    void anUnknownTokenOrTwoTypesAreRefused()
    {
        assertTrue(assertThrows(ConfigException.class, () -> StrategyRegistry.overrides("sync+gzip", 4)).getMessage()
            .contains("unknown strategy 'gzip'"));
        assertTrue(assertThrows(ConfigException.class, () -> StrategyRegistry.overrides("fp16+topk", 4)).getMessage()
            .contains("names two of a kind (codecs fp16 and topk)"));
    }
}
