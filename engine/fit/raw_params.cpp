#include "fit/raw_params.h"

#include <algorithm>
#include <cmath>

namespace audiosplat::fit {
namespace {

constexpr double kGainFloor = 1e-8;
// Onsets move in units of 10 ms: Adam's first steps (lr 1e-2) shift an atom by 0.1 ms.
constexpr double kOnsetUnit = 0.01;
// Keeps logits finite at range ends (a bound is approached, never reached).
constexpr double kLogitMargin = 1e-9;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

RawCoordinate rawCoordinate(Param p, double fs) {
  const ParamInfo& info = paramInfo(p);
  const bool belowNyquist = p == Param::NoiseCentre || p == Param::Fundamental;
  RawCoordinate c{};
  c.physicalMin = info.min;
  c.physicalMax = belowNyquist ? fs / 2.0 : info.max;
  c.lo = c.physicalMin;
  c.hi = c.physicalMax;
  switch (p) {
    case Param::Onset: c.map = RawMap::Scaled, c.lo = kOnsetUnit; break;
    case Param::Tilt: c.map = RawMap::Scaled, c.lo = 10.0; break;
    case Param::Gain: c.map = RawMap::Log, c.lo = kGainFloor; break;
    case Param::AttackScale:
    case Param::NoiseWidth:
    case Param::Decay: c.map = RawMap::Log; break;
    case Param::NoiseCentre:
    case Param::Fundamental: c.map = RawMap::Log2; break;
    case Param::AttackShape:
    case Param::Inharmonicity:
    case Param::DampingSlope:
    case Param::TonalMix:
    case Param::RoomWet: c.map = RawMap::Logistic; break;
  }
  const double logitLimit = std::log((1.0 - kLogitMargin) / kLogitMargin);
  switch (c.map) {
    case RawMap::Log: c.rawMin = std::log(c.lo), c.rawMax = std::log(c.hi); break;
    case RawMap::Log2: c.rawMin = std::log2(c.lo), c.rawMax = std::log2(c.hi); break;
    case RawMap::Scaled: c.rawMin = info.min / c.lo, c.rawMax = info.max / c.lo; break;
    case RawMap::Logistic: c.rawMin = -logitLimit, c.rawMax = logitLimit; break;
  }
  return c;
}

ParamVector toRaw(const Atom& atom, double fs) {
  ParamVector raw{};
  for (int i = 0; i < kParamCount; ++i) {
    const RawCoordinate c = rawCoordinate(Param(i), fs);
    const double v = atom.get(Param(i));
    switch (c.map) {
      case RawMap::Log: raw[i] = std::log(std::clamp(v, c.lo, c.hi)); break;
      case RawMap::Log2: raw[i] = std::log2(std::clamp(v, c.lo, c.hi)); break;
      case RawMap::Scaled: raw[i] = v / c.lo; break;
      case RawMap::Logistic: {
        const double unit = std::clamp((v - c.lo) / (c.hi - c.lo), kLogitMargin, 1.0 - kLogitMargin);
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
    const RawCoordinate c = rawCoordinate(Param(i), fs);
    const double r = raw[i];
    switch (c.map) {
      case RawMap::Log: out.set(Param(i), std::exp(r)); break;
      case RawMap::Log2: out.set(Param(i), std::exp2(r)); break;
      case RawMap::Scaled: out.set(Param(i), r * c.lo); break;
      case RawMap::Logistic: out.set(Param(i), c.lo + (c.hi - c.lo) * sigmoid(r)); break;
    }
  }
  clampToRange(out, fs);  // exp(log(lo)) can round just below lo
  return out;
}

ParamVector physicalPerRaw(const ParamVector& raw, double fs) {
  ParamVector d{};
  for (int i = 0; i < kParamCount; ++i) {
    const RawCoordinate c = rawCoordinate(Param(i), fs);
    const double r = raw[i];
    switch (c.map) {
      case RawMap::Log: d[i] = std::exp(r); break;
      case RawMap::Log2: d[i] = std::exp2(r) * M_LN2; break;
      case RawMap::Scaled: d[i] = c.lo; break;
      case RawMap::Logistic: {
        const double s = sigmoid(r);
        d[i] = (c.hi - c.lo) * s * (1.0 - s);
        break;
      }
    }
  }
  return d;
}

void clampRaw(ParamVector& raw, double fs) {
  for (int i = 0; i < kParamCount; ++i) {
    const RawCoordinate c = rawCoordinate(Param(i), fs);
    raw[i] = std::clamp(raw[i], c.rawMin, c.rawMax);
  }
}

}  // namespace audiosplat::fit
