#version 450
// Step 7, in the frequency domain: S_q R_q / |R| for atoms with a room (the room spectra come
// from the CPU in double, already divided by |R|), 0 for the others. With `conjugate`,
// S_q conj(R_q) / |R|: the correlation with R that the backward pass needs.
// Grid: x over bins, y over atoms.
#include "atom_params.glsl"
#include "complex.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) buffer Spectrum { vec2 spectrum[]; };          // atoms x bins
layout(std430, binding = 2) readonly buffer Rooms { vec2 roomSpectrum[]; }; // rooms x bins
layout(push_constant) uniform Push {
  uint bins;  // P/2 + 1
  uint atoms;
  uint conjugate;
} p;

void main() {
  const uint q = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (q >= p.bins || a >= p.atoms) return;
  const int room = atoms[a].room;
  const uint i = a * p.bins + q;
  spectrum[i] = room < 0 ? vec2(0.0) : cmul(spectrum[i], p.conjugate == 0u ? roomSpectrum[uint(room) * p.bins + q]
                                                                 : cconj(roomSpectrum[uint(room) * p.bins + q]));
}
