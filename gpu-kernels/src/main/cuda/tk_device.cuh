/* Device-side scalar definitions, line for line the Java HalfFloats, CounterRng and StochasticQuantiser. */
#ifndef TRIBUTARY_TK_DEVICE_CUH
#define TRIBUTARY_TK_DEVICE_CUH

#include <stdint.h>

namespace tk
{

__device__ __forceinline__ uint16_t to_half(float x)
{
    const uint32_t bits = __float_as_uint(x);
    const uint32_t sign = (bits >> 16) & 0x8000u;
    const uint32_t abs = bits & 0x7FFFFFFFu;
    uint32_t magnitude;
    if (abs > 0x7F800000u)
    {
        magnitude = 0x7E00u;
    }
    else if (abs >= 0x477FF000u)
    {
        magnitude = 0x7C00u;
    }
    else if (abs >= 0x38800000u)
    {
        magnitude = (abs + 0x0FFFu + ((abs >> 13) & 1u) - (112u << 23)) >> 13;
    }
    else
    {
        magnitude = __float_as_uint(__fadd_rn(__uint_as_float(abs), 0.5f)) - 0x3F000000u;
    }
    return (uint16_t)(sign | magnitude);
}

__device__ __forceinline__ float from_half(uint16_t half)
{
    const uint32_t h = half;
    const uint32_t sign = (h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1Fu;
    const uint32_t mantissa = h & 0x3FFu;
    if (exponent == 0x1Fu)
    {
        return __uint_as_float(sign | 0x7F800000u | (mantissa << 13));
    }
    if (exponent == 0)
    {
        return __uint_as_float(sign | __float_as_uint(__fmul_rn((float)mantissa, 0x1p-24f)));
    }
    return __uint_as_float(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

__device__ __forceinline__ uint16_t to_bf16(float x)
{
    const uint32_t bits = __float_as_uint(x);
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u)
    {
        return (uint16_t)(((bits >> 16) & 0x8000u) | 0x7FC0u);
    }
    return (uint16_t)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

__device__ __forceinline__ float from_bf16(uint16_t b)
{
    return __uint_as_float((uint32_t)b << 16);
}

/* SplitMix64 finaliser of seed + (index + 1) * golden: CounterRng.mix. */
__device__ __forceinline__ uint64_t mix(uint64_t seed, uint64_t index)
{
    uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

__device__ __forceinline__ float uniform(uint64_t seed, uint64_t index)
{
    return __fmul_rn((float)(uint32_t)(mix(seed, index) >> 40), 0x1p-24f);
}

__device__ __forceinline__ int8_t quantise(float g, float scale, uint64_t seed, uint64_t index)
{
    if (!(scale > 0.0f))
    {
        return 0;
    }
    const float v = __fmul_rn(__fdiv_rn(fabsf(g), scale), 127.0f);
    const float lower = floorf(v);
    const int q = (int)lower + (uniform(seed, index) < __fsub_rn(v, lower) ? 1 : 0);
    return (int8_t)(g < 0.0f ? -q : q);
}

/* A NaN result is the canonical 0x7FC00000: x86 and the GPU produce different NaN bits for 0 * Inf. */
__device__ __forceinline__ float dequantise(int8_t code, float scale)
{
    const float value = __fdiv_rn(__fmul_rn((float)code, scale), 127.0f);
    return value != value ? __uint_as_float(0x7FC00000u) : value;
}

}

#endif
