#pragma once
// Kernel shaders/noise_fill.comp: every atom's excitation noise (docs/atom-model.md step 1),
// the GPU twin of noise::fill.
#include <cstdint>

namespace audiosplat::gpu {

class Buffer;
class Context;
class Kernel;
class Sequence;

class NoiseFill {
 public:
  explicit NoiseFill(Context& context);

  // out[a * samples + n] = float(noise::gaussian(seeds[a], n)) for a < atoms, n < samples.
  // seeds: atoms uint32; out: atoms * samples floats; atoms <= 65535.
  void record(Sequence& sequence, const Buffer& seeds, Buffer& out, uint32_t atoms,
              uint32_t samples) const;
  // The same layout filled with the raw noise::hash(seeds[a], n) (uint32): the bit-exact check.
  void recordHash(Sequence& sequence, const Buffer& seeds, Buffer& out, uint32_t atoms,
                  uint32_t samples) const;

 private:
  void record(Sequence& sequence, const Buffer& seeds, Buffer& out, uint32_t atoms,
              uint32_t samples, bool rawHash) const;

  const Kernel& kernel_;
};

}  // namespace audiosplat::gpu
