#pragma once
// Adam on one atom's raw parameters. Each atom keeps its own step count, so an atom
// whose state was reset (edited, added) gets Adam's bias correction afresh.
#include "model/atom.h"

namespace audiosplat::fit {

struct AdamState {
  ParamVector firstMoment{};
  ParamVector secondMoment{};
  int steps = 0;
};

// raw -= lr * mhat / (sqrt(vhat) + epsilon), in place.
void adamStep(ParamVector& raw, const ParamVector& gradient, AdamState& state, double learningRate,
              double beta1, double beta2, double epsilon = 1e-8);

}  // namespace audiosplat::fit
