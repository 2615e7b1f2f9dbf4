#include "fit/adam.h"

#include <cmath>

namespace audiosplat::fit {

void adamStep(ParamVector& raw, const ParamVector& gradient, AdamState& state, double learningRate,
              double beta1, double beta2, double epsilon) {
  ++state.steps;
  const double correction1 = 1.0 - std::pow(beta1, state.steps);
  const double correction2 = 1.0 - std::pow(beta2, state.steps);
  for (int i = 0; i < kParamCount; ++i) {
    state.firstMoment[i] = beta1 * state.firstMoment[i] + (1.0 - beta1) * gradient[i];
    state.secondMoment[i] = beta2 * state.secondMoment[i] + (1.0 - beta2) * gradient[i] * gradient[i];
    const double mhat = state.firstMoment[i] / correction1;
    const double vhat = state.secondMoment[i] / correction2;
    raw[i] -= learningRate * mhat / (std::sqrt(vhat) + epsilon);
  }
}

}  // namespace audiosplat::fit
