package io.tributary.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architectures build.sh asks nvcc for, with a stand-in nvcc that lists its GPU codes as a CUDA 12 or a
 * CUDA 13 nvcc does and records its command line (no real compile, so this runs in a second or two).
 */
class BuildScriptTest
{
    private static final Path BUILD = Path.of("src/main/cuda/build.sh");

    @TempDir
    Path dir;

    @Test
    void addsVoltaAndItsPtxWhenNvccStillListsSm70() throws IOException, InterruptedException
    {
        final String args = nvccArguments("sm_70 sm_75 sm_80 sm_86 sm_90");
        for (final String arch : new String[]{"70", "75", "80", "86", "90"})
        {
            assertTrue(args.contains("arch=compute_" + arch + ",code=sm_" + arch), args);
        }
        assertTrue(args.contains("arch=compute_70,code=compute_70"), args);
        assertTrue(args.contains("arch=compute_90,code=compute_90"), args);
        assertFalse(args.contains("code=compute_75"), args);
    }

    @Test
    void startsAtTuringWhereNvccNoLongerListsSm70() throws IOException, InterruptedException
    {
        final String args = nvccArguments("sm_75 sm_80 sm_86 sm_90 sm_100");
        assertFalse(args.contains("compute_70"), args);
        assertTrue(args.contains("arch=compute_75,code=sm_75"), args);
        assertTrue(args.contains("arch=compute_75,code=compute_75"), args);
        assertTrue(args.contains("arch=compute_90,code=compute_90"), args);
    }

    private String nvccArguments(final String gpuCodes) throws IOException, InterruptedException
    {
        final Path bin = Files.createDirectories(dir.resolve("bin"));
        final Path log = dir.resolve("nvcc.args");
        final Path nvcc = bin.resolve("nvcc");
        Files.writeString(nvcc, "#!/bin/sh\n" +
            "case \"$1\" in\n" +
            "  --list-gpu-code) for c in " + gpuCodes + "; do echo $c; done; exit 0 ;;\n" +
            "  --version) echo 'stand-in nvcc'; exit 0 ;;\n" +
            "esac\n" +
            "echo \"$@\" > '" + log + "'\n" +
            "while [ $# -gt 0 ]; do [ \"$1\" = -o ] && touch \"$2\"; shift; done\n");
        Files.setPosixFilePermissions(nvcc, PosixFilePermissions.fromString("rwxr-xr-x"));
        final ProcessBuilder builder = new ProcessBuilder("bash", BUILD.toString(), dir.resolve("out").toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("TK_ARCHS");
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "build.sh did not finish");
        assertEquals(0, process.exitValue(), output);
        return Files.readString(log);
    }
}
