#pragma once
// The steps every client of a fit shares (command line, editor, benchmarks): cut and
// peak-normalise the target segment, make the initial atoms, and scale fitted atoms
// back to the input's level.
#include <cstdint>
#include <span>
#include <vector>

#include "fit/fit_settings.h"
#include "model/atom_set.h"

namespace audiosplat::fit {

constexpr size_t kSegmentLength = size_t(1) << 15;  // the design's segment, ~1.49 s at 22050 Hz

struct TargetSegment {
  std::vector<double> samples;  // peak-normalised, zero-padded to a power of two >= 2048
  int64_t start = 0;            // absolute sample of samples[0]
  size_t audibleLength = 0;     // samples that came from the input (the rest is padding)
  double scale = 1.0;           // samples = input * scale
};

// Up to `length` samples of audio from `start`; a shorter remainder is fitted whole
// (padded with silence to a power of two). Throws std::invalid_argument when start is
// outside the audio or the segment is silent.
TargetSegment cutSegment(std::span<const double> audio, int64_t start, size_t length = kSegmentLength);

// The initial atoms for a fit of `segment` with `settings` (initialiser, count, seed).
AtomSet initialAtoms(const TargetSegment& segment, const FitSettings& settings, double sampleRate,
                     int atomLength = int(kSegmentLength));

// Atoms fitted to a normalised segment, at the input's own level (gains / scale).
AtomSet atInputLevel(AtomSet fitted, const TargetSegment& segment);

}  // namespace audiosplat::fit
