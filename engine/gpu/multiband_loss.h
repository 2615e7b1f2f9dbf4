#pragma once
// The multiband loss on the GPU (docs/atom-model.md, "multiband") and its gradient with
// respect to every atom's signal; loss::multibandLossForAtoms is the double-precision
// reference. Forward: X = rfft(x)/sqrt(N) per atom, octave bands by c2r (gpu::RealFft), the
// STFT groups (gpu::MultibandStfts) summed over the atoms; backward: each stage's adjoint,
// as gathers in a fixed order (no atomics: bit-identical results run to run).
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "gpu/buffer.h"
#include "gpu/multiband_stft.h"
#include "gpu/real_fft.h"
#include "model/loss_multiband.h"

namespace audiosplat::gpu {

class Context;
class Kernel;
class Sequence;

class MultibandLoss {
 public:
  // segment: N, a power of two, 2048 <= N <= 2^17; maxAtoms: the most signals per record.
  MultibandLoss(Context& context, uint32_t segment, uint32_t maxAtoms);

  uint32_t segment() const { return segment_; }
  uint32_t maxAtoms() const { return maxAtoms_; }
  const loss::FeatureLayout& layout() const { return layout_; }
  // The target's features (loss::multibandFeatures), uploaded once per fit.
  void setTarget(std::span<const double> targetFeatures);
  // Records: reads `count` atom signals (atom i's N floats at float offset i N of `placed`),
  // writes the loss at float index valueIndex of `value` and dLoss/dx_i into `gradient`
  // (atom i at float offset i N). Valid for later submits while the buffers live.
  void record(Sequence& sequence, const Buffer& placed, uint32_t count, Buffer& gradient,
              Buffer& value, uint32_t valueIndex) const;

  // After a submit: every group's features summed over the atoms (layout().total floats).
  const Buffer& summedFeatures() const { return summed_; }
  // Bytes of the buffers this object allocates itself (not its RealFft/Fft scratch).
  size_t bufferBytes() const;

 private:
  struct Band {
    uint32_t size;                  // s
    std::unique_ptr<RealFft> fft;   // s points, maxAtoms transforms
    mutable Buffer samples;         // b_s of every atom: maxAtoms x s
  };
  void recordForward(Sequence& sequence, const Buffer& placed, uint32_t count) const;
  void recordBackward(Sequence& sequence, const Buffer& placed, uint32_t count,
                      Buffer& gradient) const;
  void recordCopyBins(Sequence& sequence, const Buffer& from, Buffer& to, uint32_t fromStride,
                      uint32_t toStride, uint32_t lo, uint32_t hi, uint32_t first,
                      uint32_t last, uint32_t count) const;

  uint32_t segment_, maxAtoms_;
  loss::FeatureLayout layout_;
  MultibandStfts stfts_;
  std::vector<Band> bands_;  // s = 512, 1024, ..., N; the last one's FFT also transforms x
  const Kernel& copyBins_;
  const Kernel& lossPartials_;
  const Kernel& lossFinal_;
  mutable Buffer spectrum_;      // X, then dLoss/dX: maxAtoms x (N/2 + 1) complex
  mutable Buffer bandBins_;      // one band's bins: maxAtoms x (s/2 + 1) complex
  mutable Buffer bandGradient_;  // dLoss/db_s of one band: maxAtoms x s
  Buffer target_;                // target features
  mutable Buffer summed_;        // features summed over the atoms
  Buffer groupTable_;            // per group: offset, size, first partial, partials
  uint32_t maxBlocks_ = 0;       // the most partials of one group
  mutable Buffer partials_;      // per-block sums of |summed - target|
};

}  // namespace audiosplat::gpu
