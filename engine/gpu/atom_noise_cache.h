#pragma once
// The noise spectra Z = rfft_L(noise(seed)) of docs/atom-model.md step 2, computed on the GPU
// (NoiseFill + RealFft) and kept per seed: they never change for an atom, so a fit or a
// re-render pays for them once. One cache serves one atom length L (one RealFft).
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "gpu/buffer.h"
#include "gpu/noise_fill.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {

class Context;
class RealFft;

class NoiseSpectrumCache {
 public:
  // capacity: spectra kept, at least the most seeds one call asks for.
  NoiseSpectrumCache(Context& context, const RealFft& fft, uint32_t capacity);

  // The slot of each seed's spectrum in spectra(). Missing ones are computed in one submit
  // that overwrites the scratch buffers (noise: capacity x L floats, bins: capacity x
  // (L/2 + 1) complex), evicting the least recently used spectra not asked for now.
  std::vector<uint32_t> acquire(std::span<const uint32_t> seeds, Buffer& noise, Buffer& bins);

  // Slot s holds L/2 + 1 complex bins (interleaved floats) from s (L/2 + 1).
  const Buffer& spectra() const { return spectra_; }
  // Spectra computed so far (the cache's misses).
  uint64_t computed() const { return computed_; }

 private:
  const RealFft& fft_;
  NoiseFill noise_;
  uint32_t capacity_;
  Buffer seeds_;    // the missing seeds of one call
  Buffer spectra_;  // capacity slots
  Sequence sequence_;
  std::unordered_map<uint32_t, uint32_t> slotOf_;  // seed -> slot
  std::vector<uint32_t> seedIn_;                   // slot -> seed, valid where lastUse_ > 0
  std::vector<uint64_t> lastUse_;                  // slot -> call number, 0: empty
  uint64_t calls_ = 0;
  uint64_t computed_ = 0;
};

}  // namespace audiosplat::gpu
