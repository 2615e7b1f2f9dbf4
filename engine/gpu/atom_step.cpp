#include "gpu/atom_step.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "gpu/atom_backward.h"
#include "gpu/atom_params.h"
#include "gpu/atom_state.h"
#include "gpu/context.h"
#include "gpu/error.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

// The Settings block of shaders/atom_step.comp.
struct Settings {
  double learningRate, beta1, beta2, sparsity;  // setStep
  double sampleRate;                            // setCoordinates
  RawCoordinateGpu coordinates[kParamCount];
};
static_assert(offsetof(Settings, sampleRate) == 32 && offsetof(Settings, coordinates) == 40,
              "must match shaders/atom_step.comp");

struct Push {
  uint32_t count, partialOffset;
};

const Kernel& makeKernel(Context& context) {
  if (!context.limits().float64)
    throw GpuError("The fit's step on the GPU needs doubles in shaders (shaderFloat64), which " +
                   context.info().name + " does not offer.");
  using B = AtomBackward;
  return context.kernel({.shader = "atom_step", .buffers = 5, .pushConstantBytes = sizeof(Push),
                         .workgroupSize = context.workgroupSize(64),
                         .constants = {B::kSlots, B::OnsetSum, B::WetSum, B::MixedDot, B::TonalDot,
                                       B::ExcitationDot, B::EnvelopeA, B::EnvelopeB, B::BandA,
                                       B::BandB, B::kPartialValues}});
}

void requireBytes(const Buffer& buffer, size_t bytes, const char* what) {
  if (buffer.bytes() < bytes)
    throw std::out_of_range(std::string("gpu::AtomStep: the ") + what + " buffer is too small");
}

}  // namespace

AtomStep::AtomStep(Context& context)
    : kernel_(makeKernel(context)), settings_(context, sizeof(Settings), Buffer::Memory::Host) {}

void AtomStep::setCoordinates(std::span<const RawCoordinateGpu, kParamCount> table,
                              double sampleRate) {
  settings_.write(offsetof(Settings, sampleRate), &sampleRate, sizeof sampleRate);
  settings_.write(offsetof(Settings, coordinates), table.data(), table.size_bytes());
}

void AtomStep::setStep(double learningRate, double beta1, double beta2, double sparsity) {
  const double values[] = {learningRate, beta1, beta2, sparsity};
  settings_.write(offsetof(Settings, learningRate), values, sizeof values);
}

void AtomStep::record(Sequence& s, Buffer& states, const Buffer& atomParams, const Buffer& scalars,
                      uint32_t partialOffset, const Buffer& sums, uint32_t count) const {
  using B = AtomBackward;
  requireBytes(states, size_t(count) * sizeof(AtomState), "state");
  requireBytes(atomParams, size_t(count) * sizeof(AtomParams), "parameter");
  requireBytes(scalars,
               4 * std::max(size_t(count) * B::kSlots,
                            partialOffset + size_t(count) * kMaxPartials * B::kPartialValues),
               "scalar");
  requireBytes(sums, size_t(count) * 4 * sizeof(float), "sums");
  const uint32_t size = kernel_.spec().workgroupSize;
  s.dispatch(kernel_, {states, atomParams, scalars, sums, settings_}, Push{count, partialOffset},
             {(count + size - 1) / size});
}

}  // namespace audiosplat::gpu
