#include "fit/fit_setup.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/initialisers.h"

namespace audiosplat::fit {

TargetSegment cutSegment(std::span<const double> audio, int64_t start, size_t length) {
  if (start < 0 || start >= int64_t(audio.size()))
    throw std::invalid_argument("the segment's start is outside the audio");
  TargetSegment segment;
  segment.start = start;
  segment.audibleLength = std::min(length, audio.size() - size_t(start));
  size_t padded = 2048;
  while (padded < segment.audibleLength) padded *= 2;
  segment.samples.assign(padded, 0.0);
  double peak = 0.0;
  for (size_t i = 0; i < segment.audibleLength; ++i) {
    segment.samples[i] = audio[size_t(start) + i];
    peak = std::max(peak, std::abs(segment.samples[i]));
  }
  if (peak == 0.0) throw std::invalid_argument("the segment to fit is silent");
  segment.scale = 1.0 / peak;
  for (double& v : segment.samples) v *= segment.scale;
  return segment;
}

AtomSet initialAtoms(const TargetSegment& segment, const FitSettings& settings, double sampleRate,
                     int atomLength) {
  AtomSet set;
  set.sampleRate = sampleRate;
  set.atomLength = atomLength;
  set.length = segment.start + int64_t(segment.audibleLength);
  analysis::InitialiserInput in;
  in.target = segment.samples;
  in.start = segment.start;
  in.sampleRate = sampleRate;
  in.count = settings.atoms;
  in.seed = settings.seed;
  set.atoms = settings.initialiser == Initialiser::Random ? analysis::randomAtoms(in)
                                                          : analysis::spectralPeakAtoms(in);
  for (Atom& a : set.atoms) clampToRange(a, sampleRate);
  return set;
}

AtomSet atInputLevel(AtomSet fitted, const TargetSegment& segment) {
  for (Atom& a : fitted.atoms) a.gain /= segment.scale;
  return fitted;
}

}  // namespace audiosplat::fit
