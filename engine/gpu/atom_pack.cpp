#include "gpu/atom_pack.h"

#include <stdexcept>

#include "gpu/atom_params.h"
#include "gpu/atom_state.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/error.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

struct Push {
  double sampleRate;
  double start;  // exact: segment starts are far below 2^53
  uint32_t atomLength;
  uint32_t segment;
  uint32_t count;
  uint32_t pad;
};

const Kernel& makeKernel(Context& context) {
  if (!context.limits().float64)
    throw GpuError("Packing atoms on the GPU needs doubles in shaders (shaderFloat64), which " +
                   context.info().name + " does not offer.");
  return context.kernel({.shader = "atom_pack",
                         .buffers = 2,
                         .pushConstantBytes = sizeof(Push),
                         .workgroupSize = context.workgroupSize(64),
                         .constants = {kTonalChunk}});
}

}  // namespace

AtomPack::AtomPack(Context& context) : kernel_(makeKernel(context)) {}

void AtomPack::record(Sequence& sequence, const Buffer& states, Buffer& params, uint32_t count,
                      double sampleRate, uint32_t atomLength, int64_t segmentStart,
                      uint32_t segment) const {
  if (states.bytes() < size_t(count) * sizeof(AtomState) ||
      params.bytes() < size_t(count) * sizeof(AtomParams))
    throw std::invalid_argument("AtomPack: buffers too small for the atoms");
  if (count == 0) return;
  const uint32_t size = kernel_.spec().workgroupSize;
  sequence.dispatch(kernel_, {states, params},
                    Push{sampleRate, double(segmentStart), atomLength, segment, count, 0},
                    {(count + size - 1) / size});
}

}  // namespace audiosplat::gpu
