#pragma once
// The mrstft loss of the mixture (docs/atom-model.md, "mrstft") and its gradient on the GPU,
// in float, for the fit: the definition of loss::mrstftLoss (model/loss_mrstft.h), its
// double-precision reference. Forward: windowed frames of all five FFT sizes, one batched
// W/2-point complex FFT per size (the real FFT's recombination is done by the next kernel),
// per-workgroup partial sums for SC and LM, one final pass for the loss. Backward:
// dLoss/dspectrum prepared for a c2r, one batched inverse FFT per size, the overlap-add as a
// gather. 15 dispatches (shaders/mrstft_*.comp); sums in a fixed order, no atomics, so every
// submit gives bit-identical results.
#include <cstdint>
#include <span>
#include <vector>

#include "gpu/buffer.h"
#include "gpu/fft.h"

namespace audiosplat::gpu {

class Context;
class Kernel;
class Sequence;

class MrstftLoss {
 public:
  // segment: N, a power of two, 2048 <= N <= 2^17.
  MrstftLoss(Context& context, uint32_t segment);

  uint32_t segment() const { return segment_; }
  // The target's magnitudes (in double on the CPU) and |Y|_F per size; call before the first
  // submit of a recorded sequence, and again for another target (no need to record again).
  void setTarget(std::span<const double> target);
  // Records into sequence: reads the mixture (N floats at float offset 0 of `mixture`), writes
  // the loss (float) at float index valueIndex of `value` and dLoss/dmixture (N floats) at
  // float offset 0 of `gradient`. Stays valid for later submits while the buffers live.
  void record(Sequence& sequence, const Buffer& mixture, Buffer& gradient, Buffer& value,
              uint32_t valueIndex) const;

 private:
  // One FFT size W: hop W/4, frames N/hop + 1, bins W/2 + 1.
  struct Resolution {
    Resolution(Context& context, uint32_t segment, uint32_t window);
    uint32_t window, frames;
    uint32_t pairs() const { return frames * (window / 4); }  // bin pairs (k, M - k), k < M/2
    Fft fft;                 // W/2 points, a batch of `frames`
    mutable Buffer spectra;  // frames x W floats: the frames, their half-length spectra (in
                             // place), the gradient's, then dLoss/dframe
  };

  uint32_t segment_;
  const Kernel& frame_;
  const Kernel& sums_;
  const Kernel& combine_;
  const Kernel& gradientSpectra_;
  const Kernel& overlapAdd_;
  std::vector<Resolution> resolutions_;
  std::vector<uint32_t> targetOffsets_;  // each size's first bin in target_
  uint32_t partialStride_;               // mrstft_sums workgroups per size
  Buffer tables_;    // Hann windows and twiddles (shaders/mrstft.glsl)
  Buffer target_;    // (Y, ln(Y + floor)) per bin, size after size
  Buffer partials_;  // per mrstft_sums workgroup: (sum (Y - X)^2, sum |ln Y' - ln X'|)
  Buffer norms_;     // |Y|_F per size
  Buffer gains_;     // per size: the backward pass's (SC, LM) gains, see mrstft_combine.comp
};

}  // namespace audiosplat::gpu
