#include "gpu/atom_kernels.h"

#include <algorithm>

#include "gpu/atom_params.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

struct Pair {
  uint32_t a, b;
};
struct Triple {
  uint32_t a, b, c;
};
struct Quad {
  uint32_t a, b, c, d;
};

const Kernel& make(Context& context, const char* shader, uint32_t buffers, uint32_t pushBytes,
                   uint32_t workgroupSize) {
  return context.kernel({.shader = shader, .buffers = buffers, .pushConstantBytes = pushBytes,
                         .workgroupSize = workgroupSize});
}

// Element-wise kernels: 256 threads, grid x over the elements, y over atoms.
const Kernel& elementwise(Context& context, const char* shader, uint32_t buffers,
                          uint32_t pushBytes) {
  return make(context, shader, buffers, pushBytes, context.workgroupSize(256));
}

Groups over(const Kernel& kernel, uint32_t elements, uint32_t atoms) {
  const uint32_t size = kernel.spec().workgroupSize;
  return {(elements + size - 1) / size, atoms};
}

}  // namespace

AtomKernels::AtomKernels(Context& context, uint32_t atomLength)
    : length_(atomLength),
      chunks_(atomLength / kTonalChunk),
      band_(elementwise(context, "atom_band", 4, sizeof(Pair))),
      sumSquares_(elementwise(context, "atom_sum_squares", 2, sizeof(Triple))),
      excite_(elementwise(context, "atom_excite", 4, sizeof(Pair))),
      // One thread per chunk: a workgroup is at most the chunks of one atom.
      tonalChunks_(make(context, "atom_tonal_chunks", 3, sizeof(Quad),
                        std::min(context.workgroupSize(64), chunks_))),
      tonalCarry_(make(context, "atom_tonal_carry", 2, sizeof(uint32_t),
                       context.workgroupSize(kMaxPartials))),
      tonalSum_(make(context, "atom_tonal_sum", 4, sizeof(Quad),
                     std::min(context.workgroupSize(64), chunks_))),
      mix_(elementwise(context, "atom_mix", 6, sizeof(Triple))),
      dry_(elementwise(context, "atom_dry", 4, sizeof(Triple))),
      roomMultiply_(elementwise(context, "atom_room_multiply", 3, sizeof(Triple))),
      roomMix_(elementwise(context, "atom_room_mix", 3, sizeof(Pair))),
      place_(elementwise(context, "atom_place", 3, sizeof(Triple))),
      mixdown_(elementwise(context, "atom_mixdown", 2, sizeof(Pair))) {}

void AtomKernels::band(Sequence& s, const Buffer& atoms, const Buffer& cache,
                       const Buffer& log2Table, Buffer& filtered, uint32_t count) const {
  const uint32_t bins = length_ / 2 + 1;
  s.dispatch(band_, {atoms, cache, log2Table, filtered}, Pair{bins, count},
             over(band_, bins, count));
}

void AtomKernels::sumSquares(Sequence& s, const Buffer& in, Buffer& sums, SumOf index,
                             uint32_t length, uint32_t stride, uint32_t count) const {
  s.dispatch(sumSquares_, {in, sums}, Triple{length, stride, uint32_t(index)}, Groups{1, count});
}

void AtomKernels::excite(Sequence& s, const Buffer& atoms, const Buffer& band, const Buffer& sums,
                         Buffer& excitation, uint32_t count) const {
  s.dispatch(excite_, {atoms, band, sums, excitation}, Pair{length_, count},
             over(excite_, length_, count));
}

void AtomKernels::tonal(Sequence& s, const Buffer& atoms, const Buffer& excitation, Buffer& states,
                        Buffer& tonal, uint32_t count, Scan scan) const {
  const Quad push{length_, kTonalChunk, chunks_, uint32_t(scan)};
  const uint32_t groups = kMaxPartials / kPartialGroup;
  s.dispatch(tonalChunks_, {atoms, excitation, states}, push,
             Groups{chunks_ / tonalChunks_.spec().workgroupSize, groups, count});
  s.dispatch(tonalCarry_, {atoms, states}, chunks_, over(tonalCarry_, kMaxPartials, count));
  s.dispatch(tonalSum_, {atoms, excitation, states, tonal}, push,
             Groups{chunks_ / tonalSum_.spec().workgroupSize, count});
}

void AtomKernels::mix(Sequence& s, const Buffer& atoms, const Buffer& excitation,
                      const Buffer& tonal, const Buffer& sums, const Buffer& taper, Buffer& mixed,
                      uint32_t count) const {
  s.dispatch(mix_, {atoms, excitation, tonal, sums, taper, mixed},
             Triple{length_, count, kTaperLength}, over(mix_, length_, count));
}

void AtomKernels::dry(Sequence& s, const Buffer& atoms, const Buffer& mixed, const Buffer& sums,
                      Buffer& dry, uint32_t stride, uint32_t count) const {
  s.dispatch(dry_, {atoms, mixed, sums, dry}, Triple{length_, stride, count},
             over(dry_, stride, count));
}

void AtomKernels::roomMultiply(Sequence& s, const Buffer& atoms, Buffer& spectrum,
                               const Buffer& rooms, uint32_t bins, uint32_t count,
                               bool conjugate) const {
  s.dispatch(roomMultiply_, {atoms, spectrum, rooms}, Triple{bins, count, conjugate ? 1u : 0u},
             over(roomMultiply_, bins, count));
}

void AtomKernels::roomMix(Sequence& s, const Buffer& atoms, const Buffer& dry, Buffer& wet,
                          uint32_t stride, uint32_t count) const {
  s.dispatch(roomMix_, {atoms, dry, wet}, Pair{stride, count}, over(roomMix_, stride, count));
}

void AtomKernels::place(Sequence& s, const Buffer& atoms, const Buffer& source, Buffer& placed,
                        uint32_t stride, uint32_t segment, uint32_t count) const {
  constexpr uint32_t kBlock = 8;  // outputs per thread (shaders/atom_place.comp)
  s.dispatch(place_, {atoms, source, placed}, Triple{segment, stride, count},
             over(place_, (segment + kBlock - 1) / kBlock, count));
}

void AtomKernels::mixdown(Sequence& s, const Buffer& placed, Buffer& out, uint32_t segment,
                          uint32_t count) const {
  s.dispatch(mixdown_, {placed, out}, Pair{segment, count}, over(mixdown_, segment, 1));
}

}  // namespace audiosplat::gpu
