package io.tributary.kernels;

import java.nio.ByteBuffer;

/**
 * Gradient kernels over flat float vectors held in direct host buffers. {@link CpuGradientKernels} is the
 * reference; every other implementation must give bit-identical results for the same inputs.
 *
 * <p>Buffer conventions, for every method: buffers are direct and in native byte order; element {@code i}
 * of a float or int buffer lies at byte {@code 4 * i} from the buffer's start, of a half/bfloat16 buffer at
 * {@code 2 * i}, of a code buffer at {@code i}. Position and limit are ignored, capacity is checked.
 * Implementations are not thread-safe: use one instance per thread.
 *
 * <p>Definitions (fl(x) is IEEE-754 binary32 round-to-nearest-even, subnormals kept, no fused multiply-add):
 * <ul>
 * <li>sum: {@code out[i] = fl(...fl(fl(in0[i] + in1[i]) + in2[i]) ... + inN[i])}, left to right.</li>
 * <li>scale: {@code x[i] = fl(alpha * x[i])}; axpy: {@code y[i] = fl(fl(alpha * x[i]) + y[i])}.</li>
 * <li>half / bfloat16: see {@link HalfFloats}.</li>
 * <li>8-bit stochastic quantisation: see {@link StochasticQuantiser}.</li>
 * <li>threshold and top-k encodings: see {@link #thresholdEncode} and {@link #topK}.</li>
 * </ul>
 */
public interface GradientKernels extends AutoCloseable
{
    /** {@code inputCount >= 1}; {@code out} may be {@code inputs[0]} (accumulate in place), no other input. */
    void sum(ByteBuffer[] inputs, int inputCount, ByteBuffer out, int n);

    void scale(ByteBuffer x, int n, float alpha);

    void axpy(int n, float alpha, ByteBuffer x, ByteBuffer y);

    /** float32 to IEEE binary16, round to nearest even; see {@link HalfFloats#toHalf(float)}. */
    void packHalf(ByteBuffer src, ByteBuffer dst, int n);

    void unpackHalf(ByteBuffer src, ByteBuffer dst, int n);

    /** float32 to bfloat16, round to nearest even; see {@link HalfFloats#toBfloat16(float)}. */
    void packBfloat16(ByteBuffer src, ByteBuffer dst, int n);

    void unpackBfloat16(ByteBuffer src, ByteBuffer dst, int n);

    /**
     * QSGD-style quantisation to signed 8-bit codes in [-127, 127] with one float scale per bucket of
     * {@code bucketSize} elements ({@code scales} holds {@code ceil(n / bucketSize)} floats).
     * Elements use counter-based random numbers of ({@code seed}, element index); see {@link StochasticQuantiser}.
     */
    void quantise8(ByteBuffer src, int n, int bucketSize, long seed, ByteBuffer codes, ByteBuffer scales);

    /**
     * {@code dst[i] = fl(fl(codes[i] * scale) / 127)}, scale being the element's bucket scale; a NaN result is
     * the canonical NaN 0x7FC00000 (processors disagree on the bits of 0 * Inf).
     */
    void dequantise8(ByteBuffer codes, ByteBuffer scales, int n, int bucketSize, ByteBuffer dst);

    /**
     * Threshold encoding with error feedback. {@code residual} holds the accumulated gradient (add the
     * new gradient into it first, with {@link #axpy} or {@link #sum}). Each element with
     * {@code |r| >= tau} is sent as {@code +(i + 1)} (r positive) or {@code -(i + 1)} (r negative) and
     * leaves {@code r - sign * tau} behind; only the first {@code capacity} such elements in ascending
     * index order are sent, the others keep their full value. NaN is never sent.
     *
     * @param tau finite and positive.
     * @return the number of entries written to {@code encoded} (int32 each), in ascending index order.
     */
    int thresholdEncode(ByteBuffer residual, int n, float tau, ByteBuffer encoded, int capacity);

    /**
     * Adds {@code sign * tau} to {@code out} at each encoded index. Entries that name no element of
     * {@code out} (0, or an index >= n) are skipped. Each index may appear at most once per call, as in
     * the output of {@link #thresholdEncode}: the GPU applies entries in parallel, so with a repeated index
     * its result is not defined (decode each message in its own call).
     *
     * @return the number of entries applied.
     */
    int thresholdDecode(ByteBuffer encoded, int count, float tau, ByteBuffer out, int n);

    /**
     * Top-k with error feedback: selects the {@code k} elements of {@code residual} with the largest
     * magnitude, ordered by (|r| descending, index ascending), so ties go to the lower index; magnitude is
     * compared as the bits of |r|, so +0 equals -0 and NaN ranks above infinity. Writes their indices
     * (int32, ascending) and values to {@code indices} and {@code values} and sets them to +0 in
     * {@code residual}.
     *
     * @param k in [0, n].
     */
    void topK(ByteBuffer residual, int n, int k, ByteBuffer indices, ByteBuffer values);

    /**
     * Adds {@code values[j]} to {@code out[indices[j]]} for j < k, skipping indices outside [0, n). Each
     * index may appear at most once per call, as in the output of {@link #topK}: the GPU applies entries in
     * parallel, so with a repeated index its result is not defined (decode each message in its own call).
     *
     * @return the number of entries applied.
     */
    int topKDecode(ByteBuffer indices, ByteBuffer values, int k, ByteBuffer out, int n);

    @Override
    void close();
}
