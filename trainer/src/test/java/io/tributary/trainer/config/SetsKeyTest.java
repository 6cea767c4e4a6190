package io.tributary.trainer.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key counts as set when the file or an override gives it; its default does not. */
class SetsKeyTest
{
    @TempDir
    Path dir;

    @Test
    void fileOrOverrideSetsAKeyItsDefaultDoesNot() throws IOException
    {
        final Path without = Files.writeString(dir.resolve("a.yaml"), "cluster:\n  devices: 2\nrun:\n  epochs: 1\n");
        final Path with = Files.writeString(dir.resolve("b.yaml"), "cluster:\n  nodes: 1\n");
        assertFalse(ConfigLoader.setsKey(without, List.of("run.epochs=2"), "cluster.nodes"));
        assertTrue(ConfigLoader.setsKey(without, List.of("cluster.nodes=2"), "cluster.nodes"));
        assertTrue(ConfigLoader.setsKey(with, List.of(), "cluster.nodes"));
        assertFalse(ConfigLoader.setsKey(Files.writeString(dir.resolve("c.yaml"), ""), List.of(), "cluster.nodes"));
    }
}
