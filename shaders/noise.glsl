// The counter-based noise of docs/atom-model.md, step 1: the same numbers as
// engine/model/noise.h. The hash is bit-exact. The gaussian differs from the CPU's double
// only by float rounding (measured in tests/gpu/test_gpu_noise.cpp): its logarithm and
// cosine are computed here from exact integer range reductions and short polynomials,
// because Vulkan lets the driver's log() be off by 2^-21 absolute near 1 and cos() by 2^-11,
// which would make the sound depend on the GPU.
#ifndef AUDIOSPLAT_NOISE_GLSL
#define AUDIOSPLAT_NOISE_GLSL

uint noiseMix(uint x) {
  x ^= x >> 16;
  x *= 0x7FEB352Du;
  x ^= x >> 15;
  x *= 0x846CA68Bu;
  x ^= x >> 16;
  return x;
}

uint noiseHash(uint seed, uint counter) {
  return noiseMix(noiseMix(counter) ^ (seed * 0x9E3779B9u + 0x6A09E667u));
}

// The uniform (hash >> 8) 2^-24 + 2^-25 is k 2^-25 with k = 2 (hash >> 8) + 1, odd, < 2^25.
uint noiseUniformNumerator(uint seed, uint counter) {
  return ((noiseHash(seed, counter) >> 8) << 1) | 1u;
}

// ln(k 2^-25). k = 2^e (1 + x) with 1 + x in [0.707, 1.414]; x is exact in float (|k - 2^e| <
// 2^24), so ln(u) keeps its relative accuracy even for u next to 1, where the gaussian is
// steepest. ln(1 + x) = 2 atanh(s), s = x / (2 + x), |s| <= 0.172: the series to s^11
// leaves < 1e-9 relative.
float noiseLogUniform(uint k) {
  int e = findMSB(k);
  if (float(k) > 1.41421356 * float(1u << e)) ++e;
  const float x = float(int(k) - int(1u << e)) * uintBitsToFloat(uint(127 - e) << 23);
  const float s = x / (2.0 + x);
  const float s2 = s * s;
  const float series =
      1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 / 11.0))));
  // (e - 25) ln 2 with ln 2 split in two (Cody-Waite), so the product is exact enough.
  const float n = float(e - 25);
  return n * 0.693145751953125 + (n * 1.4286068202862268e-06 + 2.0 * s * series);
}

// cos(2 pi k 2^-25) for integer k: exact reduction to q pi/2 + x with |x| <= pi/4, then
// Taylor polynomials (truncation < 2e-9).
float noiseCos2Pi(uint k) {
  uint quadrant = (k >> 23) & 3u;
  int r = int(k & 0x7FFFFFu);
  if (r >= 0x400000) {
    r -= 0x800000;
    quadrant = (quadrant + 1u) & 3u;
  }
  const float x = float(r) * 1.87253514e-07;  // pi 2^-24
  const float x2 = x * x;
  const float c = 1.0 + x2 * (-1.0 / 2.0 + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 +
                  x2 * (1.0 / 40320.0 + x2 * (-1.0 / 3628800.0)))));
  const float s = x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 +
                  x2 * (1.0 / 362880.0)))));
  return quadrant == 0u ? c : quadrant == 1u ? -s : quadrant == 2u ? -c : s;
}

// Standard normal sample n of the stream keyed by seed (Box-Muller, cosine branch).
float noiseGaussian(uint seed, uint n) {
  const float lnU1 = noiseLogUniform(noiseUniformNumerator(seed, 2u * n));
  return sqrt(-2.0 * lnU1) * noiseCos2Pi(noiseUniformNumerator(seed, 2u * n + 1u));
}

#endif
