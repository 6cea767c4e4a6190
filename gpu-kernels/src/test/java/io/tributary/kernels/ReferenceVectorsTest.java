package io.tributary.kernels;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the committed reference vectors equal to what CpuGradientKernels produces now. To regenerate them
 * after changing a definition: {@code mvn -pl gpu-kernels test -Dtest=ReferenceVectorsTest -Dtributary.writeReference=true}.
 */
class ReferenceVectorsTest
{
    private static final Path DIR = Path.of("src/test/resources/reference");

    @Test
    void committedVectorsMatchTheCpuKernels() throws IOException
    {
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "the files are little-endian");
        System.out.println("ReferenceVectorsTest: conversions on the " + (CpuGradientKernels.VECTORISED ? "vector" : "scalar") + " path");
        final Map<String, ByteBuffer> files = ReferenceVectors.generate();
        final boolean write = Boolean.getBoolean("tributary.writeReference");
        if (write)
        {
            Files.createDirectories(DIR);
        }
        long total = 0;
        for (final Map.Entry<String, ByteBuffer> e : files.entrySet())
        {
            final ByteBuffer b = e.getValue().duplicate().clear();
            final byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            total += bytes.length;
            final Path file = DIR.resolve(e.getKey());
            if (write)
            {
                Files.write(file, bytes);
            }
            assertTrue(Files.exists(file), "missing " + file + ": regenerate with -Dtributary.writeReference=true");
            assertArrayEquals(bytes, Files.readAllBytes(file), () -> file + " is stale: regenerate with -Dtributary.writeReference=true");
        }
        assertTrue(total < 400 * 1024, "reference vectors stay small, were " + total + " bytes");
        try (var listing = Files.list(DIR))
        {
            final Object[] onDisk = listing.map(p -> p.getFileName().toString()).sorted().toArray();
            assertArrayEquals(files.keySet().stream().sorted().toArray(), onDisk, "no stray files in " + DIR);
        }
    }
}
