#pragma once
// Valid atom sets full of awkward doubles, shared by the io tests.
#include <cmath>
#include <cstdint>
#include <random>

#include "model/atom_set.h"

namespace audiosplat::test {

// Mostly uniform in [lo, hi]; often an exact bound, the next double inside one, or a
// value near the bottom of double's range, so every digit of the text form matters.
inline double awkwardValue(std::mt19937_64& rng, double lo, double hi) {
  switch (rng() % 10) {
    case 0: return lo;
    case 1: return hi;
    case 2: return std::nextafter(lo, hi);
    case 3: return std::nextafter(hi, lo);
    case 4: return lo == 0.0 ? 1e-300 : lo;
    case 5: return lo == 0.0 ? 4.9406564584124654e-324 : hi;  // the smallest subnormal
    default: return std::uniform_real_distribution<double>(lo, hi)(rng);
  }
}

// A room whose impulse holds subnormals, tiny and large values and a negative zero.
inline Room awkwardRoom(std::mt19937_64& rng, const std::string& name, size_t samples) {
  Room room;
  room.name = name;
  std::normal_distribution<double> normal;
  for (size_t n = 0; n < samples; ++n)
    room.impulse.push_back(normal(rng) * std::exp(-double(n) / (samples / 6.0)));
  room.impulse[0] = 1.0;
  room.impulse[1] = 4.9406564584124654e-324;
  room.impulse[2] = -0.0;
  room.impulse[3] = 1e-300;
  room.impulse[4] = -1e100;
  room.sha256 = impulseHash(room.impulse);
  return room;
}

// `atoms` atoms at 44.1 kHz; onsets inside [-0.1, duration] unless `wideOnsets`, which
// lets them reach the format's limits (useful for the file, pointless to render).
inline AtomSet randomAtomSet(uint64_t seed, size_t atoms, bool wideOnsets = true) {
  std::mt19937_64 rng(seed);
  AtomSet set;
  set.sampleRate = 44100.0;
  set.atomLength = 2048;
  set.length = 44100;
  set.rooms.push_back(awkwardRoom(rng, "hall.wav", 700));
  set.rooms.push_back(awkwardRoom(rng, "Saal \"groß\" \\ 1.wav", 64));
  for (size_t i = 0; i < atoms; ++i) {
    Atom a;
    for (int p = 0; p < kParamCount; ++p) {
      const ParamInfo& info = paramInfo(Param(p));
      double hi = info.max;
      if (Param(p) == Param::NoiseCentre || Param(p) == Param::Fundamental)
        hi = set.sampleRate / 2.0;
      a.set(Param(p), awkwardValue(rng, info.min, hi));
    }
    if (!wideOnsets) a.onset = std::uniform_real_distribution<double>(-0.1, 1.0)(rng);
    a.envelope = rng() % 2 ? Envelope::Gaussian : Envelope::Gamma;
    a.partials = int(1 + rng() % kMaxPartials);
    a.seed = uint32_t(rng());
    a.room = int(rng() % 3) - 1;
    set.atoms.push_back(a);
  }
  return set;
}

}  // namespace audiosplat::test
