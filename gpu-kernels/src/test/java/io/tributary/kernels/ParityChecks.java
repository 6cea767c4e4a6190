package io.tributary.kernels;

import java.nio.ByteBuffer;

import static io.tributary.kernels.Buffers.direct;

/**
 * CPU and CUDA fed the same inputs must produce the same bytes. JDK only (no JUnit), so both
 * {@link CudaParityTest} and {@link CudaParityMain} (run by bench/gpu-check.sh with a jlink'ed runtime) use it.
 * Each check throws AssertionError naming the kernel and the first differing byte.
 */
final class ParityChecks
{
    static final int N = 10_007; // several scan tiles and a ragged end

    private final GradientKernels cpu;
    private final GradientKernels cuda;

    ParityChecks(final GradientKernels cpu, final GradientKernels cuda)
    {
        this.cpu = cpu;
        this.cuda = cuda;
    }

    void arithmetic()
    {
        final ByteBuffer[] inputs = {ReferenceData.gradient(N, 1), ReferenceData.gradient(N, 2), ReferenceData.gradient(N, 3)};
        same("sum", out -> cpu.sum(inputs, 3, out, N), out -> cuda.sum(inputs, 3, out, N), N * 4);
        final ByteBuffer x = ReferenceData.gradient(N, 4);
        same("scale", out -> { copy(x, out); cpu.scale(out, N, 0.37f); }, out -> { copy(x, out); cuda.scale(out, N, 0.37f); }, N * 4);
        same("axpy", out -> { copy(x, out); cpu.axpy(N, -1.7f, inputs[0], out); },
            out -> { copy(x, out); cuda.axpy(N, -1.7f, inputs[0], out); }, N * 4);
    }

    void conversions()
    {
        final ByteBuffer src = ReferenceData.specialFloats(N, 5);
        same("packHalf", out -> cpu.packHalf(src, out, N), out -> cuda.packHalf(src, out, N), N * 2);
        same("packBfloat16", out -> cpu.packBfloat16(src, out, N), out -> cuda.packBfloat16(src, out, N), N * 2);
        final ByteBuffer codes = ReferenceData.allShorts(N);
        same("unpackHalf", out -> cpu.unpackHalf(codes, out, N), out -> cuda.unpackHalf(codes, out, N), N * 4);
        same("unpackBfloat16", out -> cpu.unpackBfloat16(codes, out, N), out -> cuda.unpackBfloat16(codes, out, N), N * 4);
    }

    void quantisation()
    {
        final ByteBuffer src = ReferenceData.gradient(N, 6);
        final int buckets = (N + 99) / 100;
        final ByteBuffer scalesCpu = direct(buckets * 4);
        final ByteBuffer scalesCuda = direct(buckets * 4);
        same("quantise8", out -> cpu.quantise8(src, N, 100, 99L, out, scalesCpu), out -> cuda.quantise8(src, N, 100, 99L, out, scalesCuda), N);
        equal("quantise8 scales", scalesCpu, scalesCuda);
        final ByteBuffer codes = direct(N);
        cpu.quantise8(src, N, 100, 99L, codes, scalesCpu);
        same("dequantise8", out -> cpu.dequantise8(codes, scalesCpu, N, 100, out), out -> cuda.dequantise8(codes, scalesCpu, N, 100, out), N * 4);
    }

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
            final int written = cpu.thresholdEncode(rCpu, N, 1.0f, eCpu, capacity);
            final int writtenCuda = cuda.thresholdEncode(rCuda, N, 1.0f, eCuda, capacity);
            if (written != writtenCuda)
            {
                throw new AssertionError("thresholdEncode count: cpu " + written + ", cuda " + writtenCuda);
            }
            equal("thresholdEncode entries", eCpu.slice(0, written * 4), eCuda.slice(0, written * 4));
            equal("thresholdEncode residual", rCpu, rCuda);
            same("thresholdDecode", out -> cpu.thresholdDecode(eCpu, written, 1.0f, out, N),
                out -> cuda.thresholdDecode(eCpu, written, 1.0f, out, N), N * 4);
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
            equal("topK indices, k " + k, iCpu, iCuda);
            equal("topK values, k " + k, vCpu, vCuda);
            equal("topK residual, k " + k, rCpu, rCuda);
            same("topKDecode, k " + k, out -> cpu.topKDecode(iCpu, vCpu, k, out, N), out -> cuda.topKDecode(iCpu, vCpu, k, out, N), N * 4);
        }
    }

    /**
     * The decoders on subnormal values and a subnormal tau: a GPU add that flushes subnormals to zero
     * (atom.add.f32 may) would decode +0 where the CPU keeps the value.
     */
    void subnormals()
    {
        final ByteBuffer residual = ReferenceData.subnormals(N, 9);
        final ByteBuffer rCpu = direct(N * 4);
        final ByteBuffer rCuda = direct(N * 4);
        final ByteBuffer iCpu = direct(N * 4);
        final ByteBuffer iCuda = direct(N * 4);
        final ByteBuffer vCpu = direct(N * 4);
        final ByteBuffer vCuda = direct(N * 4);
        copy(residual, rCpu);
        copy(residual, rCuda);
        cpu.topK(rCpu, N, N, iCpu, vCpu);
        cuda.topK(rCuda, N, N, iCuda, vCuda);
        equal("topK subnormal indices", iCpu, iCuda);
        equal("topK subnormal values", vCpu, vCuda);
        same("topKDecode subnormals into zeros", out -> cpu.topKDecode(iCpu, vCpu, N, out, N),
            out -> cuda.topKDecode(iCpu, vCpu, N, out, N), N * 4);
        same("topKDecode subnormals onto subnormals", out -> { copy(residual, out); cpu.topKDecode(iCpu, vCpu, N, out, N); },
            out -> { copy(residual, out); cuda.topKDecode(iCpu, vCpu, N, out, N); }, N * 4);

        final float tau = 1e-39f;
        copy(residual, rCpu);
        copy(residual, rCuda);
        final int written = cpu.thresholdEncode(rCpu, N, tau, iCpu, N);
        final int writtenCuda = cuda.thresholdEncode(rCuda, N, tau, iCuda, N);
        if (written != writtenCuda || written == 0)
        {
            throw new AssertionError("thresholdEncode subnormal tau count: cpu " + written + ", cuda " + writtenCuda);
        }
        equal("thresholdEncode subnormal tau entries", iCpu.slice(0, written * 4), iCuda.slice(0, written * 4));
        equal("thresholdEncode subnormal tau residual", rCpu, rCuda);
        same("thresholdDecode subnormal tau into zeros", out -> cpu.thresholdDecode(iCpu, written, tau, out, N),
            out -> cuda.thresholdDecode(iCpu, written, tau, out, N), N * 4);
        same("thresholdDecode subnormal tau onto subnormals",
            out -> { copy(residual, out); cpu.thresholdDecode(iCpu, written, tau, out, N); },
            out -> { copy(residual, out); cuda.thresholdDecode(iCpu, written, tau, out, N); }, N * 4);
    }

    interface Op
    {
        void run(ByteBuffer out);
    }

    private static void same(final String name, final Op onCpu, final Op onCuda, final int bytes)
    {
        final ByteBuffer a = direct(bytes);
        final ByteBuffer b = direct(bytes);
        onCpu.run(a);
        onCuda.run(b);
        equal(name, a, b);
    }

    private static void equal(final String name, final ByteBuffer cpu, final ByteBuffer cuda)
    {
        final int bytes = cpu.capacity();
        for (int i = 0; i < bytes; i++)
        {
            if (cpu.get(i) != cuda.get(i))
            {
                throw new AssertionError(name + ": first difference at byte " + i + " (cpu " + cpu.get(i) + ", cuda " + cuda.get(i) + ")");
            }
        }
    }

    private static void copy(final ByteBuffer from, final ByteBuffer to)
    {
        for (int i = 0; i < Math.min(from.capacity(), to.capacity()); i++)
        {
            to.put(i, from.get(i));
        }
    }
}
