package io.tributary.kernels;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static io.tributary.kernels.Buffers.direct;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CpuGradientKernels allocates nothing per call once warmed up (the README and the class promise it; the
 * trainer calls these on every step). Measured with the JVM's per-thread allocation counter over many calls,
 * so one object per call (16 bytes at least) shows as >= 16 bytes per call; the bound of 1 byte per call
 * leaves room only for allocation that is not per call (a JIT deoptimisation, the counter's own reads).
 */
class CpuAllocationTest
{
    private static final int N = 1024;
    private static final int WARM_UP = 20_000;
    private static final int CALLS = 10_000;

    private final CpuGradientKernels kernels = new CpuGradientKernels();
    private final ByteBuffer[] inputs = {ReferenceData.gradient(N, 1), ReferenceData.gradient(N, 2),
        ReferenceData.gradient(N, 3), ReferenceData.gradient(N, 4)};
    private final ByteBuffer out = direct(N * 4);
    private final ByteBuffer halves = direct(N * 2);
    private final ByteBuffer codes = direct(N);
    private final ByteBuffer scales = direct(N * 4);
    private final ByteBuffer encoded = direct(N * 4);
    private final ByteBuffer values = direct(N * 4);

    @Test
    void arithmeticAllocatesNothingPerCall()
    {
        assertNoAllocation("sum of 4", () -> kernels.sum(inputs, 4, out, N));
        assertNoAllocation("scale", () -> kernels.scale(out, N, 0.5f));
        assertNoAllocation("axpy", () -> kernels.axpy(N, 0.5f, inputs[0], out));
    }

    @Test
    void conversionsAllocateNothingPerCall()
    {
        assertNoAllocation("packHalf", () -> kernels.packHalf(inputs[0], halves, N));
        assertNoAllocation("unpackHalf", () -> kernels.unpackHalf(halves, out, N));
        assertNoAllocation("packBfloat16", () -> kernels.packBfloat16(inputs[0], halves, N));
        assertNoAllocation("unpackBfloat16", () -> kernels.unpackBfloat16(halves, out, N));
    }

    @Test
    void codecsAllocateNothingPerCall()
    {
        assertNoAllocation("quantise8", () -> kernels.quantise8(inputs[0], N, 100, 7L, codes, scales));
        assertNoAllocation("dequantise8", () -> kernels.dequantise8(codes, scales, N, 100, out));
        assertNoAllocation("thresholdEncode + decode", () ->
        {
            kernels.sum(inputs, 1, out, N);
            final int written = kernels.thresholdEncode(out, N, 0.1f, encoded, N);
            kernels.thresholdDecode(encoded, written, 0.1f, out, N);
        });
        assertNoAllocation("topK + decode", () ->
        {
            kernels.sum(inputs, 1, out, N);
            kernels.topK(out, N, 50, encoded, values);
            kernels.topKDecode(encoded, values, 50, out, N);
        });
    }

    private static void assertNoAllocation(final String name, final Runnable call)
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP; i++)
        {
            call.run();
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++)
        {
            call.run();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < CALLS, name + " allocated " + allocated + " bytes over " + CALLS + " calls");
    }
}
