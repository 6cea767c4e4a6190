package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.tributary.kernels.Buffers.direct;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** CPU and CUDA fed the same inputs must produce the same bytes. Skipped, with the reason printed, without a GPU. */
class CudaParityTest
{
    private static final int N = 10_007; // several scan tiles and a ragged end
    private static CudaGradientKernels cuda;
    private final CpuGradientKernels cpu = new CpuGradientKernels();

    @BeforeAll
    static void open()
    {
        cuda = CudaSupport.openOrSkip();
    }

    @AfterAll
    static void close()
    {
        if (cuda != null)
        {
            cuda.close();
        }
    }

    @Test
    void arithmetic()
    {
        final ByteBuffer[] inputs = {ReferenceData.gradient(N, 1), ReferenceData.gradient(N, 2), ReferenceData.gradient(N, 3)};
        assertSame("sum", out -> cpu.sum(inputs, 3, out, N), out -> cuda.sum(inputs, 3, out, N), N * 4);
        final ByteBuffer x = ReferenceData.gradient(N, 4);
        assertSame("scale", out -> { copy(x, out); cpu.scale(out, N, 0.37f); },
            out -> { copy(x, out); cuda.scale(out, N, 0.37f); }, N * 4);
        assertSame("axpy", out -> { copy(x, out); cpu.axpy(N, -1.7f, inputs[0], out); },
            out -> { copy(x, out); cuda.axpy(N, -1.7f, inputs[0], out); }, N * 4);
    }

    @Test
    void conversions()
    {
        final ByteBuffer src = ReferenceData.specialFloats(N, 5);
        assertSame("packHalf", out -> cpu.packHalf(src, out, N), out -> cuda.packHalf(src, out, N), N * 2);
        assertSame("packBfloat16", out -> cpu.packBfloat16(src, out, N), out -> cuda.packBfloat16(src, out, N), N * 2);
        final ByteBuffer codes = ReferenceData.allShorts(N);
        assertSame("unpackHalf", out -> cpu.unpackHalf(codes, out, N), out -> cuda.unpackHalf(codes, out, N), N * 4);
        assertSame("unpackBfloat16", out -> cpu.unpackBfloat16(codes, out, N), out -> cuda.unpackBfloat16(codes, out, N), N * 4);
    }

    @Test
    void quantisation()
    {
        final ByteBuffer src = ReferenceData.gradient(N, 6);
        final int buckets = (N + 99) / 100;
        final ByteBuffer scalesCpu = direct(buckets * 4);
        final ByteBuffer scalesCuda = direct(buckets * 4);
        assertSame("quantise8", out -> cpu.quantise8(src, N, 100, 99L, out, scalesCpu),
            out -> cuda.quantise8(src, N, 100, 99L, out, scalesCuda), N);
        assertEquals(scalesCpu, scalesCuda, "quantise8 scales");
        final ByteBuffer codes = direct(N);
        cpu.quantise8(src, N, 100, 99L, codes, scalesCpu);
        assertSame("dequantise8", out -> cpu.dequantise8(codes, scalesCpu, N, 100, out),
            out -> cuda.dequantise8(codes, scalesCpu, N, 100, out), N * 4);
    }

    @Test
    void sparseCodecs()
    {
        final ByteBuffer residual = ReferenceData.gradient(N, 7);
        final ByteBuffer rCpu = direct(N * 4);
        final ByteBuffer rCuda = direct(N * 4);
        for (final int capacity : new int[]{N, 300})
        {
            copy(residual, rCpu);
            copy(residual, rCuda);
            final ByteBuffer eCpu = direct(N * 4);
            final ByteBuffer eCuda = direct(N * 4);
            final int wCpu = cpu.thresholdEncode(rCpu, N, 1.0f, eCpu, capacity);
            assertEquals(wCpu, cuda.thresholdEncode(rCuda, N, 1.0f, eCuda, capacity), "thresholdEncode count");
            assertEquals(eCpu.slice(0, wCpu * 4), eCuda.slice(0, wCpu * 4), "thresholdEncode entries");
            assertEquals(rCpu, rCuda, "thresholdEncode residual");
            assertSame("thresholdDecode", out -> cpu.thresholdDecode(eCpu, wCpu, 1.0f, out, N),
                out -> cuda.thresholdDecode(eCpu, wCpu, 1.0f, out, N), N * 4);
        }
        final ByteBuffer tied = ReferenceData.tiedValues(N, 8);
        for (final int k : new int[]{1, 77, 2000, N})
        {
            copy(tied, rCpu);
            copy(tied, rCuda);
            final ByteBuffer iCpu = direct(k * 4);
            final ByteBuffer iCuda = direct(k * 4);
            final ByteBuffer vCpu = direct(k * 4);
            final ByteBuffer vCuda = direct(k * 4);
            cpu.topK(rCpu, N, k, iCpu, vCpu);
            cuda.topK(rCuda, N, k, iCuda, vCuda);
            assertEquals(iCpu, iCuda, "topK indices, k " + k);
            assertEquals(vCpu, vCuda, "topK values, k " + k);
            assertEquals(rCpu, rCuda, "topK residual, k " + k);
            assertSame("topKDecode", out -> cpu.topKDecode(iCpu, vCpu, k, out, N),
                out -> cuda.topKDecode(iCpu, vCpu, k, out, N), N * 4);
        }
    }

    private interface Op
    {
        void run(ByteBuffer out);
    }

    private static void assertSame(final String name, final Op onCpu, final Op onCuda, final int bytes)
    {
        final ByteBuffer a = direct(bytes);
        final ByteBuffer b = direct(bytes);
        onCpu.run(a);
        onCuda.run(b);
        for (int i = 0; i < bytes; i++)
        {
            if (a.get(i) != b.get(i))
            {
                throw new AssertionError(name + ": first difference at byte " + i);
            }
        }
    }

    private static void copy(final ByteBuffer from, final ByteBuffer to)
    {
        to.clear();
        to.put(from.duplicate().clear().limit(Math.min(from.capacity(), to.capacity())));
        to.clear();
    }

    static SplittableRandom random(final long seed)
    {
        return new SplittableRandom(seed);
    }
}
