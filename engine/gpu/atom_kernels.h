#pragma once
// Thin wrappers of the atom renderer's kernels (shaders/atom_*.comp), one method per kernel:
// each records its dispatch with its bindings and push constants over `count` atoms. Per-atom
// vectors lie atom after atom (atom a's at a * stride); `atoms` is the AtomParams buffer.
#include <cstdint>

namespace audiosplat::gpu {

class Buffer;
class Context;
class Kernel;
class Sequence;

// Which norm a sumSquares writes: sums[a * 4 + index].
enum class SumOf : uint32_t { Band = 0, Excitation = 1, Tonal = 2, Mixed = 3 };

class AtomKernels {
 public:
  // atomLength: L, a power of two >= 2 kTonalChunk.
  AtomKernels(Context& context, uint32_t atomLength);

  // Step 2: filtered = G * cached noise spectrum (L/2 + 1 bins per atom).
  void band(Sequence& s, const Buffer& atoms, const Buffer& cache, const Buffer& log2Table,
            Buffer& filtered, uint32_t count) const;
  // sums[a * 4 + index] = sum of in[a * stride + n]^2 over n < length.
  void sumSquares(Sequence& s, const Buffer& in, Buffer& sums, SumOf index, uint32_t length,
                  uint32_t stride, uint32_t count) const;
  // Step 3: excitation = envelope * band / rms(band).
  void excite(Sequence& s, const Buffer& atoms, const Buffer& band, const Buffer& sums,
              Buffer& excitation, uint32_t count) const;
  // Steps 4-5: the three passes of the chunked scan; states: count x 64 x L/kTonalChunk complex.
  // Reverse: the same scan from the last sample back, which turns dL/dy into the tonal part's
  // dL/de (docs/atom-model.md, "Gradients"); states then hold each chunk's r_j from its right.
  enum class Scan : uint32_t { Forward = 0, Reverse = 1 };
  void tonal(Sequence& s, const Buffer& atoms, const Buffer& excitation, Buffer& states,
             Buffer& tonal, uint32_t count, Scan scan = Scan::Forward) const;
  // Step 6: mixed = taper ((1 - m) e / |e| + m y / |y|); taper: kTaperLength floats.
  void mix(Sequence& s, const Buffer& atoms, const Buffer& excitation, const Buffer& tonal,
           const Buffer& sums, const Buffer& taper, Buffer& mixed, uint32_t count) const;
  // Step 6: dry = g mixed / |mixed|, zero from L to stride.
  void dry(Sequence& s, const Buffer& atoms, const Buffer& mixed, const Buffer& sums, Buffer& dry,
           uint32_t stride, uint32_t count) const;
  // Step 7: spectrum *= room spectrum / |R| (bins per atom), 0 without a room; with
  // conjugate, by its complex conjugate (the backward pass's correlation).
  void roomMultiply(Sequence& s, const Buffer& atoms, Buffer& spectrum, const Buffer& rooms,
                    uint32_t bins, uint32_t count, bool conjugate = false) const;
  // Step 7: wet = (1 - w) dry + w wet, or dry without a room.
  void roomMix(Sequence& s, const Buffer& atoms, const Buffer& dry, Buffer& wet, uint32_t stride,
               uint32_t count) const;
  // Step 8: placed (count x segment) = each atom's s_r (count x stride) delayed.
  void place(Sequence& s, const Buffer& atoms, const Buffer& source, Buffer& placed,
             uint32_t stride, uint32_t segment, uint32_t count) const;
  // out (segment) = sum over the count atoms of placed.
  void mixdown(Sequence& s, const Buffer& placed, Buffer& out, uint32_t segment,
               uint32_t count) const;

  static constexpr uint32_t kTaperLength = 256;

 private:
  uint32_t length_;  // L
  uint32_t chunks_;  // L / kTonalChunk
  const Kernel& band_;
  const Kernel& sumSquares_;
  const Kernel& excite_;
  const Kernel& tonalChunks_;
  const Kernel& tonalCarry_;
  const Kernel& tonalSum_;
  const Kernel& mix_;
  const Kernel& dry_;
  const Kernel& roomMultiply_;
  const Kernel& roomMix_;
  const Kernel& place_;
  const Kernel& mixdown_;
};

}  // namespace audiosplat::gpu
