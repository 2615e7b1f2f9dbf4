#pragma once
// The counter-based noise generator that defines every atom's excitation
// (docs/atom-model.md, step 1). shaders/noise.glsl computes the same numbers.
#include <cmath>
#include <cstdint>
#include <span>

namespace audiosplat::noise {

constexpr uint32_t mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7FEB352Du;
  x ^= x >> 15;
  x *= 0x846CA68Bu;
  x ^= x >> 16;
  return x;
}

constexpr uint32_t hash(uint32_t seed, uint32_t counter) {
  return mix(mix(counter) ^ (seed * 0x9E3779B9u + 0x6A09E667u));
}

// Uniform in (0, 1), never 0 or 1: 24 bits, centred in their bucket.
constexpr double uniform(uint32_t seed, uint32_t counter) {
  return double(hash(seed, counter) >> 8) * 0x1p-24 + 0x1p-25;
}

// Standard normal sample n of the stream keyed by seed (Box-Muller, cosine branch).
inline double gaussian(uint32_t seed, uint32_t n) {
  const double u1 = uniform(seed, 2u * n);
  const double u2 = uniform(seed, 2u * n + 1u);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

// Fills out[i] = gaussian(seed, i).
void fill(uint32_t seed, std::span<double> out);

}  // namespace audiosplat::noise
