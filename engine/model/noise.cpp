#include "model/noise.h"

namespace audiosplat::noise {
void fill(uint32_t seed, std::span<double> out) {
  for (size_t i = 0; i < out.size(); ++i) out[i] = gaussian(seed, uint32_t(i));
}
}  // namespace audiosplat::noise
