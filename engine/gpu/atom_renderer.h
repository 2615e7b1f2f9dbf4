#pragma once
// Renders atoms on the GPU in float (docs/atom-model.md, steps 1-8): the twin of
// reference::renderSegment. A call's atoms go through every stage as one batch:
//   band filter of the cached noise spectrum -> inverse real FFT -> unit RMS -> envelope ->
//   chunked scan of the partials' one-pole filters -> norms, taper, mix, gain ->
//   room (FFT convolution, when an atom has one) -> fractional-delay placement (a gather).
// Every reduction is a fixed-order gather, so a render gives the same floats on every run.
// Accuracy against the double reference: max error ~5e-6 of an atom's rms typically, more
// where the tonal part amplifies float rounding (tests/gpu/test_atom_renderer.cpp states the
// bound and the measurements).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "gpu/atom_kernels.h"
#include "gpu/atom_noise_cache.h"
#include "gpu/buffer.h"
#include "gpu/real_fft.h"
#include "gpu/sequence.h"
#include "model/atom_set.h"

namespace audiosplat::gpu {

class Context;

class AtomRenderer {
 public:
  // What recorded commands depend on: a prepare() with the same shape only changes data.
  struct Shape {
    uint32_t atoms = 0;
    uint32_t segment = 0;  // N
    bool rooms = false;    // some atom is sent through a room
    bool operator==(const Shape&) const = default;
  };

  // document: the working rate, atom length L (a power of two >= 512) and rooms that every
  // rendered set shares; its atoms are ignored. maxAtoms: the most atoms per prepare().
  AtomRenderer(Context& context, const AtomSet& document, uint32_t maxAtoms);

  // The sum of set's atoms over absolute samples [start, start + length), as
  // reference::renderSegment. Any number of atoms (batches of maxAtoms) and any length
  // (pieces of maxSegment). The noise spectrum cache holds maxAtoms spectra: with more atoms
  // than that, batches evict each other's. Throws std::invalid_argument when set's rate, L or
  // rooms differ from the renderer's, or an overlapping atom refers to a missing room.
  std::vector<float> renderSegment(const AtomSet& set, int64_t start, size_t length);

  // For a caller that records the forward pass into its own sequence (a fit): makes the
  // noise spectra of atoms (a submit of its own when some are missing) and uploads their
  // parameters for the segment [start, start + length), length <= maxSegment().
  void prepare(std::span<const Atom> atoms, int64_t start, uint32_t length);
  // Records the forward pass of the prepared atoms; when it has run, placed() and mixdown()
  // hold the result. The commands stay valid across prepare() calls while shape() is the same.
  void record(Sequence& sequence);
  Shape shape() const { return shape_; }

  // The parameter blocks (gpu/atom_params.h) that prepare() uploads and record() reads: a fit
  // whose atoms live on the device rewrites them by gpu::AtomPack before record() runs.
  Buffer& params() { return params_; }

  // Atom i's placed signal x_i: floats [i N, (i + 1) N) for the prepared atoms, N = segment.
  const Buffer& placed() const { return *placed_; }
  // Their sum: floats [0, N).
  const Buffer& mixdown() const { return *mixdown_; }

  // The forward pass's buffers and tools that the backward pass (gpu/atom_backward.h) reads
  // after record() has run; see the members below for the layouts.
  struct Stages {
    const Buffer& params;
    const Buffer& sums;
    const Buffer& band;
    const Buffer& excitation;
    const Buffer& tonal;
    const Buffer& mixed;
    const Buffer& states;
    const Buffer& dry;
    const Buffer* wet;          // s_r when some atom has a room, else dry holds it
    const Buffer* roomSpectra;  // null without rooms
    const Buffer& noiseSpectra;
    const Buffer& log2Table;
    const Buffer& taper;
    const AtomKernels& kernels;
    const RealFft& fft;         // L points
    const RealFft* roomFft;     // P points, null without rooms
    uint32_t length;            // L
    uint32_t roomLength;        // P, 0 without rooms
  };
  Stages stages() const;

  uint32_t maxAtoms() const { return maxAtoms_; }
  uint32_t maxSegment() const { return maxSegment_; }
  // Noise spectra computed so far; a render whose seeds are all cached adds none.
  uint64_t noiseSpectraComputed() const { return noise_.computed(); }

 private:
  void reserveSegment(uint32_t length);

  Context& context_;
  AtomSet document_;  // rate, L and rooms; no atoms
  uint32_t maxAtoms_;
  uint32_t length_;      // L
  uint32_t roomLength_;  // P: the room FFT's size, 0 without rooms
  uint32_t maxSegment_;
  AtomKernels kernels_;
  RealFft fft_;
  std::optional<RealFft> roomFft_;
  Buffer params_;       // maxAtoms AtomParams
  Buffer sums_;         // maxAtoms x 4 sums of squares (SumOf)
  Buffer log2Table_;    // log2 q, q <= L/2, as hi + lo
  Buffer taper_;        // the end taper by samples from the end
  Buffer spectrum_;     // maxAtoms spectra: band filter, room convolution, noise scratch
  Buffer band_;         // maxAtoms x L each: b (noise scratch first), e, y, u
  Buffer excitation_;
  Buffer tonal_;
  Buffer mixed_;
  Buffer states_;       // maxAtoms x 64 partials x L/kTonalChunk complex
  Buffer dry_;          // maxAtoms x (P or L): s, zero-padded for the room FFT
  std::optional<Buffer> wet_;          // maxAtoms x P: s_r
  std::optional<Buffer> roomSpectra_;  // rooms x (P/2 + 1) complex: rfft(R) / |R|
  NoiseSpectrumCache noise_;
  std::optional<Buffer> placed_;   // maxAtoms x segment capacity
  std::optional<Buffer> mixdown_;  // segment capacity
  uint32_t segmentCapacity_ = 0;
  Shape shape_;
  Sequence own_;  // renderSegment's commands, recorded for recordedShape_
  std::optional<Shape> recordedShape_;
};

}  // namespace audiosplat::gpu
