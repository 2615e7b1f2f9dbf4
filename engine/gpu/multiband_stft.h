#pragma once
// The STFT feature groups of gpu::MultibandLoss (docs/atom-model.md, "multiband"): windowed
// frames of every atom, two real frames per complex FFT (gpu::Fft::recordFrames reads them
// straight from the signals, one call per chunk of atoms), magnitudes summed over the atoms in a fixed order, and the backward pass written
// as a gather. Atoms go through in chunks that fit one scratch buffer: the band groups take
// every atom at once, the full-band STFT (8x overlap) a few chunks.
#include <cstdint>
#include <map>
#include <memory>

#include "gpu/buffer.h"
#include "gpu/fft.h"
#include "model/loss_multiband.h"

namespace audiosplat::gpu {

class Context;
class Kernel;
class Sequence;

class MultibandStfts {
 public:
  MultibandStfts(Context& context, const loss::FeatureLayout& layout, uint32_t maxAtoms);

  // summed[group] = sum over the count atoms of their magnitudes; inputs: count x samples
  // (samples = the group's band size, or the segment for the full band).
  void recordFeatures(Sequence& sequence, const loss::FeatureLayout::Group& group,
                      uint32_t samples, const Buffer& inputs, uint32_t count,
                      Buffer& summed) const;
  // gradient (count x samples) = or += dLoss/dsignal through this group's magnitudes, with
  // dLoss/dmagnitude = sign(summed - target) / group size.
  void recordBackward(Sequence& sequence, const loss::FeatureLayout::Group& group,
                      uint32_t samples, const Buffer& inputs, uint32_t count,
                      const Buffer& summed, const Buffer& target, Buffer& gradient,
                      bool accumulate) const;

  size_t scratchBytes() const { return frames_.bytes(); }

 private:
  uint32_t chunkAtoms(const loss::FeatureLayout::Group& group) const;
  void recordFrames(Sequence& sequence, const loss::FeatureLayout::Group& group,
                    uint32_t samples, const Buffer& inputs, uint32_t firstAtom,
                    uint32_t atoms) const;

  uint32_t capacity_;  // complex values of frames_
  const Kernel& magnitudeKernel_;
  const Kernel& backwardKernel_;
  const Kernel& gatherKernel_;
  std::map<uint32_t, std::unique_ptr<Fft>> ffts_;  // one per window length
  mutable Buffer frames_;  // pairs of frames, then their spectra, in place
};

}  // namespace audiosplat::gpu
