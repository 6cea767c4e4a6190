package io.tributary.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the real CUDA kernel sources and the GPU check harness (bench/gpu) on the CPU, against the committed
 * reference vectors: the kernel launches are rewritten to calls of tk_emu::launch, and
 * src/test/cuda-emulation/cuda_runtime.h stands in for CUDA with a thread per CUDA thread. This catches
 * indexing, tiling, scan and barrier mistakes here, before the one run on a lent GPU; it cannot catch
 * anything specific to real hardware (memory ordering, occupancy, speed). Skipped without g++.
 */
class CudaEmulationTest
{
    private static final Path CUDA = Path.of("src/main/cuda");
    private static final Path HARNESS = Path.of("../bench/gpu");
    private static final Path EMULATION = Path.of("src/test/cuda-emulation");
    private static final Path WORK = Path.of("target/cuda-emulation");

    @Test
    void kernelsMatchTheReferenceVectorsOnTheCpuStandIn() throws IOException, InterruptedException
    {
        if (!commandExists("g++"))
        {
            CudaSupport.skip("g++ is not installed");
        }
        Files.createDirectories(WORK.resolve("results"));
        final List<String> command = compileKernels();
        command.add(HARNESS.resolve("tk_check.cu").toString());
        command.add(HARNESS.resolve("tk_check_edges.cu").toString());
        command.add(HARNESS.resolve("tk_report.cu").toString());
        command.add(EMULATION.resolve("timing_stub.cpp").toString());
        command.addAll(List.of("-o", WORK.resolve("tk_check").toString()));
        final Result build = run(command, 240);
        assertEquals(0, build.exit, "g++ failed:\n" + build.output);

        final Result check = run(List.of(WORK.resolve("tk_check").toString(), "src/test/resources/reference",
            WORK.resolve("results").toString()), 240);
        System.out.println(check.output);
        assertEquals(0, check.exit, check.output);
        assertTrue(check.output.contains("tk_check: correctness ALL PASS"), check.output);
        assertFalse(check.output.contains("FAIL "), check.output);
        assertTrue(Files.readString(WORK.resolve("results/kernels-gpu.json")).contains("\"all_pass\": true"));
    }

    /**
     * Every C API call runs on its context's device and leaves the calling thread's current device alone (the
     * stand-in has two devices and records where each launch and allocation went).
     */
    @Test
    void callsRunOnTheContextsDeviceAndRestoreTheThreads() throws IOException, InterruptedException
    {
        if (!commandExists("g++"))
        {
            CudaSupport.skip("g++ is not installed");
        }
        final List<String> command = compileKernels();
        command.add(EMULATION.resolve("device_pinning.cpp").toString());
        command.addAll(List.of("-o", WORK.resolve("device_pinning").toString()));
        final Result build = run(command, 240);
        assertEquals(0, build.exit, "g++ failed:\n" + build.output);

        final Result pinning = run(List.of(WORK.resolve("device_pinning").toString()), 120);
        System.out.println(pinning.output);
        assertEquals(0, pinning.exit, pinning.output);
        assertTrue(pinning.output.contains("device pinning: ALL PASS"), pinning.output);
    }

    /**
     * The Java side too: CudaGradientKernels through the real JNI bridge (built against the stand-in) must
     * match CpuGradientKernels in ParityChecks. A separate JVM, so this library never meets the real one.
     */
    @Test
    void jniBridgeMatchesTheCpuOnTheStandIn() throws IOException, InterruptedException
    {
        if (!commandExists("g++"))
        {
            CudaSupport.skip("g++ is not installed");
        }
        final Path javaHome = Path.of(System.getProperty("java.home"));
        if (!Files.isRegularFile(javaHome.resolve("include/jni.h")))
        {
            CudaSupport.skip("no jni.h under " + javaHome);
        }
        final Path library = WORK.resolve("libtributary_kernels_emulated.so");
        final List<String> command = compileKernels();
        command.addAll(List.of(CUDA.resolve("tk_jni.cpp").toString(), "-shared", "-fPIC",
            "-I" + javaHome.resolve("include"), "-I" + javaHome.resolve("include/linux"), "-o", library.toString()));
        final Result build = run(command, 240);
        assertEquals(0, build.exit, "g++ failed:\n" + build.output);

        final Result parity = run(List.of(javaHome.resolve("bin/java").toString(),
            "-Dtributary.kernels.library=" + library.toAbsolutePath(), "-cp", "target/classes:target/test-classes",
            CudaParityMain.class.getName()), 240);
        System.out.println(parity.output);
        assertEquals(0, parity.exit, parity.output);
        assertTrue(parity.output.contains("java parity: ALL PASS"), parity.output);
    }

    /** The g++ command line so far: flags, include paths and the rewritten kernel sources. */
    private static List<String> compileKernels() throws IOException
    {
        Files.createDirectories(WORK);
        for (final String header : new String[]{"tk.h", "tk_internal.cuh", "tk_device.cuh"})
        {
            Files.copy(CUDA.resolve(header), WORK.resolve(header), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        final List<String> command = new ArrayList<>(List.of("g++", "-std=c++20", "-O1", "-ffp-contract=off", "-pthread",
            "-I" + EMULATION, "-I" + WORK, "-I" + HARNESS, "-x", "c++"));
        for (final String source : new String[]{"tk_context.cu", "tk_elementwise.cu", "tk_quantise.cu", "tk_sparse.cu"})
        {
            final Path rewritten = WORK.resolve(source);
            Files.writeString(rewritten, rewriteLaunches(Files.readString(CUDA.resolve(source))));
            command.add(rewritten.toString());
        }
        return command;
    }

    @Test
    void launchesAreRewrittenToPlainCalls()
    {
        assertEquals("tk_emu::launch(dim3(tk::grid_for(c, n)), dim3(tk::BLOCK), [=]() { pack_kernel<false>(src, f(dst, 1), n); });",
            rewriteLaunches("pack_kernel<false><<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(src, f(dst, 1), n);"));
    }

    /** kernel<<<grid, block, shared, stream>>>(args) becomes tk_emu::launch(dim3(grid), dim3(block), [=]() { kernel(args); }). */
    static String rewriteLaunches(final String source)
    {
        final StringBuilder out = new StringBuilder();
        int from = 0;
        for (int open = source.indexOf("<<<"); open >= 0; open = source.indexOf("<<<", from))
        {
            int start = open;
            if (source.charAt(start - 1) == '>')
            {
                start = source.lastIndexOf('<', start - 1);
            }
            while (start > 0 && (Character.isLetterOrDigit(source.charAt(start - 1)) || source.charAt(start - 1) == '_'))
            {
                start--;
            }
            final int close = source.indexOf(">>>", open);
            final List<String> config = splitTopLevel(source.substring(open + 3, close));
            final int argsOpen = close + 3;
            int depth = 0;
            int argsClose = argsOpen;
            do
            {
                final char c = source.charAt(argsClose++);
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            while (depth > 0);
            out.append(source, from, start)
                .append("tk_emu::launch(dim3(").append(config.get(0)).append("), dim3(").append(config.get(1)).append("), [=]() { ")
                .append(source, start, open).append(source, argsOpen, argsClose).append("; })");
            from = argsClose;
        }
        return out.append(source.substring(from)).toString();
    }

    private static List<String> splitTopLevel(final String config)
    {
        final List<String> parts = new ArrayList<>();
        int depth = 0;
        int begin = 0;
        for (int i = 0; i < config.length(); i++)
        {
            final char c = config.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0)
            {
                parts.add(config.substring(begin, i).trim());
                begin = i + 1;
            }
        }
        parts.add(config.substring(begin).trim());
        return parts;
    }

    private record Result(int exit, String output)
    {
    }

    private static Result run(final List<String> command, final int timeoutSeconds) throws IOException, InterruptedException
    {
        final Path log = Files.createTempFile(WORK, "run", ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command);
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Result(process.exitValue(), output);
    }

    private static boolean commandExists(final String name)
    {
        try
        {
            return new ProcessBuilder(name, "--version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        }
        catch (final IOException | InterruptedException e)
        {
            return false;
        }
    }
}
