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

    /**
     * More inputs than one launch takes (the bridge reads 16 addresses at a time, a kernel adds 16), in place
     * (out is inputs[0]) on the host and, where the CUDA side has one, on the device.
     */
    void manyInputs()
    {
        final int count = 37;
        final ByteBuffer[] many = new ByteBuffer[count];
        for (int j = 0; j < count; j++)
        {
            many[j] = ReferenceData.gradient(N, 100 + j);
        }
        same("sum of 37", out -> cpu.sum(many, count, out, N), out -> cuda.sum(many, count, out, N), N * 4);
        final ByteBuffer[] inPlace = many.clone();
        same("sum of 37 in place", out -> { copy(many[0], out); inPlace[0] = out; cpu.sum(inPlace, count, out, N); },
            out -> { copy(many[0], out); inPlace[0] = out; cuda.sum(inPlace, count, out, N); }, N * 4);
        if (cuda instanceof CudaGradientKernels)
        {
            final DeviceGradientKernels device = ((CudaGradientKernels)cuda).device();
            final long[] addresses = new long[count];
            try
            {
                for (int j = 0; j < count; j++)
                {
                    addresses[j] = device.allocate(N * 4L);
                    device.copyToDevice(many[j], addresses[j], N * 4L);
                }
                same("device sum of 37 in place", out -> { copy(many[0], out); inPlace[0] = out; cpu.sum(inPlace, count, out, N); },
                    out -> { device.sum(addresses, count, addresses[0], N); device.copyToHost(addresses[0], out, N * 4L); }, N * 4);
            }
            finally
            {
                for (final long address : addresses)
                {
                    if (address != 0)
                    {
                        device.free(address);
                    }
                }
            }
        }
    }

    /** n = 0 and 1 for every kernel, k = 0, capacity 0, and the quantiser on zero, NaN and infinite buckets. */
    void edges()
    {
        final ByteBuffer a = ReferenceData.gradient(1, 11);
        final ByteBuffer b = ReferenceData.gradient(1, 12);
        final ByteBuffer code = ReferenceData.allShorts(2).slice(2, 2).order(java.nio.ByteOrder.nativeOrder());
        for (final int n : new int[]{0, 1})
        {
            final String at = " n=" + n;
            same("sum" + at, out -> cpu.sum(new ByteBuffer[]{a, b}, 2, out, n), out -> cuda.sum(new ByteBuffer[]{a, b}, 2, out, n), 4);
            same("scale" + at, out -> { copy(a, out); cpu.scale(out, n, 3.0f); }, out -> { copy(a, out); cuda.scale(out, n, 3.0f); }, 4);
            same("axpy" + at, out -> { copy(b, out); cpu.axpy(n, 3.0f, a, out); }, out -> { copy(b, out); cuda.axpy(n, 3.0f, a, out); }, 4);
            same("packHalf" + at, out -> cpu.packHalf(a, out, n), out -> cuda.packHalf(a, out, n), 2);
            same("packBfloat16" + at, out -> cpu.packBfloat16(a, out, n), out -> cuda.packBfloat16(a, out, n), 2);
            same("unpackHalf" + at, out -> cpu.unpackHalf(code, out, n), out -> cuda.unpackHalf(code, out, n), 4);
            same("unpackBfloat16" + at, out -> cpu.unpackBfloat16(code, out, n), out -> cuda.unpackBfloat16(code, out, n), 4);
            quantiser("quantise8" + at, a, n, 4);
            thresholdCodec("threshold" + at, a, n, 0x1p-20f, n);
            topKCodec("topK k=n" + at, a, n, n);
        }
        final ByteBuffer gradient = ReferenceData.gradient(N, 13);
        thresholdCodec("threshold capacity 0", gradient, N, 1.0f, 0);
        topKCodec("topK k=0", gradient, N, 0);
        quantiser("quantise8 edge buckets", ReferenceData.quantiserEdges(N, 14), N, 8);
    }

    /** Few large buckets, which the GPU splits across blocks (one bucket of n; 3 buckets, the last ragged; 9 of 4099). */
    void largeBuckets()
    {
        final int n = 3 * 4096 + 77;
        final ByteBuffer src = ReferenceData.gradient(n, 15);
        src.putFloat(4 * 5000, Float.NaN);
        src.putFloat(4 * 9000, -123.0f);
        for (final int bucket : new int[]{n, 4096, 1366, 4099})
        {
            quantiser("quantise8 bucket " + bucket, src, n, bucket);
        }
    }

    private void quantiser(final String name, final ByteBuffer src, final int n, final int bucket)
    {
        final int buckets = (n + bucket - 1) / bucket;
        final ByteBuffer scalesCpu = direct(Math.max(1, buckets) * 4);
        final ByteBuffer scalesCuda = direct(Math.max(1, buckets) * 4);
        final ByteBuffer codes = direct(Math.max(1, n));
        same(name + " codes", out -> cpu.quantise8(src, n, bucket, 5L, out, scalesCpu),
            out -> cuda.quantise8(src, n, bucket, 5L, out, scalesCuda), Math.max(1, n));
        equal(name + " scales", scalesCpu, scalesCuda);
        cpu.quantise8(src, n, bucket, 5L, codes, scalesCpu);
        same(name + " dequantise8", out -> cpu.dequantise8(codes, scalesCpu, n, bucket, out),
            out -> cuda.dequantise8(codes, scalesCpu, n, bucket, out), Math.max(1, n) * 4);
    }

    private void thresholdCodec(final String name, final ByteBuffer residual, final int n, final float tau, final int capacity)
    {
        final int bytes = Math.max(1, n) * 4;
        final ByteBuffer rCpu = direct(bytes);
        final ByteBuffer rCuda = direct(bytes);
        copy(residual, rCpu);
        copy(residual, rCuda);
        final ByteBuffer eCpu = direct(Math.max(1, capacity) * 4);
        final ByteBuffer eCuda = direct(Math.max(1, capacity) * 4);
        final int written = cpu.thresholdEncode(rCpu, n, tau, eCpu, capacity);
        final int writtenCuda = cuda.thresholdEncode(rCuda, n, tau, eCuda, capacity);
        if (written != writtenCuda)
        {
            throw new AssertionError(name + " count: cpu " + written + ", cuda " + writtenCuda);
        }
        equal(name + " entries", eCpu.slice(0, written * 4), eCuda.slice(0, written * 4));
        equal(name + " residual", rCpu, rCuda);
        same(name + " decode", out -> cpu.thresholdDecode(eCpu, written, tau, out, n), out -> cuda.thresholdDecode(eCpu, written, tau, out, n), bytes);
    }

    private void topKCodec(final String name, final ByteBuffer residual, final int n, final int k)
    {
        final int bytes = Math.max(1, n) * 4;
        final ByteBuffer rCpu = direct(bytes);
        final ByteBuffer rCuda = direct(bytes);
        copy(residual, rCpu);
        copy(residual, rCuda);
        final ByteBuffer iCpu = direct(Math.max(1, k) * 4);
        final ByteBuffer iCuda = direct(Math.max(1, k) * 4);
        final ByteBuffer vCpu = direct(Math.max(1, k) * 4);
        final ByteBuffer vCuda = direct(Math.max(1, k) * 4);
        cpu.topK(rCpu, n, k, iCpu, vCpu);
        cuda.topK(rCuda, n, k, iCuda, vCuda);
        equal(name + " indices", iCpu, iCuda);
        equal(name + " values", vCpu, vCuda);
        equal(name + " residual", rCpu, rCuda);
        same(name + " decode", out -> cpu.topKDecode(iCpu, vCpu, k, out, n), out -> cuda.topKDecode(iCpu, vCpu, k, out, n), bytes);
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
