#pragma once
// The optimizer's unconstrained coordinates of each continuous parameter
// (docs/atom-model.md, "Parameters"): log for positive scales, logit for bounded ones,
// a fixed scale for the rest. Adam steps in these coordinates, so one learning rate
// means "a similar relative change" for every parameter.
#include "model/atom.h"

namespace audiosplat::fit {

// Physical -> raw, clamping the physical value just inside its range first.
ParamVector toRaw(const Atom& atom, double sampleRate);
// Raw -> physical (the discrete choices of `atom` are kept).
Atom fromRaw(const ParamVector& raw, const Atom& atom, double sampleRate);
// d physical / d raw at raw, for the chain rule of the gradient.
ParamVector physicalPerRaw(const ParamVector& raw, double sampleRate);
// Clamps raw coordinates to the images of the parameter ranges.
void clampRaw(ParamVector& raw, double sampleRate);

}  // namespace audiosplat::fit
