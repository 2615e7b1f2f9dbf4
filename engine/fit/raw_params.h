#pragma once
// The optimizer's unconstrained coordinates of each continuous parameter
// (docs/atom-model.md, "Parameters"): log for positive scales, logit for bounded ones,
// a fixed scale for the rest. Adam steps in these coordinates, so one learning rate
// means "a similar relative change" for every parameter.
#include "model/atom.h"

namespace audiosplat::fit {

// How a parameter maps to its raw coordinate r.
enum class RawMap { Log, Log2, Scaled, Logistic };

// One parameter's coordinate at a working rate: the single definition that the functions
// below and the device's step (gpu/atom_step.h, filled from this) share.
struct RawCoordinate {
  RawMap map;
  // Log: physical = exp(r), Log2: exp2(r), toRaw clamping to [lo, hi] first; Scaled:
  // physical = lo r (hi unused); Logistic: physical = lo + (hi - lo) sigmoid(r).
  double lo, hi;
  double rawMin, rawMax;            // what clampRaw keeps r in
  double physicalMin, physicalMax;  // the parameter's range, as clampToRange
};
RawCoordinate rawCoordinate(Param p, double sampleRate);

// Physical -> raw, clamping the physical value just inside its range first.
ParamVector toRaw(const Atom& atom, double sampleRate);
// Raw -> physical (the discrete choices of `atom` are kept).
Atom fromRaw(const ParamVector& raw, const Atom& atom, double sampleRate);
// d physical / d raw at raw, for the chain rule of the gradient.
ParamVector physicalPerRaw(const ParamVector& raw, double sampleRate);
// Clamps raw coordinates to the images of the parameter ranges.
void clampRaw(ParamVector& raw, double sampleRate);

}  // namespace audiosplat::fit
