/* The GPU check's hard cases (see tk_check.cu): many inputs in place, quantiser edges, subnormal decodes, empty calls. */
#include <string.h>
#include <vector>
#include "tk_check.h"

/* More inputs than one launch adds, in place; the quantiser's edge buckets; subnormal decodes; empty calls. */
bool check_edges(tk_context* c, const Reference& ref)
{
    const int n = (int)ref.integer("n");
    const size_t f32 = (size_t)n * 4;
    Bytes a, b, g3, tied, expected;
    if (!ref.file("grad_a.f32", a) || !ref.file("grad_b.f32", b) || !ref.file("grad_c.f32", g3) || !ref.file("tied.f32", tied))
    {
        return false;
    }
    int err;
    {
        DeviceArena d;
        const int count = (int)ref.integer("sum_inputs");
        float* out = (float*)d.upload(a);
        const float* cycle[3] = {(const float*)d.upload(a), (const float*)d.upload(b), (const float*)d.upload(g3)};
        std::vector<const float*> inputs((size_t)count);
        inputs[0] = out;
        for (int j = 1; j < count; j++)
        {
            inputs[(size_t)j] = cycle[j % 3];
        }
        err = tk_sum(c, inputs.data(), count, out, n);
        err = err ? err : tk_synchronize(c);
        ref.file("sum20.f32", expected);
        record("sum (20 inputs, in place)", err, d.download(out, f32), expected, 4);
    }
    {
        DeviceArena d;
        const int en = (int)ref.integer("edge_n");
        const int eb = (int)ref.integer("edge_bucket");
        Bytes src;
        ref.file("qedge.f32", src);
        int8_t* q = (int8_t*)d.alloc((size_t)en);
        float* scales = (float*)d.alloc((size_t)(en / eb) * 4);
        float* out = (float*)d.alloc((size_t)en * 4);
        err = tk_quantise8(c, (const float*)d.upload(src), en, eb, (uint64_t)ref.integer("seed", 16), q, scales);
        err = err ? err : tk_dequantise8(c, q, scales, en, eb, out);
        err = err ? err : tk_synchronize(c);
        ref.file("qedge.i8", expected);
        record("quantise8 edge buckets", err, d.download(q, (size_t)en), expected, 1);
        ref.file("qedge_scales.f32", expected);
        record("quantise8 edge scales", err, d.download(scales, (size_t)(en / eb) * 4), expected, 4);
        ref.file("qedge_deq.f32", expected);
        record("dequantise8 edge buckets", err, d.download(out, (size_t)en * 4), expected, 4);
    }
    {
        DeviceArena d;
        const int sn = (int)ref.integer("sub_n");
        const int sw = (int)ref.integer("sub_written");
        const float tau = ref.bits("sub_tau_bits");
        Bytes sub;
        ref.file("sub.f32", sub);
        float* r = (float*)d.upload(sub);
        int32_t* enc = (int32_t*)d.alloc((size_t)sn * 4);
        int got = -1;
        err = tk_threshold_encode(c, r, sn, tau, enc, sn, &got);
        record_count("thresholdEncode subnormal tau", err, got, sw);
        ref.file("sub_enc.i32", expected);
        record("thresholdEncode subnormal entries", err, d.download(enc, (size_t)(got < 0 ? 0 : got) * 4), expected, 4);
        ref.file("sub_res.f32", expected);
        record("thresholdEncode subnormal residual", err, d.download(r, (size_t)sn * 4), expected, 4);
        Bytes enc_ref;
        ref.file("sub_enc.i32", enc_ref);
        float* out = (float*)d.upload(sub);
        int applied = -1;
        err = tk_threshold_decode(c, (const int32_t*)d.upload(enc_ref), sw, tau, out, sn, &applied);
        ref.file("sub_dec.f32", expected);
        record("thresholdDecode subnormals", err, d.download(out, (size_t)sn * 4), expected, 4);
        Bytes identity((size_t)sn * 4);
        for (int i = 0; i < sn; i++)
        {
            memcpy(&identity[(size_t)i * 4], &i, 4);
        }
        out = (float*)d.upload(sub);
        err = tk_topk_decode(c, (const int32_t*)d.upload(identity), (const float*)d.upload(sub), sn, out, sn, &applied);
        ref.file("sub_topk_dec.f32", expected);
        record("topKDecode subnormals", err, d.download(out, (size_t)sn * 4), expected, 4);
    }
    {
        /* Empty work: no error, nothing written, counts 0. */
        DeviceArena d;
        float* r = (float*)d.upload(g3);
        float* t = (float*)d.upload(tied);
        int32_t* enc = (int32_t*)d.alloc(4);
        float* val = (float*)d.alloc(4);
        int got = -1;
        err = tk_threshold_encode(c, r, n, 1.0f, enc, 0, &got);
        record_count("thresholdEncode capacity 0", err, got, 0);
        record("thresholdEncode capacity 0 residual", err, d.download(r, f32), g3, 4);
        err = tk_topk(c, t, n, 0, enc, val);
        record("topK k=0 residual", err, d.download(t, f32), tied, 4);
        const float* in[2] = {r, r};
        err = tk_sum(c, in, 2, t, 0);
        err = err ? err : tk_scale(c, t, 0, 2.0f);
        err = err ? err : tk_quantise8(c, r, 0, 8, 1, (int8_t*)enc, val);
        err = err ? err : tk_threshold_encode(c, r, 0, 1.0f, enc, 1, &got);
        err = err ? err : tk_synchronize(c);
        record("n=0 calls leave memory alone", err, d.download(t, f32), tied, 4);
    }
    return true;
}
