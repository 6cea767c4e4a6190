package io.tributary.kernels;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.tributary.kernels.Buffers.direct;

/**
 * The reference vectors bench/gpu/tk_check.cu checks the CUDA kernels against, produced by
 * {@link CpuGradientKernels}: file name to little-endian bytes, plus meta.txt with the parameters. The
 * names and parameters here are the harness's contract; change both together.
 */
final class ReferenceVectors
{
    static final int N = 4099; // three scan tiles of 2048, the last one ragged
    static final float ALPHA = 0.37f;
    static final float AXPY_ALPHA = -1.7f;
    static final long SEED = 0x5EED_1234_ABCDL;
    static final int BUCKET = 100;
    static final float TAU = 1.0f;
    static final int CAPACITY = 700;
    static final int K = 333;
    static final int SUM_INPUTS = 20; // more than one launch adds (16), summed in place: out is input 0
    static final int EDGE_N = 64;
    static final int EDGE_BUCKET = 8;
    static final int SUB_N = 1000;
    static final float SUB_TAU = 1e-39f; // subnormal

    private ReferenceVectors()
    {
    }

    static Map<String, ByteBuffer> generate()
    {
        final CpuGradientKernels cpu = new CpuGradientKernels();
        final Map<String, ByteBuffer> files = new LinkedHashMap<>();
        final ByteBuffer a = files.compute("grad_a.f32", (k, v) -> ReferenceData.gradient(N, 1));
        final ByteBuffer b = files.compute("grad_b.f32", (k, v) -> ReferenceData.gradient(N, 2));
        final ByteBuffer c = files.compute("grad_c.f32", (k, v) -> ReferenceData.gradient(N, 3));

        cpu.sum(new ByteBuffer[]{a, b, c}, 3, put(files, "sum.f32", N * 4), N);
        final ByteBuffer scaled = put(files, "scale.f32", N * 4);
        cpu.sum(new ByteBuffer[]{a}, 1, scaled, N);
        cpu.scale(scaled, N, ALPHA);
        final ByteBuffer axpy = put(files, "axpy.f32", N * 4);
        cpu.sum(new ByteBuffer[]{b}, 1, axpy, N);
        cpu.axpy(N, AXPY_ALPHA, a, axpy);

        final ByteBuffer special = files.compute("special.f32", (k, v) -> ReferenceData.specialFloats(N, 4));
        cpu.packHalf(special, put(files, "half.u16", N * 2), N);
        cpu.packBfloat16(special, put(files, "bf16.u16", N * 2), N);
        final ByteBuffer codes = files.compute("codes.u16", (k, v) -> ReferenceData.allShorts(N));
        cpu.unpackHalf(codes, put(files, "unhalf.f32", N * 4), N);
        cpu.unpackBfloat16(codes, put(files, "unbf16.f32", N * 4), N);

        final int buckets = (N + BUCKET - 1) / BUCKET;
        final ByteBuffer q8 = put(files, "q8.i8", N);
        final ByteBuffer scales = put(files, "q8scales.f32", buckets * 4);
        cpu.quantise8(a, N, BUCKET, SEED, q8, scales);
        cpu.dequantise8(q8, scales, N, BUCKET, put(files, "deq.f32", N * 4));

        final ByteBuffer thResidual = put(files, "th_res.f32", N * 4);
        cpu.sum(new ByteBuffer[]{c}, 1, thResidual, N);
        final ByteBuffer encoded = direct(CAPACITY * 4);
        final int written = cpu.thresholdEncode(thResidual, N, TAU, encoded, CAPACITY);
        files.put("th_enc.i32", encoded.slice(0, written * 4));
        cpu.thresholdDecode(encoded, written, TAU, put(files, "th_dec.f32", N * 4), N);

        final ByteBuffer tied = files.compute("tied.f32", (k, v) -> ReferenceData.tiedValues(N, 5));
        final ByteBuffer topResidual = put(files, "topk_res.f32", N * 4);
        cpu.sum(new ByteBuffer[]{tied}, 1, topResidual, N);
        final ByteBuffer indices = put(files, "topk_idx.i32", K * 4);
        final ByteBuffer values = put(files, "topk_val.f32", K * 4);
        cpu.topK(topResidual, N, K, indices, values);
        cpu.topKDecode(indices, values, K, put(files, "topk_dec.f32", N * 4), N);

        final ByteBuffer many = put(files, "sum20.f32", N * 4);
        cpu.sum(new ByteBuffer[]{a}, 1, many, N);
        final ByteBuffer[] cycle = {a, b, c};
        final ByteBuffer[] inputs = new ByteBuffer[SUM_INPUTS];
        inputs[0] = many;
        for (int j = 1; j < SUM_INPUTS; j++)
        {
            inputs[j] = cycle[j % 3];
        }
        cpu.sum(inputs, SUM_INPUTS, many, N);

        final ByteBuffer edges = files.compute("qedge.f32", (k, v) -> ReferenceData.quantiserEdges(EDGE_N, 6));
        final ByteBuffer edgeCodes = put(files, "qedge.i8", EDGE_N);
        final ByteBuffer edgeScales = put(files, "qedge_scales.f32", EDGE_N / EDGE_BUCKET * 4);
        cpu.quantise8(edges, EDGE_N, EDGE_BUCKET, SEED, edgeCodes, edgeScales);
        cpu.dequantise8(edgeCodes, edgeScales, EDGE_N, EDGE_BUCKET, put(files, "qedge_deq.f32", EDGE_N * 4));

        final ByteBuffer sub = files.compute("sub.f32", (k, v) -> ReferenceData.subnormals(SUB_N, 7));
        final ByteBuffer subResidual = put(files, "sub_res.f32", SUB_N * 4);
        cpu.sum(new ByteBuffer[]{sub}, 1, subResidual, SUB_N);
        final ByteBuffer subEncoded = direct(SUB_N * 4);
        final int subWritten = cpu.thresholdEncode(subResidual, SUB_N, SUB_TAU, subEncoded, SUB_N);
        files.put("sub_enc.i32", subEncoded.slice(0, subWritten * 4));
        final ByteBuffer subDecoded = put(files, "sub_dec.f32", SUB_N * 4);
        cpu.sum(new ByteBuffer[]{sub}, 1, subDecoded, SUB_N);
        cpu.thresholdDecode(subEncoded, subWritten, SUB_TAU, subDecoded, SUB_N);
        // What top-k with k = n sends (every index, ascending, with its value), decoded onto the same values.
        final ByteBuffer subTop = put(files, "sub_topk_dec.f32", SUB_N * 4);
        cpu.sum(new ByteBuffer[]{sub}, 1, subTop, SUB_N);
        final ByteBuffer identity = direct(SUB_N * 4);
        for (int i = 0; i < SUB_N; i++)
        {
            identity.putInt(i << 2, i);
        }
        cpu.topKDecode(identity, sub, SUB_N, subTop, SUB_N);

        files.put("meta.txt", ByteBuffer.wrap(meta(written, subWritten).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return files;
    }

    private static String meta(final int written, final int subWritten)
    {
        return "# Written by io.tributary.kernels.ReferenceVectorsTest (-Dtributary.writeReference=true); read by bench/gpu/tk_check.cu\n" +
            "n=" + N + "\n" +
            "alpha_bits=" + Integer.toHexString(Float.floatToRawIntBits(ALPHA)) + "\n" +
            "axpy_alpha_bits=" + Integer.toHexString(Float.floatToRawIntBits(AXPY_ALPHA)) + "\n" +
            "seed=" + Long.toHexString(SEED) + "\n" +
            "bucket=" + BUCKET + "\n" +
            "tau_bits=" + Integer.toHexString(Float.floatToRawIntBits(TAU)) + "\n" +
            "capacity=" + CAPACITY + "\n" +
            "written=" + written + "\n" +
            "k=" + K + "\n" +
            "sum_inputs=" + SUM_INPUTS + "\n" +
            "edge_n=" + EDGE_N + "\n" +
            "edge_bucket=" + EDGE_BUCKET + "\n" +
            "sub_n=" + SUB_N + "\n" +
            "sub_tau_bits=" + Integer.toHexString(Float.floatToRawIntBits(SUB_TAU)) + "\n" +
            "sub_written=" + subWritten + "\n";
    }

    private static ByteBuffer put(final Map<String, ByteBuffer> files, final String name, final int bytes)
    {
        final ByteBuffer b = direct(bytes);
        files.put(name, b);
        return b;
    }
}
