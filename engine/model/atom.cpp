#include "model/atom.h"

#include <algorithm>
#include <cmath>

namespace audiosplat {
namespace {
// Ranges of docs/atom-model.md. fc and f0 are further limited to fs/2 by clampToRange.
const ParamInfo kInfo[kParamCount] = {
    {"onset_s", "s", -1e7, 1e7},
    {"gain", "", 0.0, 1e4},
    {"attack_shape", "", 1.0, 20.0},
    {"attack_scale_s", "s", 2e-4, 0.5},
    {"noise_centre_hz", "Hz", 20.0, 1e6},
    {"noise_width_oct", "oct", 0.05, 8.0},
    {"fundamental_hz", "Hz", 20.0, 1e6},
    {"inharmonicity", "", 0.0, 0.01},
    {"tilt_db_per_oct", "dB/oct", -30.0, 6.0},
    {"decay_t60_s", "s", 0.005, 10.0},
    {"damping_slope", "", 0.0, 3.0},
    {"tonal_mix", "", 0.0, 1.0},
    {"room_wet", "", 0.0, 1.0},
};

double upperBound(Param p, double sampleRate) {
  if (p == Param::NoiseCentre || p == Param::Fundamental) return sampleRate / 2.0;
  return kInfo[int(p)].max;
}
}  // namespace

const ParamInfo& paramInfo(Param p) { return kInfo[int(p)]; }

double Atom::get(Param p) const {
  switch (p) {
    case Param::Onset: return onset;
    case Param::Gain: return gain;
    case Param::AttackShape: return attackShape;
    case Param::AttackScale: return attackScale;
    case Param::NoiseCentre: return noiseCentre;
    case Param::NoiseWidth: return noiseWidth;
    case Param::Fundamental: return fundamental;
    case Param::Inharmonicity: return inharmonicity;
    case Param::Tilt: return tilt;
    case Param::Decay: return decay;
    case Param::DampingSlope: return dampingSlope;
    case Param::TonalMix: return tonalMix;
    case Param::RoomWet: return roomWet;
  }
  return 0.0;
}

void Atom::set(Param p, double value) {
  switch (p) {
    case Param::Onset: onset = value; break;
    case Param::Gain: gain = value; break;
    case Param::AttackShape: attackShape = value; break;
    case Param::AttackScale: attackScale = value; break;
    case Param::NoiseCentre: noiseCentre = value; break;
    case Param::NoiseWidth: noiseWidth = value; break;
    case Param::Fundamental: fundamental = value; break;
    case Param::Inharmonicity: inharmonicity = value; break;
    case Param::Tilt: tilt = value; break;
    case Param::Decay: decay = value; break;
    case Param::DampingSlope: dampingSlope = value; break;
    case Param::TonalMix: tonalMix = value; break;
    case Param::RoomWet: roomWet = value; break;
  }
}

ParamVector Atom::params() const {
  ParamVector v;
  for (int i = 0; i < kParamCount; ++i) v[i] = get(Param(i));
  return v;
}

void Atom::setParams(const ParamVector& v) {
  for (int i = 0; i < kParamCount; ++i) set(Param(i), v[i]);
}

void clampToRange(Atom& atom, double sampleRate) {
  for (int i = 0; i < kParamCount; ++i) {
    const Param p = Param(i);
    const double lo = kInfo[i].min, hi = upperBound(p, sampleRate);
    const double v = atom.get(p);
    atom.set(p, std::isnan(v) ? lo : std::clamp(v, lo, hi));
  }
  atom.partials = std::clamp(atom.partials, 1, kMaxPartials);
  if (atom.room < -1) atom.room = -1;
}

bool isValid(const Atom& atom, double sampleRate) {
  for (int i = 0; i < kParamCount; ++i) {
    const Param p = Param(i);
    const double v = atom.get(p);
    if (!std::isfinite(v) || v < kInfo[i].min || v > upperBound(p, sampleRate)) return false;
  }
  return atom.partials >= 1 && atom.partials <= kMaxPartials && atom.room >= -1;
}

}  // namespace audiosplat
