#pragma once
// The gradient of a loss with respect to every rendered atom's parameters, on the GPU: the
// twin of reference::atomGradient (docs/atom-model.md, "Gradients"). Given dL/dx over the
// segment, it records the stages of AtomRenderer in reverse, reading the forward pass's
// buffers:
//   placement (a gather, with the onset's term) -> room (FFT correlation) -> gain and norm ->
//   mix -> tonal part (the chunked scan run backwards for dL/de; a chunked scan of dc_j/dp_j
//   for the poles' and amplitudes' sums) -> envelope -> band RMS -> rfft and the band gains'
//   terms.
// Every O(L) sum ends in a per-atom scalar (atom_reduce.comp, fixed order, no atomics); the
// CPU reads back those few hundred floats and applies the chain rule from the partials' poles
// and amplitudes to f0, B, tilt, T60 and beta in double (gpu/atom_gradient_chain.h).
#include <cstdint>
#include <span>
#include <vector>

#include "gpu/buffer.h"
#include "model/atom_set.h"

namespace audiosplat::gpu {

class AtomRenderer;
class Context;
class Kernel;
class Sequence;

class AtomBackward {
 public:
  // Per-atom scalars the backward pass leaves (float index a * kSlots + slot).
  enum Slot : uint32_t {
    OnsetSum = 0,     // sum_n s_r[n] sum_i g[q] K'(.)  (dL/dt0 = -fs times it)
    WetSum,           // dL/dw
    MixedDot,         // u . dL/ds
    TonalDot,         // y . gm
    ExcitationDot,    // e . gm
    EnvelopeA,        // the envelope's two sums (shaders/atom_excite_backward.comp)
    EnvelopeB,
    BandDot,          // b . dL/dbh
    BandA,            // the band gains' two sums (shaders/atom_band_backward.comp)
    BandB,
    kSlots = 16,
  };
  // Per partial entry j (audible partials in order): Re S_j, Im S_j, dL/da_j.
  static constexpr uint32_t kPartialValues = 3;

  // renderer: the forward pass whose prepared atoms this differentiates; it must outlive this.
  AtomBackward(Context& context, const AtomRenderer& renderer);

  // Records the backward pass of the renderer's prepared atoms after its record() in the same
  // sequence. gradient: dL/dx, atom i's N floats at i N (perAtom) or one signal shared by all
  // atoms (a loss of their sum). Valid across prepare() calls while the renderer's shape stays.
  void record(Sequence& sequence, const Buffer& gradient, bool perAtom);

  // Once the sequence has run: the per-atom scalars, then the partial values from
  // partialOffset(): atom a's entry j at partialOffset() + (a * 64 + j) * 3.
  std::vector<float> readScalars(uint32_t atoms) const;
  uint32_t partialOffset() const { return maxAtoms_ * kSlots; }
  // The same values where they lie, for a kernel that reads them (gpu/atom_step.h).
  const Buffer& scalars() const { return scalars_; }

 private:
  void reduce(Sequence& s, const Buffer& x, const Buffer* y, uint32_t length, uint32_t stride,
              uint32_t slot, uint32_t count);

  Context& context_;
  const AtomRenderer& renderer_;
  uint32_t maxAtoms_;
  const Kernel& placeBackward_;
  const Kernel& roomBackward_;
  const Kernel& gainBackward_;
  const Kernel& mixBackward_;
  const Kernel& slopeChunks_;
  const Kernel& slopeCarry_;
  const Kernel& sensitivity_;
  const Kernel& exciteBackward_;
  const Kernel& bandRmsBackward_;
  const Kernel& bandBackward_;
  const Kernel& reduce_;
  const Kernel& sumRows_;
  // Scratch, atom after atom; names by first use (later stages reuse them, see record()).
  Buffer gradSource_;     // dL/ds_r (stride P or L)
  Buffer onsetTerm_;      // the onset's terms, then other per-sample terms
  Buffer gradDry_;        // dL/ds with rooms, then dL/dbh
  Buffer gradMix_;        // gm, then the second per-sample terms
  Buffer gradTonal_;      // dL/dy
  Buffer gradExcitation_; // the mix's part of dL/de, then dL/db
  Buffer tonalToExc_;     // the tonal part's dL/de
  Buffer spectrum_;       // rfft of dL/ds_r or dL/db
  Buffer correlation_;    // corr(R, dL/ds_r) / |R| (rooms only; else 4 bytes)
  Buffer reverseStates_;  // r_j entering each chunk from the right, then d_j entering it
  Buffer chunkSums_;      // per atom, partial, value and chunk
  Buffer scalars_;        // kSlots per atom, then 64 x 3 per atom
};

}  // namespace audiosplat::gpu
