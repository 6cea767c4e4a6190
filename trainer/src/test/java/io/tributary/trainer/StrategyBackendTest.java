package io.tributary.trainer;

import io.tributary.trainer.cluster.World;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ssp keeps its pending gradients in host memory, so the trainer refuses it under the cuda backend before building
 * anything; local-sgd's averaging runs on ND4J arrays and passes. (A CPU build stops a cuda run earlier, at the
 * backend check, so this calls the trainer's check directly.)
 */
class StrategyBackendTest
{
    private static final String CONFIG = "data:\n  type: synthetic\nstrategy:\n  type: TYPE\n";

    @Test
    void sspIsRefusedUnderCuda()
    {
        final ConfigException error = assertThrows(ConfigException.class,
            () -> TrainerChecks.checkWorld(onCuda("ssp"), World.single(), false));
        assertEquals("job: strategy.type: expected sync or local-sgd under backend cuda (ssp keeps its pending " +
            "gradients in host memory), got ssp", error.getMessage());
        assertDoesNotThrow(() -> TrainerChecks.checkWorld(onCuda("local-sgd"), World.single(), false));
    }

    private static TrainConfig onCuda(final String type)
    {
        final TrainConfig c = ConfigLoader.parse("job.yaml", CONFIG.replace("TYPE", type), List.of());
        return new TrainConfig(c.name(), c.model(), c.data(), c.optimizer(), c.strategy(),
            new ClusterConfig("cuda", 1, 1), c.run());
    }
}
