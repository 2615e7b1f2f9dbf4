#pragma once
// The fit's step on the device, in double (shaders/atom_step.comp), one thread per atom: the
// chain rule from AtomBackward's per-atom sums to dLoss/d physical parameter (as
// gpu::chainAtomGradient), the check for non-finite gradients, and Adam in raw coordinates
// with their clamps (as fit::Fitter::step with adamStep, clampRaw and fromRaw). So the atoms'
// optimizer state (gpu/atom_state.h) stays on the device; the host reads back what it shows.
// Needs Limits::float64.
#include <cstdint>
#include <span>

#include "gpu/buffer.h"
#include "model/atom.h"

namespace audiosplat::gpu {

class Context;
class Kernel;
class Sequence;

// One parameter's raw coordinate as the kernel reads it: fit::RawCoordinate (fit/raw_params.h),
// which the fit layer copies in (this layer does not know the fit's), in the std430 layout of
// shaders/atom_step.comp.
enum class CoordinateMap : uint32_t { Log = 0, Log2 = 1, Scaled = 2, Logistic = 3 };
struct RawCoordinateGpu {
  CoordinateMap map;
  uint32_t pad = 0;
  double lo, hi;
  double rawMin, rawMax;
  double physicalMin, physicalMax;
};
static_assert(sizeof(RawCoordinateGpu) == 56, "must match shaders/atom_step.comp");

class AtomStep {
 public:
  // Throws GpuError when the device has no doubles in shaders.
  explicit AtomStep(Context& context);

  // The coordinates and the working rate: once per fit, before the first submit.
  void setCoordinates(std::span<const RawCoordinateGpu, kParamCount> table, double sampleRate);
  // Adam's settings and the sparsity weight of the gain: before each submit (they change
  // between iterations without re-recording).
  void setStep(double learningRate, double beta1, double beta2, double sparsity);

  // Records the step of atoms [0, count) after the backward pass in the same sequence.
  // states: AtomState per atom; atomParams: the renderer's AtomParams (their rooms);
  // scalars: AtomBackward's (gpu/atom_backward.h), partial values from partialOffset; sums:
  // the renderer's 4 sums of squares per atom. Throws std::out_of_range when a buffer is too
  // small for count atoms.
  void record(Sequence& s, Buffer& states, const Buffer& atomParams, const Buffer& scalars,
              uint32_t partialOffset, const Buffer& sums, uint32_t count) const;

 private:
  const Kernel& kernel_;
  Buffer settings_;  // host-visible: written between submits
};

}  // namespace audiosplat::gpu
