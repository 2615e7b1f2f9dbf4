#include "gpu/multiband_stft.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "gpu/context.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

using Group = loss::FeatureLayout::Group;

struct MagnitudesPush {
  uint32_t logWindow, frames, chunkAtoms, featureOffset, first;
  float inverseBins;
};
struct BackwardPush {
  uint32_t logWindow, frames, chunkFrames, featureOffset;
  float perFeature, inverseFrames, inverseBins;
};
struct GatherPush {
  uint32_t samples, logWindow, logHop, frames, firstAtom, accumulate;
};

// Binding 0 (the spectra) of the magnitudes and the gather is read as a texel buffer.
const Kernel& make(Context& context, const char* shader, uint32_t buffers, uint32_t pushBytes,
                   uint32_t texelFloats = 0, uint32_t texelPairs = 0) {
  return context.kernel({.shader = shader, .buffers = buffers, .texelFloats = texelFloats,
                         .texelPairs = texelPairs, .pushConstantBytes = pushBytes,
                         .workgroupSize = context.workgroupSize(256)});
}

// A flattened 2D grid of at least `threads` threads (the x count alone may exceed the limit).
Groups spread(const Kernel& kernel, size_t threads) {
  const size_t size = kernel.spec().workgroupSize;
  const size_t groups = (threads + size - 1) / size;
  const size_t x = std::min<size_t>(groups, 16384);
  return {uint32_t(x), uint32_t((groups + x - 1) / x)};
}

uint32_t log2(uint32_t v) { return uint32_t(std::countr_zero(v)); }
// 1 / d for the shaders' quotient() (index_math.glsl), which corrects its rounding.
float inverse(uint32_t d) { return float(1.0 / double(d)); }
uint32_t bins(const Group& g) { return uint32_t(g.window) / 2 + 1; }
uint32_t pairs(uint32_t frames) { return (frames + 1) / 2; }

// Complex values of the frame scratch: every band group over all atoms at once, and one
// atom of every group (the full band goes through in chunks).
uint32_t frameCapacity(const loss::FeatureLayout& layout, uint32_t maxAtoms) {
  uint32_t capacity = 0;
  for (const Group& g : layout.groups) {
    const uint32_t atoms = g.bandSize ? maxAtoms : 1;
    capacity = std::max(capacity, pairs(atoms * uint32_t(g.frames)) * uint32_t(g.window));
  }
  return capacity;
}

}  // namespace

MultibandStfts::MultibandStfts(Context& context, const loss::FeatureLayout& layout,
                               uint32_t maxAtoms)
    : capacity_(frameCapacity(layout, maxAtoms)),
      magnitudeKernel_(make(context, "multiband_magnitudes", 2, sizeof(MagnitudesPush), 0, 1)),
      backwardKernel_(make(context, "multiband_magnitudes_backward", 3, sizeof(BackwardPush))),
      gatherKernel_(make(context, "multiband_gather", 2, sizeof(GatherPush), 1, 0)),
      frames_(context, size_t(capacity_) * 8) {
  for (const Group& g : layout.groups)
    if (!std::has_single_bit(uint32_t(g.window)) || !std::has_single_bit(uint32_t(g.hop)))
      throw std::logic_error("gpu::MultibandStfts: windows and hops must be powers of two");
  for (const Group& g : layout.groups) {
    const uint32_t w = uint32_t(g.window);
    if (!ffts_.count(w)) ffts_[w] = std::make_unique<Fft>(context, w, capacity_ / w);
  }
}

uint32_t MultibandStfts::chunkAtoms(const Group& group) const {
  return std::max<uint32_t>(1, 2 * (capacity_ / uint32_t(group.window)) / uint32_t(group.frames));
}

void MultibandStfts::recordFrames(Sequence& sequence, const Group& g, uint32_t samples,
                                  const Buffer& inputs, uint32_t firstAtom,
                                  uint32_t atoms) const {
  ffts_.at(uint32_t(g.window))
      ->recordFrames(sequence, inputs,
                     {samples, uint32_t(g.hop), uint32_t(g.frames), firstAtom, atoms * uint32_t(g.frames)},
                     frames_);
}

void MultibandStfts::recordFeatures(Sequence& sequence, const Group& g, uint32_t samples,
                                    const Buffer& inputs, uint32_t count, Buffer& summed) const {
  const uint32_t chunk = chunkAtoms(g);
  for (uint32_t first = 0; first < count; first += chunk) {
    const uint32_t atoms = std::min(chunk, count - first);
    recordFrames(sequence, g, samples, inputs, first, atoms);
    sequence.dispatch(magnitudeKernel_, {frames_, summed},
                      MagnitudesPush{log2(uint32_t(g.window)), uint32_t(g.frames), atoms,
                                     uint32_t(g.offset), first == 0 ? 1u : 0u, inverse(bins(g))},
                      spread(magnitudeKernel_, g.size()));
  }
}

void MultibandStfts::recordBackward(Sequence& sequence, const Group& g, uint32_t samples,
                                    const Buffer& inputs, uint32_t count, const Buffer& summed,
                                    const Buffer& target, Buffer& gradient,
                                    bool accumulate) const {
  const uint32_t w = uint32_t(g.window), chunk = chunkAtoms(g);
  for (uint32_t first = 0; first < count; first += chunk) {
    const uint32_t atoms = std::min(chunk, count - first);
    const uint32_t chunkFrames = atoms * uint32_t(g.frames);
    // The spectra are recomputed: keeping every group's would take ~160 MB at 64 x 2^15.
    recordFrames(sequence, g, samples, inputs, first, atoms);
    sequence.dispatch(backwardKernel_, {frames_, summed, target},
                      BackwardPush{log2(w), uint32_t(g.frames), chunkFrames, uint32_t(g.offset),
                                   float(1.0 / double(g.size())), inverse(uint32_t(g.frames)),
                                   inverse(bins(g))},
                      spread(backwardKernel_, size_t(pairs(chunkFrames)) * (w / 2 + 1)));
    ffts_.at(w)->record(sequence, frames_, frames_, pairs(chunkFrames), Direction::Inverse);
    const uint32_t threads = gatherKernel_.spec().workgroupSize;
    sequence.dispatch(gatherKernel_, {frames_, gradient},
                      GatherPush{samples, log2(w), log2(uint32_t(g.hop)), uint32_t(g.frames), first,
                                 accumulate ? 1u : 0u},
                      Groups{(samples + threads - 1) / threads, atoms});
  }
}

}  // namespace audiosplat::gpu
