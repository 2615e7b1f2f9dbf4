#pragma once
// One atom's optimizer state on the device, in the std430 layout of shaders/atom_state.glsl:
// what a fit that steps on the device keeps there between iterations (atoms, raw
// coordinates, Adam moments) and what its step kernel reports (gradient, problem).
#include <cstddef>
#include <cstdint>

#include "model/atom.h"

namespace audiosplat::gpu {

struct AtomState {
  double physical[kParamCount];
  double raw[kParamCount];
  double firstMoment[kParamCount];
  double secondMoment[kParamCount];
  double gradient[kParamCount];  // dLoss/d physical, without the sparsity term
  int32_t adamSteps;
  uint32_t envelope;             // Envelope as a number
  uint32_t partials;             // K
  uint32_t hold;                 // nonzero: pinned, takes no step
  uint32_t problem;              // StepProblem
  uint32_t pad[3];
};
static_assert(offsetof(AtomState, gradient) == 416 && offsetof(AtomState, adamSteps) == 520 &&
              sizeof(AtomState) == 552, "must match shaders/atom_state.glsl");

// AtomState::problem: what the step kernel found.
enum StepProblem : uint32_t {
  kStepOk = 0,
  kGradientNotFinite = 1,  // + k: dLoss/d parameter k is not finite; the atom sat out, Adam reset
  kRawNotFinite = 101,     // + k: the step made raw coordinate k non-finite
};

}  // namespace audiosplat::gpu
