#include "gpu/atom_noise_cache.h"

#include <algorithm>
#include <stdexcept>

#include "gpu/real_fft.h"

namespace audiosplat::gpu {
namespace {
size_t binBytes(const RealFft& fft) { return size_t(fft.size() / 2 + 1) * 8; }
}  // namespace

NoiseSpectrumCache::NoiseSpectrumCache(Context& context, const RealFft& fft, uint32_t capacity)
    : fft_(fft),
      noise_(context),
      capacity_(capacity),
      seeds_(context, size_t(capacity) * 4),
      spectra_(context, capacity * binBytes(fft)),
      sequence_(context),
      seedIn_(capacity),
      lastUse_(capacity, 0) {}

std::vector<uint32_t> NoiseSpectrumCache::acquire(std::span<const uint32_t> seeds,
                                                  Buffer& noise, Buffer& bins) {
  if (seeds.size() > capacity_)
    throw std::invalid_argument("NoiseSpectrumCache: more seeds than the cache holds");
  const uint64_t now = ++calls_;
  std::vector<uint32_t> result(seeds.size());
  for (uint32_t seed : seeds)  // mark the hits first so that no miss evicts them
    if (const auto found = slotOf_.find(seed); found != slotOf_.end())
      lastUse_[found->second] = now;
  std::vector<uint32_t> missing;  // distinct seeds, in order of first appearance
  for (size_t i = 0; i < seeds.size(); ++i) {
    if (const auto found = slotOf_.find(seeds[i]); found != slotOf_.end()) {
      result[i] = found->second;
      continue;
    }
    // Not cached: take the least recently used slot that this call does not use.
    const auto oldest = std::min_element(lastUse_.begin(), lastUse_.end());
    const uint32_t slot = uint32_t(oldest - lastUse_.begin());
    if (lastUse_[slot] > 0) slotOf_.erase(seedIn_[slot]);
    seedIn_[slot] = seeds[i];
    lastUse_[slot] = now;
    slotOf_[seeds[i]] = slot;
    result[i] = slot;
    missing.push_back(seeds[i]);
  }
  if (missing.empty()) return result;

  const uint32_t count = uint32_t(missing.size());
  const size_t bytes = binBytes(fft_);
  try {
    seeds_.upload(std::span<const uint32_t>(missing));
    sequence_.clear();
    noise_.record(sequence_, seeds_, noise, count, fft_.size());
    fft_.recordForward(sequence_, noise, bins, count);
    // The batch is contiguous; the slots are not.
    for (uint32_t i = 0; i < count; ++i)
      sequence_.copy(bins, spectra_, i * bytes, slotOf_[missing[i]] * bytes, bytes);
    sequence_.submit();
  } catch (...) {  // the new slots hold nothing
    for (uint32_t seed : missing) {
      lastUse_[slotOf_[seed]] = 0;
      slotOf_.erase(seed);
    }
    throw;
  }
  computed_ += count;
  return result;
}

}  // namespace audiosplat::gpu
