#version 450
// Step 7: s_r = (1 - w) s + w (R * s) / |R| in place of the wet signal (whose circular
// convolution over P >= L + len(R) - 1 samples is the linear one); s_r = s without a room.
// Grid: x over the P samples, y over atoms.
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Dry { float s[]; };  // atoms x P, zero from L
layout(std430, binding = 2) buffer Wet { float wet[]; };         // atoms x P
layout(push_constant) uniform Push {
  uint stride;  // P
  uint atoms;
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.stride || a >= p.atoms) return;
  const uint i = a * p.stride + n;
  const float w = atoms[a].wet;
  wet[i] = atoms[a].room < 0 ? s[i] : (1.0 - w) * s[i] + w * wet[i];
}
