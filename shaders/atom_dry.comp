#version 450
// Step 6, gain: s[n] = g u[n] / |u| for n < L, zero from L to the stride (the room FFT's
// padding). Grid: x over the stride, y over atoms.
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Mixed { float u[]; };   // atoms x L
layout(std430, binding = 2) readonly buffer Sums { float sums[]; }; // [3]: |u|^2
layout(std430, binding = 3) writeonly buffer Dry { float s[]; };    // atoms x stride
layout(push_constant) uniform Push {
  uint samples;  // L
  uint stride;
  uint atoms;
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.stride || a >= p.atoms) return;
  float value = 0.0;
  if (n < p.samples)
    value = atoms[a].gain * (u[a * p.samples + n] / sqrt(sums[a * 4u + 3u] + 1e-30));
  s[a * p.stride + n] = value;
}
