#pragma once
// What `audiosplat info` (and later the editor's document panel) says about an atom set:
// counts and the spread of every parameter.
#include <array>
#include <cstddef>

#include "model/atom_set.h"

namespace audiosplat::io {

// Atoms quieter than this (linear gain, -60 dB) count as inactive: the sparsity
// penalty drives unused atoms towards zero gain rather than removing them.
constexpr double kActiveGain = 1e-3;

struct Spread {
  double min = 0, median = 0, max = 0;  // median of an even count: mean of the middle two
};

struct AtomSetSummary {
  size_t atoms = 0;
  size_t activeAtoms = 0;  // gain > kActiveGain
  size_t gammaEnvelopes = 0;
  size_t gaussianEnvelopes = 0;
  size_t atomsWithRoom = 0;
  double durationSeconds = 0;  // length / sampleRate
  // In physical units, Param order; all zero when there are no atoms.
  std::array<Spread, kParamCount> params{};
  Spread partials;
};

AtomSetSummary summarize(const AtomSet& set);

}  // namespace audiosplat::io
