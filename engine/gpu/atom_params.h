#pragma once
// The per-atom parameter block of the atom renderer's kernels, in the std430 layout of
// shaders/atom_params.glsl. Everything that needs a transcendental function or care is
// computed here in double (partial table, poles, envelope rates, delay taps), so that the
// kernels do plain float arithmetic and the result does not depend on a GPU's exp or cos.
#include <cstddef>
#include <cstdint>

#include "model/atom_set.h"

namespace audiosplat::gpu {

constexpr uint32_t kAtomTaps = 16;    // fractional-delay taps (docs/atom-model.md, step 8)
// Samples per chunk of the tonal scan (step 5). Float drift grows with the run length: 64
// measured 2-3x more accurate than 256, and gives a GPU 4x the threads.
constexpr uint32_t kTonalChunk = 64;
constexpr uint32_t kPartialGroup = 8; // partials per thread in the scan; the table's entries
                                      // past the audible ones are zero

enum class EnvelopeKind : uint32_t { Gamma = 0, Decay = 1, Gaussian = 2 };

struct AtomParams {
  uint32_t slot;         // noise spectrum cache slot
  EnvelopeKind envelope;
  uint32_t partials;     // audible partials: entries of poles and amplitudes
  int32_t room;          // -1: none (or a silent room)
  float bandOffset[2];   // log2(fs / (L fc)) as hi + lo
  float bandInvWidth;    // 1 / bw
  float envShape;        // gamma: k - 1; gaussian: sqrt(k)
  float envRate;         // per sample: gamma 1 / (fs (k - 1) theta), decay 1 / (fs theta),
                         // gaussian 1 / (fs sqrt(k) theta)
  float tonalMix;
  float gain;
  float wet;
  int32_t onset;         // whole onset in samples relative to the segment start
  uint32_t span;         // samples of s_r
  int32_t first, last;   // output samples of the segment it may touch
  float taps[kAtomTaps];
  float poles[kMaxPartials][4];  // p_j and p_j^kTonalChunk, (re, im) each
  float amplitudes[kMaxPartials];
  float slopes[kAtomTaps];       // K'(i - 7 - fraction): the onset's gradient
};
static_assert(offsetof(AtomParams, taps) == 64 && offsetof(AtomParams, poles) == 128 &&
              offsetof(AtomParams, amplitudes) == 1152 && offsetof(AtomParams, slopes) == 1408 &&
              sizeof(AtomParams) == 1472,
              "must match shaders/atom_params.glsl");

// x as hi + lo floats: hi = float(x), lo = float(x - hi).
void splitDouble(double x, float out[2]);

// The block of atom for the segment [start, start + segment) of a document with context's
// rate, atom length and rooms. Throws std::invalid_argument for a room index out of range or
// more than kMaxPartials partials.
AtomParams packAtom(const Atom& atom, const AtomSet& context, int64_t start, uint32_t segment,
                    uint32_t slot);

// The room an atom is sent through, or null (none, or a room whose impulse is silent).
const Room* effectiveRoom(const Atom& atom, const AtomSet& context);

}  // namespace audiosplat::gpu
