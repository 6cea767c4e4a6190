package io.tributary.trainer.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every ready run in configs/ loads and validates; the two Fashion-MNIST runs have the documented shape. */
class ConfigsDirectoryTest
{
    private static final Path CONFIGS = Path.of("..", "configs");

    @TempDir
    Path placeholderData;

    /**
     * Without the Fashion-MNIST package installed (a fresh machine before .ci/run), the configs are still
     * validated in full, against a directory holding empty stand-ins for the four files.
     */
    private List<String> dataOverride() throws IOException
    {
        if (Files.isRegularFile(DataConfig.DEFAULT_FASHION_DIR.resolve(DataConfig.FASHION_FILES[0])))
        {
            return List.of();
        }
        for (final String file : DataConfig.FASHION_FILES)
        {
            Files.createFile(placeholderData.resolve(file));
        }
        return List.of("data.dir=" + placeholderData);
    }

    @Test
    void everyConfigLoads() throws IOException
    {
        final List<String> overrides = dataOverride();
        final List<Path> files;
        try (Stream<Path> list = Files.list(CONFIGS))
        {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (final Path file : files)
        {
            final TrainConfig config = ConfigLoader.load(file, overrides);
            assertTrue(config.run().epochs() >= 1, file.toString());
            // The resolved form must load back to the same configuration.
            assertEquals(config.toMap(), ConfigLoader.parse("resolved", ConfigLoader.toYaml(config), overrides).toMap(),
                file.toString());
        }
    }

    @Test
    void fashionMlpIsTheDocumentedRun() throws IOException
    {
        final List<String> overrides = dataOverride();
        final TrainConfig mlp = ConfigLoader.load(CONFIGS.resolve("fashion-mlp.yaml"), overrides);
        assertEquals(ModelConfig.Kind.MLP, mlp.model().kind());
        assertEquals(List.of(512, 256), mlp.model().hidden());
        assertEquals(OptimizerConfig.Kind.ADAM, mlp.optimizer().kind());
        assertEquals(1e-3, mlp.optimizer().learningRate());
        assertEquals(128, mlp.run().batchSize());
        assertEquals(2, mlp.cluster().devices());
        assertEquals(5, mlp.run().epochs());

        final TrainConfig lenet = ConfigLoader.load(CONFIGS.resolve("fashion-lenet.yaml"), overrides);
        assertEquals(ModelConfig.Kind.LENET, lenet.model().kind());
        assertEquals(2, lenet.run().epochs());
    }

    @Test
    void overridesReachAnyKey()
    {
        final TrainConfig config = ConfigLoader.load(CONFIGS.resolve("synthetic-quick.yaml"),
            List.of("run.epochs=1", "cluster.devices=3", "model.hidden=[7,5]", "optimizer.type=adam", "data.size=99"));
        assertEquals(1, config.run().epochs());
        assertEquals(3, config.cluster().devices());
        assertEquals(List.of(7, 5), config.model().hidden());
        assertEquals(OptimizerConfig.Kind.ADAM, config.optimizer().kind());
        assertEquals(99, config.data().size());
    }

    @Test
    void defaultsFillAnEmptySection()
    {
        final TrainConfig config = ConfigLoader.parse("mem.yaml", "data:\n  type: synthetic\n", List.of());
        assertEquals(1, config.cluster().devices());
        assertEquals("sync", config.strategy().type());
        assertEquals(128, config.run().batchSize());
        assertEquals(OptimizerConfig.Kind.ADAM, config.optimizer().kind());
    }
}
