package io.tributary.bench.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.tributary.kernels.CpuGradientKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU kernels on buffers of n floats (64 MiB at the default n, twice the L3 here, so memory-bound), beside
 * the peer every rate is compared with: a plain float[] copy (System.arraycopy) of the same n, same run.
 * {@link KernelsBench} turns the times into GB/s with the byte counts in {@link #BYTES_PER_ELEMENT}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KernelsBenchmark
{
    static final int BUCKET = 512;
    static final float TAU = 0.9f;

    @Param("16777216")
    public int n;

    private final CpuGradientKernels kernels = new CpuGradientKernels();
    private float[] arrayA;
    private float[] arrayB;
    private ByteBuffer a;
    private ByteBuffer b;
    private ByteBuffer out;
    private ByteBuffer pristine;
    private ByteBuffer halves;
    private ByteBuffer codes;
    private ByteBuffer scales;
    private ByteBuffer encoded;
    private ByteBuffer indices;
    private ByteBuffer values;
    private ByteBuffer[] pair;
    private long seed;

    @Setup(Level.Trial)
    public void allocate()
    {
        arrayA = new float[n];
        arrayB = new float[n];
        a = floats(n, 1);
        b = floats(n, 2);
        pristine = floats(n, 3);
        out = direct(4L * n);
        halves = direct(2L * n);
        codes = direct(n);
        scales = direct(4L * ((n + BUCKET - 1) / BUCKET));
        encoded = direct(4L * (n / 50));
        indices = direct(4L * (n / 100));
        values = direct(4L * (n / 100));
        pair = new ByteBuffer[]{a, b};
        for (int i = 0; i < n; i++)
        {
            arrayA[i] = a.getFloat(i << 2);
        }
        kernels.packHalf(a, halves, n);
        kernels.quantise8(a, n, BUCKET, 1, codes, scales);
    }

    /** The sparse encoders consume their residual: each of their calls starts from the same values (untimed). */
    @State(Scope.Thread)
    public static class Residual
    {
        @Setup(Level.Invocation)
        public void restore(final KernelsBenchmark b)
        {
            b.out.clear();
            b.out.put(b.pristine.duplicate().clear());
            b.out.clear();
        }
    }

    /** The peer, run first and (as zCopyArray, JMH runs benchmarks by name) last, to bracket drift. */
    @Benchmark
    public float[] aCopyArray()
    {
        System.arraycopy(arrayA, 0, arrayB, 0, n);
        return arrayB;
    }

    @Benchmark
    public float[] zCopyArray()
    {
        System.arraycopy(arrayB, 0, arrayA, 0, n);
        return arrayA;
    }

    @Benchmark
    public ByteBuffer sum2()
    {
        kernels.sum(pair, 2, out, n);
        return out;
    }

    @Benchmark
    public ByteBuffer scale()
    {
        kernels.scale(out, n, -1.0f);
        return out;
    }

    @Benchmark
    public ByteBuffer axpy()
    {
        kernels.axpy(n, 1e-3f, a, out);
        return out;
    }

    @Benchmark
    public ByteBuffer packHalf()
    {
        kernels.packHalf(a, halves, n);
        return halves;
    }

    @Benchmark
    public ByteBuffer unpackHalf()
    {
        kernels.unpackHalf(halves, out, n);
        return out;
    }

    @Benchmark
    public ByteBuffer packBfloat16()
    {
        kernels.packBfloat16(a, halves, n);
        return halves;
    }

    @Benchmark
    public ByteBuffer unpackBfloat16()
    {
        kernels.unpackBfloat16(halves, out, n);
        return out;
    }

    @Benchmark
    public ByteBuffer quantise8()
    {
        kernels.quantise8(a, n, BUCKET, seed++, codes, scales);
        return codes;
    }

    @Benchmark
    public ByteBuffer dequantise8()
    {
        kernels.dequantise8(codes, scales, n, BUCKET, out);
        return out;
    }

    @Benchmark
    public int thresholdEncode(final Residual residual)
    {
        return kernels.thresholdEncode(out, n, TAU, encoded, n / 50);
    }

    @Benchmark
    public ByteBuffer topK(final Residual residual)
    {
        kernels.topK(out, n, n / 100, indices, values);
        return indices;
    }

    static ByteBuffer direct(final long bytes)
    {
        return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
    }

    /** Values in [-1, 1) times 2^-(0..7), as in the GPU harness: ~1.2% reach TAU. */
    static ByteBuffer floats(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ByteBuffer buffer = direct(4L * n);
        for (int i = 0; i < n; i++)
        {
            buffer.putFloat(i << 2, Math.scalb((float)random.nextDouble(-1, 1), -random.nextInt(8)));
        }
        return buffer;
    }
}
