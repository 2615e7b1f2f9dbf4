#include "gpu/atom_backward.h"

#include <algorithm>

#include "gpu/atom_kernels.h"
#include "gpu/atom_params.h"
#include "gpu/atom_renderer.h"
#include "gpu/context.h"
#include "gpu/kernel.h"
#include "gpu/real_fft.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

constexpr uint32_t kSensitivityGroup = 4;  // partials per thread (shaders/atom_tonal_sensitivity.comp)

struct Pair {
  uint32_t a, b;
};
struct Triple {
  uint32_t a, b, c;
};
struct Quad {
  uint32_t a, b, c, d;
};
struct Five {
  uint32_t a, b, c, d, e;
};

const Kernel& elementwise(Context& context, const char* shader, uint32_t buffers,
                          uint32_t pushBytes) {
  return context.kernel({.shader = shader, .buffers = buffers, .pushConstantBytes = pushBytes,
                         .workgroupSize = context.workgroupSize(256)});
}

Groups over(const Kernel& kernel, uint32_t elements, uint32_t atoms) {
  const uint32_t size = kernel.spec().workgroupSize;
  return {(elements + size - 1) / size, atoms};
}

// One thread per chunk of the tonal scan: a workgroup is at most the chunks of one atom.
const Kernel& perChunk(Context& context, const char* shader, uint32_t buffers,
                       const AtomRenderer& renderer) {
  return context.kernel({.shader = shader, .buffers = buffers, .pushConstantBytes = sizeof(Triple),
                         .workgroupSize = std::min(context.workgroupSize(64),
                                                   renderer.stages().length / kTonalChunk)});
}

size_t floats(uint32_t atoms, uint32_t perAtom) { return size_t(atoms) * perAtom * 4; }

}  // namespace

AtomBackward::AtomBackward(Context& context, const AtomRenderer& renderer)
    : context_(context),
      renderer_(renderer),
      maxAtoms_(renderer.maxAtoms()),
      placeBackward_(elementwise(context, "atom_place_backward", 5, sizeof(Quad))),
      roomBackward_(elementwise(context, "atom_room_backward", 6, sizeof(Triple))),
      gainBackward_(elementwise(context, "atom_gain_backward", 7, sizeof(Five))),
      mixBackward_(elementwise(context, "atom_mix_backward", 8, sizeof(Five))),
      slopeChunks_(perChunk(context, "atom_tonal_slope_chunks", 3, renderer)),
      slopeCarry_(context.kernel({.shader = "atom_tonal_slope_carry", .buffers = 3,
                                  .pushConstantBytes = sizeof(Pair),
                                  .workgroupSize = context.workgroupSize(kMaxPartials)})),
      sensitivity_(perChunk(context, "atom_tonal_sensitivity", 6, renderer)),
      exciteBackward_(elementwise(context, "atom_excite_backward", 7, sizeof(Pair))),
      bandRmsBackward_(elementwise(context, "atom_band_rms_backward", 5, sizeof(Quad))),
      bandBackward_(elementwise(context, "atom_band_backward", 6, sizeof(Pair))),
      reduce_(elementwise(context, "atom_reduce", 3, sizeof(Five))),
      sumRows_(context.kernel({.shader = "atom_sum_rows", .buffers = 2,
                               .pushConstantBytes = sizeof(Triple),
                               .workgroupSize = context.workgroupSize(64)})),
      gradSource_(context, floats(maxAtoms_, std::max(renderer.stages().length,
                                                       renderer.stages().roomLength))),
      onsetTerm_(context, gradSource_.bytes()),
      gradDry_(context, floats(maxAtoms_, renderer.stages().length)),
      gradMix_(context, gradDry_.bytes()),
      gradTonal_(context, gradDry_.bytes()),
      gradExcitation_(context, gradDry_.bytes()),
      tonalToExc_(context, gradDry_.bytes()),
      spectrum_(context, floats(maxAtoms_, std::max(renderer.stages().length,
                                                    renderer.stages().roomLength) + 2)),
      correlation_(context, renderer.stages().roomLength > 0 ? gradSource_.bytes() : 4),
      reverseStates_(context, floats(maxAtoms_, 2 * kMaxPartials * renderer.stages().length /
                                                    kTonalChunk)),
      chunkSums_(context, floats(maxAtoms_, kPartialValues * kMaxPartials *
                                                renderer.stages().length / kTonalChunk)),
      scalars_(context, floats(maxAtoms_, kSlots + kPartialValues * kMaxPartials)) {
  // Slots no pass writes (spares, the wet gain without rooms) read as 0, never stale memory.
  const std::vector<float> zeros(scalars_.count<float>(), 0.0f);
  scalars_.upload(zeros);
}

void AtomBackward::reduce(Sequence& s, const Buffer& x, const Buffer* y, uint32_t length,
                          uint32_t stride, uint32_t slot, uint32_t count) {
  s.dispatch(reduce_, {x, y ? *y : x, scalars_}, Five{length, stride, slot, kSlots, y ? 1u : 0u},
             Groups{1, 1, count});
}

void AtomBackward::record(Sequence& s, const Buffer& gradient, bool perAtom) {
  const AtomRenderer::Shape shape = renderer_.shape();
  const AtomRenderer::Stages st = renderer_.stages();
  const uint32_t count = shape.atoms, N = shape.segment, L = st.length;
  if (count == 0) return;
  const uint32_t P = shape.rooms ? st.roomLength : L;  // stride of s_r
  const uint32_t chunks = L / kTonalChunk, bins = L / 2 + 1;
  const Buffer& params = st.params;

  // 8. Placement: dL/ds_r and the onset's terms.
  constexpr uint32_t kBlock = 8;  // outputs per thread (shaders/atom_place_backward.comp)
  s.dispatch(placeBackward_, {params, gradient, shape.rooms ? *st.wet : st.dry, gradSource_,
                              onsetTerm_},
             Quad{N, P, count, perAtom ? N : 0u}, over(placeBackward_, (P + kBlock - 1) / kBlock, count));
  reduce(s, onsetTerm_, nullptr, P, P, OnsetSum, count);

  // 7. Room: corr(R, dL/ds_r) / |R| by FFT, then dL/ds and the wet gain's terms.
  const Buffer* gradDry = &gradSource_;
  if (shape.rooms) {
    const uint32_t roomBins = P / 2 + 1;
    st.roomFft->recordForward(s, gradSource_, spectrum_, count);
    st.kernels.roomMultiply(s, params, spectrum_, *st.roomSpectra, roomBins, count, true);
    st.roomFft->recordInverse(s, spectrum_, correlation_, count, 1.0f / float(P));
    s.dispatch(roomBackward_, {params, gradSource_, correlation_, st.dry, gradDry_, onsetTerm_},
               Triple{L, P, count}, over(roomBackward_, L, count));
    reduce(s, onsetTerm_, nullptr, L, L, WetSum, count);
    gradDry = &gradDry_;
  }

  // 6. Gain and norm, then the mix.
  reduce(s, st.mixed, gradDry, L, L, MixedDot, count);
  s.dispatch(gainBackward_, {params, *gradDry, st.mixed, st.sums, scalars_, st.taper, gradMix_},
             Five{L, count, AtomKernels::kTaperLength, kSlots, MixedDot},
             over(gainBackward_, L, count));
  reduce(s, gradMix_, &st.tonal, L, L, TonalDot, count);
  reduce(s, gradMix_, &st.excitation, L, L, ExcitationDot, count);
  s.dispatch(mixBackward_, {params, gradMix_, st.excitation, st.tonal, st.sums, scalars_,
                            gradTonal_, gradExcitation_},
             Five{L, count, kSlots, TonalDot, ExcitationDot}, over(mixBackward_, L, count));

  // 5. Tonal part: dL/de by the reverse scan; then the scan of d_j = dc_j/dp_j (in
  // reverseStates_, free again) and the poles' and amplitudes' sums.
  st.kernels.tonal(s, params, gradTonal_, reverseStates_, tonalToExc_, count,
                   AtomKernels::Scan::Reverse);
  const uint32_t partialGroups = kMaxPartials / kPartialGroup;
  const Groups perChunkGroup{chunks / slopeChunks_.spec().workgroupSize, partialGroups, count};
  s.dispatch(slopeChunks_, {params, st.excitation, reverseStates_}, Triple{L, kTonalChunk, chunks},
             perChunkGroup);
  s.dispatch(slopeCarry_, {params, st.states, reverseStates_}, Pair{kTonalChunk, chunks},
             over(slopeCarry_, kMaxPartials, count));
  s.dispatch(sensitivity_, {params, st.excitation, gradTonal_, st.states, reverseStates_,
                            chunkSums_},
             Triple{L, kTonalChunk, chunks},
             Groups{perChunkGroup.x, kMaxPartials / kSensitivityGroup, count});
  const uint32_t rows = count * kMaxPartials * kPartialValues;
  s.dispatch(sumRows_, {chunkSums_, scalars_}, Triple{rows, chunks, partialOffset()},
             over(sumRows_, rows, 1));

  // 3. Envelope: dL/dbh into gradDry_ (free again), the terms into onsetTerm_ and gradMix_.
  s.dispatch(exciteBackward_, {params, gradExcitation_, tonalToExc_, st.excitation, gradDry_,
                               onsetTerm_, gradMix_},
             Pair{L, count}, over(exciteBackward_, L, count));
  reduce(s, onsetTerm_, nullptr, L, L, EnvelopeA, count);
  reduce(s, gradMix_, nullptr, L, L, EnvelopeB, count);

  // 2. Band: the RMS normalisation, then the gains' terms from rfft(dL/db).
  reduce(s, st.band, &gradDry_, L, L, BandDot, count);
  s.dispatch(bandRmsBackward_, {gradDry_, st.band, st.sums, scalars_, gradExcitation_},
             Quad{L, count, kSlots, BandDot}, over(bandRmsBackward_, L, count));
  st.fft.recordForward(s, gradExcitation_, spectrum_, count);
  s.dispatch(bandBackward_, {params, st.noiseSpectra, st.log2Table, spectrum_, onsetTerm_,
                             gradMix_},
             Pair{bins, count}, over(bandBackward_, bins, count));
  reduce(s, onsetTerm_, nullptr, bins, bins, BandA, count);
  reduce(s, gradMix_, nullptr, bins, bins, BandB, count);
}

std::vector<float> AtomBackward::readScalars(uint32_t atoms) const {
  std::vector<float> out(partialOffset() + size_t(atoms) * kMaxPartials * kPartialValues);
  scalars_.read(0, out.data(), size_t(atoms) * kSlots * 4);
  scalars_.read(size_t(partialOffset()) * 4, out.data() + partialOffset(),
                size_t(atoms) * kMaxPartials * kPartialValues * 4);
  return out;
}

}  // namespace audiosplat::gpu
