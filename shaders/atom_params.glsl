// Per-atom parameters of the atom renderer, computed in double on the CPU and uploaded once
// per render (engine/gpu/atom_params.h mirrors this std430 layout field for field).
#ifndef AUDIOSPLAT_ATOM_PARAMS_GLSL
#define AUDIOSPLAT_ATOM_PARAMS_GLSL

const uint ATOM_MAX_PARTIALS = 64u;
const uint ATOM_TAPS = 16u;          // fractional-delay taps: d = i - 7 for tap i
const uint ENVELOPE_GAMMA = 0u;
const uint ENVELOPE_DECAY = 1u;      // gamma with k == 1: exp(-tau / theta)
const uint ENVELOPE_GAUSSIAN = 2u;

struct AtomParams {
  uint slot;           // noise spectrum cache slot
  uint envelope;       // ENVELOPE_*
  uint partials;       // audible partials: entries of poles and amplitudes
  int room;            // room index, -1 for none (or a silent room)
  vec2 bandOffset;     // log2(fs / (L fc)) as hi + lo: log2(f_q / fc) = log2 q + bandOffset
  float bandInvWidth;  // 1 / bw
  float envShape;      // gamma: k - 1; gaussian: sqrt(k)
  float envRate;       // per sample: gamma 1 / (fs tp), tp = (k - 1) theta; decay
                       // 1 / (fs theta); gaussian 1 / (fs sqrt(k) theta)
  float tonalMix;      // m
  float gain;          // g
  float wet;           // w
  int onset;           // whole part of the onset in samples, relative to the segment start
  uint span;           // samples of s_r: L, or L + len(R) - 1 with a room
  int first;           // output samples [first, last) of the segment it may touch
  int last;
  float taps[ATOM_TAPS];                // K(i - 7 - fraction)
  vec4 poles[ATOM_MAX_PARTIALS];        // (p_j, p_j^chunk) as complex numbers
  float amplitudes[ATOM_MAX_PARTIALS];  // a_j
  float slopes[ATOM_TAPS];              // K'(i - 7 - fraction), for the onset's gradient
};

// The tonal kernels run partials in groups of 8 per thread (independent recurrences in
// registers, one excitation load for 8). Entries from `partials` to the group's end are zero
// (pole 0, amplitude 0), so they add nothing.
const uint ATOM_PARTIAL_GROUP = 8u;
uint atomPartialGroups(uint partials) {
  return (partials + ATOM_PARTIAL_GROUP - 1u) / ATOM_PARTIAL_GROUP;
}

#define ATOM_PARAMS_BUFFER(b) \
  layout(std430, binding = b) readonly buffer Atoms { AtomParams atoms[]; };

#endif
