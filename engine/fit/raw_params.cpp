#include "fit/raw_params.h"

#include <algorithm>
#include <cmath>

namespace audiosplat::fit {
namespace {

// How a parameter maps to its raw coordinate.
enum class Map { Log, Log2, Scaled, Logistic };
struct Mapping {
  Map map;
  double lo, hi;  // Logistic: physical = lo + (hi - lo) sigmoid(raw); Scaled: physical = lo * raw
};

constexpr double kGainFloor = 1e-8;
// Onsets move in units of 10 ms: Adam's first steps (lr 1e-2) shift an atom by 0.1 ms.
constexpr double kOnsetUnit = 0.01;
// Keeps logits finite at range ends (a bound is approached, never reached).
constexpr double kLogitMargin = 1e-9;

Mapping mapping(Param p) {
  const ParamInfo& info = paramInfo(p);
  switch (p) {
    case Param::Onset: return {Map::Scaled, kOnsetUnit, 0};
    case Param::Gain: return {Map::Log, kGainFloor, info.max};
    case Param::AttackScale:
    case Param::NoiseWidth:
    case Param::Decay: return {Map::Log, info.min, info.max};
    case Param::NoiseCentre:
    case Param::Fundamental: return {Map::Log2, info.min, info.max};
    case Param::Tilt: return {Map::Scaled, 10.0, 0};
    case Param::AttackShape:
    case Param::Inharmonicity:
    case Param::DampingSlope:
    case Param::TonalMix:
    case Param::RoomWet: return {Map::Logistic, info.min, info.max};
  }
  return {Map::Scaled, 1.0, 0};
}

double upper(Param p, const Mapping& m, double fs) {
  return (p == Param::NoiseCentre || p == Param::Fundamental) ? fs / 2.0 : m.hi;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

ParamVector toRaw(const Atom& atom, double fs) {
  ParamVector raw{};
  for (int i = 0; i < kParamCount; ++i) {
    const Param p = Param(i);
    const Mapping m = mapping(p);
    const double v = atom.get(p);
    switch (m.map) {
      case Map::Log: raw[i] = std::log(std::clamp(v, m.lo, upper(p, m, fs))); break;
      case Map::Log2: raw[i] = std::log2(std::clamp(v, m.lo, upper(p, m, fs))); break;
      case Map::Scaled: raw[i] = v / m.lo; break;
      case Map::Logistic: {
        const double unit = std::clamp((v - m.lo) / (m.hi - m.lo), kLogitMargin, 1.0 - kLogitMargin);
        raw[i] = std::log(unit / (1.0 - unit));
        break;
      }
    }
  }
  return raw;
}

Atom fromRaw(const ParamVector& raw, const Atom& atom, double fs) {
  Atom out = atom;
  for (int i = 0; i < kParamCount; ++i) {
    const Param p = Param(i);
    const Mapping m = mapping(p);
    const double r = raw[i];
    switch (m.map) {
      case Map::Log: out.set(p, std::exp(r)); break;
      case Map::Log2: out.set(p, std::exp2(r)); break;
      case Map::Scaled: out.set(p, r * m.lo); break;
      case Map::Logistic: out.set(p, m.lo + (m.hi - m.lo) * sigmoid(r)); break;
    }
  }
  clampToRange(out, fs);  // exp(log(lo)) can round just below lo
  return out;
}

ParamVector physicalPerRaw(const ParamVector& raw, double fs) {
  ParamVector d{};
  for (int i = 0; i < kParamCount; ++i) {
    const Mapping m = mapping(Param(i));
    const double r = raw[i];
    switch (m.map) {
      case Map::Log: d[i] = std::exp(r); break;
      case Map::Log2: d[i] = std::exp2(r) * M_LN2; break;
      case Map::Scaled: d[i] = m.lo; break;
      case Map::Logistic: {
        const double s = sigmoid(r);
        d[i] = (m.hi - m.lo) * s * (1.0 - s);
        break;
      }
    }
  }
  return d;
}

void clampRaw(ParamVector& raw, double fs) {
  for (int i = 0; i < kParamCount; ++i) {
    const Param p = Param(i);
    const Mapping m = mapping(p);
    const ParamInfo& info = paramInfo(p);
    switch (m.map) {
      case Map::Log: raw[i] = std::clamp(raw[i], std::log(m.lo), std::log(upper(p, m, fs))); break;
      case Map::Log2: raw[i] = std::clamp(raw[i], std::log2(m.lo), std::log2(upper(p, m, fs))); break;
      case Map::Scaled: raw[i] = std::clamp(raw[i], info.min / m.lo, info.max / m.lo); break;
      case Map::Logistic: {
        const double limit = std::log((1.0 - kLogitMargin) / kLogitMargin);
        raw[i] = std::clamp(raw[i], -limit, limit);
        break;
      }
    }
  }
}

}  // namespace audiosplat::fit
