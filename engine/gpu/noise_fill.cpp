#include "gpu/noise_fill.h"

#include <stdexcept>

#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

struct Push {
  uint32_t samples;
  uint32_t atoms;
  uint32_t rawHash;
};

}  // namespace

NoiseFill::NoiseFill(Context& context)
    : kernel_(context.kernel({.shader = "noise_fill",
                              .buffers = 2,
                              .pushConstantBytes = sizeof(Push),
                              .workgroupSize = context.workgroupSize(256)})) {}

void NoiseFill::record(Sequence& sequence, const Buffer& seeds, Buffer& out, uint32_t atoms,
                       uint32_t samples) const {
  record(sequence, seeds, out, atoms, samples, false);
}

void NoiseFill::recordHash(Sequence& sequence, const Buffer& seeds, Buffer& out, uint32_t atoms,
                           uint32_t samples) const {
  record(sequence, seeds, out, atoms, samples, true);
}

void NoiseFill::record(Sequence& sequence, const Buffer& seeds, Buffer& out, uint32_t atoms,
                       uint32_t samples, bool rawHash) const {
  if (seeds.bytes() < size_t(atoms) * 4 || out.bytes() < size_t(atoms) * samples * 4)
    throw std::invalid_argument("NoiseFill: buffers too small for the atoms");
  const uint32_t size = kernel_.spec().workgroupSize;
  sequence.dispatch(kernel_, {seeds, out}, Push{samples, atoms, rawHash ? 1u : 0u},
                    {(samples + size - 1) / size, atoms});
}

}  // namespace audiosplat::gpu
