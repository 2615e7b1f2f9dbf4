#pragma once
// Where a fit starts. Random: the original experiment's way. Spectral peaks: a greedy
// pass over the target's spectrogram that places one atom on each strongest remaining
// event (onset, fundamental by harmonic sum, decay, tilt, gain from energy) and then
// removes that event's harmonics from the spectrogram.
#include <cstdint>
#include <span>
#include <vector>

#include "model/atom.h"

namespace audiosplat::analysis {

struct InitialiserInput {
  std::span<const double> target;  // the segment, peak-normalised
  int64_t start = 0;               // absolute sample of target[0]
  double sampleRate = 22050.0;
  int count = 64;                  // atoms to make
  uint32_t seed = 0;               // randomness and noise seeds
};

std::vector<Atom> randomAtoms(const InitialiserInput& in);
std::vector<Atom> spectralPeakAtoms(const InitialiserInput& in);

}  // namespace audiosplat::analysis
