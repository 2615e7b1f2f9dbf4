#pragma once
// Kernel shaders/atom_pack.comp: gpu::packAtom on the device, so that a fit whose atoms live
// in a device buffer (AtomState, gpu/atom_state.h) renders them without a trip to the host.
// In double, as packAtom computes; the floats match the CPU's (tests/gpu/test_atom_pack.cpp).
// Needs a device with doubles in shaders (Limits::float64).
#include <cstdint>

namespace audiosplat::gpu {

class Buffer;
class Context;
class Kernel;
class Sequence;

class AtomPack {
 public:
  // Throws GpuError when the device has no doubles in shaders.
  explicit AtomPack(Context& context);

  // Records params[a] = packAtom(the atom in states[a]) for a < count over the segment
  // [segmentStart, segmentStart + segment) at sampleRate with atom length atomLength, keeping
  // each entry's slot, room and span: AtomRenderer::prepare() writes those, and they change
  // only with the discrete choices. states: count AtomState; params: count AtomParams.
  void record(Sequence& sequence, const Buffer& states, Buffer& params, uint32_t count,
              double sampleRate, uint32_t atomLength, int64_t segmentStart,
              uint32_t segment) const;

 private:
  const Kernel& kernel_;
};

}  // namespace audiosplat::gpu
