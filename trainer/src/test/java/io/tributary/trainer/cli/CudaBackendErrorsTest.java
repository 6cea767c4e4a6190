package io.tributary.trainer.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cluster.backend: cuda} where it cannot run is one stderr line naming the file and key, exit code 2.
 * This build has the CPU backend, which is the first case. The others need a build with the CUDA backend:
 * they run the real CLI in a child JVM whose classpath starts with a build.properties saying {@code cuda},
 * which is all a -Pcuda build changes before the kernels library is opened (ND4J is not started by then).
 */
class CudaBackendErrorsTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [8]",
        "data:", "  type: synthetic", "  size: 64", "  test_size: 16", "  features: 4", "  classes: 2",
        "cluster:", "  backend: cuda", "  gpus: [0]",
        "run:", "  epochs: 1", "  batch_size: 16", "");
    /** Where .ci/run (gpu-kernels/src/main/cuda/build.sh gpu-kernels/target/native) leaves the JNI library. */
    private static final Path BUILT_LIBRARY = Path.of("../gpu-kernels/target/native/libtributary_kernels.so");

    @TempDir
    Path dir;

    @Test
    void cpuBuildSaysHowToBuildWithCuda() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("cuda.yaml"), CONFIG);
        final CliRun result = CliRun.of("train", file.toString(), "--out", dir.resolve("out").toString());
        assertOneLine("tributary: " + file + ": cluster.backend: 'cuda' needs the ND4J CUDA backend, but this build " +
            "has the CPU backend (nd4j-native): rebuild with mvn -Pcuda -DskipTests package (nd4j-cuda-11.6 1.0.0-M2.1 " +
            "runs on sm_37..sm_86 only; Hopper GPUs need a custom libnd4j build, selected with " +
            "-Dnd4j.cuda.artifactId=... -Dnd4j.cuda.version=...)", result.exitCode(), result.err());
    }

    @Test
    void cpuBuildNamesTheOverrideThatAskedForCuda() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("cpu.yaml"), CONFIG.replace("  backend: cuda\n  gpus: [0]\n", ""));
        final CliRun result = CliRun.of("train", file.toString(), "--set", "cluster.backend=cuda");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("tributary: --set cluster.backend=cuda: cluster.backend: 'cuda' needs"),
            result.err());
    }

    @Test
    void gpuIdsUnderCpuAreAnError() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("ids.yaml"), CONFIG.replace("  backend: cuda\n", ""));
        final CliRun result = CliRun.of("train", file.toString());
        assertOneLine("tributary: " + file + ": cluster.gpus: GPU ids apply to backend cuda only; this run has backend " +
            "cpu (set cluster.backend: cuda)", result.exitCode(), result.err());
    }

    @Test
    void cudaBuildWithoutTheKernelsLibrary() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("cuda.yaml"), CONFIG);
        final Path absent = dir.resolve("absent/libtributary_kernels.so");
        final Child child = runAsCudaBuild(file, "-Dtributary.kernels.library=" + absent);
        assertOneLine("tributary: " + file + ": cluster.backend: 'cuda' is unavailable: CUDA kernels library not found: " +
            absent, child.exitCode, child.err);
    }

    @Test
    void cudaBuildOnAMachineWithoutAGpu() throws Exception
    {
        if (!Files.isRegularFile(BUILT_LIBRARY) || Files.exists(Path.of("/dev/nvidiactl")))
        {
            final String reason = "needs the JNI library built (gpu-kernels/src/main/cuda/build.sh " +
                "gpu-kernels/target/native) on a machine without a GPU";
            System.out.println("[skipped] CudaBackendErrorsTest: " + reason);
            Assumptions.abort(reason);
        }
        final Path file = Files.writeString(dir.resolve("cuda.yaml"), CONFIG);
        final Child child = runAsCudaBuild(file, "-Dtributary.kernels.library=" + BUILT_LIBRARY.toAbsolutePath());
        assertOneLine("tributary: " + file + ": cluster.backend: 'cuda' is unavailable: no CUDA device: " +
            "cudaGetDeviceCount failed with CUDA error ", child.exitCode, child.err);
    }

    private static void assertOneLine(final String expectedStart, final int exitCode, final String err)
    {
        CliRun.assertUserError(exitCode, err, expectedStart, "");
    }

    private record Child(int exitCode, String err)
    {
    }

    private Child runAsCudaBuild(final Path config, final String libraryProperty) throws Exception
    {
        final Path override = dir.resolve("cuda-build");
        Files.createDirectories(override.resolve("io/tributary/trainer"));
        Files.writeString(override.resolve("io/tributary/trainer/build.properties"), "nd4j.backend=cuda\n");
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", libraryProperty,
            "-cp", override + java.io.File.pathSeparator + System.getProperty("java.class.path"),
            Main.class.getName(), "train", config.toString(), "--out", dir.resolve("out").toString()));
        final Path err = dir.resolve("stderr.txt");
        final Process process = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not exit within 60 s");
        }
        return new Child(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }
}
