/*
 * Threshold and top-k encodings. Both are stream compactions in ascending index order, so the output is
 * the CPU's bit for bit: tiles of TILE elements are counted, the tile counts scanned, then each tile
 * re-derives every element's rank and writes. Top-k first finds the k-th largest magnitude key with the
 * same three-pass radix select (11, 10, 10 bits) as the Java TopKSelector.
 */
#include "tk_internal.cuh"

namespace
{

const int ITEMS = 8;
const int TILE = tk::BLOCK * ITEMS;
const int HIST_BINS = 1 << 11;
const int SCAN_BLOCK = 1024;

/* Two counters in one word so one scan serves both: high 32 bits "greater", low 32 bits "equal". */
typedef unsigned long long Pair;
const Pair GREATER = 1ull << 32;

struct SelectState
{
    unsigned prefix;
    unsigned prefix_mask;
    unsigned remaining;
};

struct ThresholdFlag
{
    float tau;
    __device__ Pair operator()(float r, unsigned) const
    {
        return (r >= tau || r <= -tau) ? 1ull : 0ull;
    }
};

struct TopKFlag
{
    unsigned threshold;
    __device__ Pair operator()(float r, unsigned) const
    {
        const unsigned key = __float_as_uint(r) & 0x7FFFFFFFu;
        return key > threshold ? GREATER : (key == threshold ? 1ull : 0ull);
    }
};

/* Exclusive scan across the block; returns this thread's prefix and writes the block total. */
__device__ Pair block_exclusive_scan(Pair value, Pair* total)
{
    __shared__ Pair warp_sums[32];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    Pair inclusive = value;
    for (int offset = 1; offset < 32; offset <<= 1)
    {
        const Pair other = __shfl_up_sync(0xFFFFFFFFu, inclusive, offset);
        if (lane >= offset)
        {
            inclusive += other;
        }
    }
    if (lane == 31)
    {
        warp_sums[warp] = inclusive;
    }
    __syncthreads();
    if (warp == 0)
    {
        const int warps = blockDim.x >> 5;
        Pair w = lane < warps ? warp_sums[lane] : 0ull;
        for (int offset = 1; offset < 32; offset <<= 1)
        {
            const Pair other = __shfl_up_sync(0xFFFFFFFFu, w, offset);
            if (lane >= offset)
            {
                w += other;
            }
        }
        if (lane < warps)
        {
            warp_sums[lane] = w;
        }
    }
    __syncthreads();
    const Pair warp_prefix = warp == 0 ? 0ull : warp_sums[warp - 1];
    *total = warp_sums[(blockDim.x >> 5) - 1];
    __syncthreads();
    return warp_prefix + inclusive - value;
}

template <typename Flag>
__global__ void count_tiles(const float* r, int n, Flag flag, Pair* tile_counts)
{
    const long long base = (long long)blockIdx.x * TILE + (long long)threadIdx.x * ITEMS;
    Pair count = 0;
    for (int j = 0; j < ITEMS; j++)
    {
        const long long i = base + j;
        if (i < n)
        {
            count += flag(r[i], (unsigned)i);
        }
    }
    Pair total;
    block_exclusive_scan(count, &total);
    if (threadIdx.x == 0)
    {
        tile_counts[blockIdx.x] = total;
    }
}

/* One block: exclusive scan of tile_counts in place; tile_counts[tiles] receives the grand total. */
__global__ void scan_tiles(Pair* tile_counts, int tiles)
{
    Pair carry = 0;
    for (int start = 0; start < tiles; start += SCAN_BLOCK)
    {
        const int t = start + threadIdx.x;
        const Pair value = t < tiles ? tile_counts[t] : 0ull;
        Pair total;
        const Pair prefix = block_exclusive_scan(value, &total);
        if (t < tiles)
        {
            tile_counts[t] = carry + prefix;
        }
        carry += total;
    }
    if (threadIdx.x == 0)
    {
        tile_counts[tiles] = carry;
    }
}

__global__ void threshold_emit(float* r, int n, float tau, const Pair* tile_offsets, int32_t* encoded, int capacity)
{
    const ThresholdFlag flag = {tau};
    const long long base = (long long)blockIdx.x * TILE + (long long)threadIdx.x * ITEMS;
    Pair count = 0;
    for (int j = 0; j < ITEMS; j++)
    {
        count += base + j < n ? flag(r[base + j], 0) : 0ull;
    }
    Pair total;
    Pair position = tile_offsets[blockIdx.x] + block_exclusive_scan(count, &total);
    for (int j = 0; j < ITEMS && base + j < n; j++)
    {
        const long long i = base + j;
        const float value = r[i];
        if (flag(value, 0) != 0ull)
        {
            if (position < (Pair)capacity)
            {
                const bool positive = value >= tau;
                encoded[position] = positive ? (int32_t)(i + 1) : -(int32_t)(i + 1);
                r[i] = __fsub_rn(value, positive ? tau : -tau);
            }
            position++;
        }
    }
}

__global__ void topk_emit(float* r, int n, unsigned threshold, unsigned ties, const Pair* tile_offsets, int32_t* indices, float* values)
{
    const TopKFlag flag = {threshold};
    const long long base = (long long)blockIdx.x * TILE + (long long)threadIdx.x * ITEMS;
    Pair count = 0;
    for (int j = 0; j < ITEMS; j++)
    {
        count += base + j < n ? flag(r[base + j], 0) : 0ull;
    }
    Pair total;
    Pair before = tile_offsets[blockIdx.x] + block_exclusive_scan(count, &total);
    for (int j = 0; j < ITEMS && base + j < n; j++)
    {
        const long long i = base + j;
        const float value = r[i];
        const Pair f = flag(value, 0);
        const unsigned greater_before = (unsigned)(before >> 32);
        const unsigned equal_before = (unsigned)before;
        if (f == GREATER || (f == 1ull && equal_before < ties))
        {
            const unsigned position = greater_before + (equal_before < ties ? equal_before : ties);
            indices[position] = (int32_t)i;
            values[position] = value;
            r[i] = 0.0f;
        }
        before += f;
    }
}

__global__ void histogram_kernel(const float* r, int n, const SelectState* state, int shift, unsigned bins, unsigned* histogram)
{
    __shared__ unsigned local[HIST_BINS];
    for (unsigned b = threadIdx.x; b < bins; b += blockDim.x)
    {
        local[b] = 0;
    }
    __syncthreads();
    const unsigned prefix = state->prefix;
    const unsigned mask = state->prefix_mask;
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += gridDim.x * blockDim.x)
    {
        const unsigned key = __float_as_uint(r[i]) & 0x7FFFFFFFu;
        if ((key & mask) == prefix)
        {
            atomicAdd(&local[(key >> shift) & (bins - 1)], 1u);
        }
    }
    __syncthreads();
    for (unsigned b = threadIdx.x; b < bins; b += blockDim.x)
    {
        if (local[b] != 0)
        {
            atomicAdd(&histogram[b], local[b]);
        }
    }
}

/* One thread walks the bins from the top, as TopKSelector.select does, and clears them for the next pass. */
__global__ void pick_digit(SelectState* state, int shift, unsigned bins, unsigned* histogram)
{
    unsigned remaining = state->remaining;
    unsigned digit = bins - 1;
    while (histogram[digit] < remaining)
    {
        remaining -= histogram[digit];
        digit--;
    }
    state->remaining = remaining;
    state->prefix |= digit << shift;
    state->prefix_mask |= (bins - 1) << shift;
    for (unsigned b = 0; b < bins; b++)
    {
        histogram[b] = 0;
    }
}

/*
 * The decoders add with a plain read-modify-write, not a float atomicAdd: indices are distinct within one
 * call (GradientKernels' contract, which both encoders meet), so no two threads touch one element, and
 * __fadd_rn keeps subnormals, which atom.add.f32 may flush to zero.
 */
__global__ void threshold_decode_kernel(const int32_t* encoded, int count, float tau, float* out, int n, unsigned* applied)
{
    for (unsigned j = blockIdx.x * blockDim.x + threadIdx.x; j - threadIdx.x < (unsigned)count; j += gridDim.x * blockDim.x)
    {
        bool valid = false;
        if (j < (unsigned)count)
        {
            const int32_t entry = encoded[j];
            const long long index = (entry > 0 ? (long long)entry : -(long long)entry) - 1;
            valid = entry != 0 && index < n;
            if (valid)
            {
                out[index] = __fadd_rn(out[index], entry > 0 ? tau : -tau);
            }
        }
        const unsigned votes = __ballot_sync(0xFFFFFFFFu, valid);
        if ((threadIdx.x & 31) == 0 && votes != 0)
        {
            atomicAdd(applied, (unsigned)__popc(votes));
        }
    }
}

__global__ void topk_decode_kernel(const int32_t* indices, const float* values, int k, float* out, int n, unsigned* applied)
{
    for (unsigned j = blockIdx.x * blockDim.x + threadIdx.x; j - threadIdx.x < (unsigned)k; j += gridDim.x * blockDim.x)
    {
        bool valid = false;
        if (j < (unsigned)k)
        {
            const int32_t index = indices[j];
            valid = index >= 0 && index < n;
            if (valid)
            {
                out[index] = __fadd_rn(out[index], values[j]);
            }
        }
        const unsigned votes = __ballot_sync(0xFFFFFFFFu, valid);
        if ((threadIdx.x & 31) == 0 && votes != 0)
        {
            atomicAdd(applied, (unsigned)__popc(votes));
        }
    }
}

int tiles_for(int n)
{
    return (int)(((long long)n + TILE - 1) / TILE);
}

int read_result(tk_context* c, const void* device_word, size_t bytes)
{
    *c->host_result = 0;
    TK_CHECK(cudaMemcpyAsync(c->host_result, device_word, bytes, cudaMemcpyDeviceToHost, c->stream));
    return (int)cudaStreamSynchronize(c->stream);
}

}

extern "C" int tk_threshold_encode(tk_context* c, float* residual, int n, float tau, int32_t* encoded, int capacity, int* written)
{
    *written = 0;
    TK_ON_DEVICE(c);
    if (n <= 0 || capacity <= 0)
    {
        return 0;
    }
    const int tiles = tiles_for(n);
    TK_CHECK(tk::ensure_scratch(c, (size_t)(tiles + 1) * sizeof(Pair)));
    Pair* tile_counts = (Pair*)c->scratch;
    count_tiles<<<tiles, tk::BLOCK, 0, c->stream>>>(residual, n, ThresholdFlag{tau}, tile_counts);
    TK_CHECK(tk::launched());
    scan_tiles<<<1, SCAN_BLOCK, 0, c->stream>>>(tile_counts, tiles);
    TK_CHECK(tk::launched());
    threshold_emit<<<tiles, tk::BLOCK, 0, c->stream>>>(residual, n, tau, tile_counts, encoded, capacity);
    TK_CHECK(tk::launched());
    TK_CHECK(read_result(c, tile_counts + tiles, sizeof(Pair)));
    const Pair total = *c->host_result;
    *written = total < (Pair)capacity ? (int)total : capacity;
    return 0;
}

extern "C" int tk_threshold_decode(tk_context* c, const int32_t* encoded, int count, float tau, float* out, int n, int* applied)
{
    *applied = 0;
    TK_ON_DEVICE(c);
    if (count <= 0)
    {
        return 0;
    }
    TK_CHECK(tk::ensure_scratch(c, sizeof(unsigned)));
    unsigned* counter = (unsigned*)c->scratch;
    TK_CHECK(cudaMemsetAsync(counter, 0, sizeof(unsigned), c->stream));
    threshold_decode_kernel<<<tk::grid_for(c, count), tk::BLOCK, 0, c->stream>>>(encoded, count, tau, out, n, counter);
    TK_CHECK(tk::launched());
    TK_CHECK(read_result(c, counter, sizeof(unsigned)));
    *applied = (int)(unsigned)*c->host_result;
    return 0;
}

extern "C" int tk_topk(tk_context* c, float* residual, int n, int k, int32_t* indices, float* values)
{
    TK_ON_DEVICE(c);
    if (k <= 0 || n <= 0)
    {
        return 0;
    }
    const int tiles = tiles_for(n);
    const size_t state_offset = HIST_BINS * sizeof(unsigned);
    const size_t tiles_offset = state_offset + 64;
    TK_CHECK(tk::ensure_scratch(c, tiles_offset + (size_t)(tiles + 1) * sizeof(Pair)));
    unsigned* histogram = (unsigned*)c->scratch;
    SelectState* state = (SelectState*)((char*)c->scratch + state_offset);
    Pair* tile_counts = (Pair*)((char*)c->scratch + tiles_offset);

    const SelectState initial = {0u, 0u, (unsigned)k};
    TK_CHECK(cudaMemsetAsync(histogram, 0, HIST_BINS * sizeof(unsigned), c->stream));
    TK_CHECK(cudaMemcpyAsync(state, &initial, sizeof(initial), cudaMemcpyHostToDevice, c->stream));
    const int shifts[3] = {20, 10, 0};
    const unsigned bins[3] = {1u << 11, 1u << 10, 1u << 10};
    for (int pass = 0; pass < 3; pass++)
    {
        histogram_kernel<<<tk::grid_for(c, n), tk::BLOCK, 0, c->stream>>>(residual, n, state, shifts[pass], bins[pass], histogram);
        TK_CHECK(tk::launched());
        pick_digit<<<1, 1, 0, c->stream>>>(state, shifts[pass], bins[pass], histogram);
        TK_CHECK(tk::launched());
    }
    SelectState selected;
    TK_CHECK(cudaMemcpyAsync(&selected, state, sizeof(selected), cudaMemcpyDeviceToHost, c->stream));
    TK_CHECK(cudaStreamSynchronize(c->stream));

    count_tiles<<<tiles, tk::BLOCK, 0, c->stream>>>(residual, n, TopKFlag{selected.prefix}, tile_counts);
    TK_CHECK(tk::launched());
    scan_tiles<<<1, SCAN_BLOCK, 0, c->stream>>>(tile_counts, tiles);
    TK_CHECK(tk::launched());
    topk_emit<<<tiles, tk::BLOCK, 0, c->stream>>>(residual, n, selected.prefix, selected.remaining, tile_counts, indices, values);
    TK_CHECK(tk::launched());
    return (int)cudaStreamSynchronize(c->stream);
}

extern "C" int tk_topk_decode(tk_context* c, const int32_t* indices, const float* values, int k, float* out, int n, int* applied)
{
    *applied = 0;
    TK_ON_DEVICE(c);
    if (k <= 0)
    {
        return 0;
    }
    TK_CHECK(tk::ensure_scratch(c, sizeof(unsigned)));
    unsigned* counter = (unsigned*)c->scratch;
    TK_CHECK(cudaMemsetAsync(counter, 0, sizeof(unsigned), c->stream));
    topk_decode_kernel<<<tk::grid_for(c, k), tk::BLOCK, 0, c->stream>>>(indices, values, k, out, n, counter);
    TK_CHECK(tk::launched());
    TK_CHECK(read_result(c, counter, sizeof(unsigned)));
    *applied = (int)(unsigned)*c->host_result;
    return 0;
}
