#version 450
// Step 6, mix: u[n] = taper[n] ((1 - m) e[n] / |e| + m y[n] / |y|), |v| = sqrt(sum v^2 + 1e-30).
// The 256-sample end taper is a table made in double (a GPU's cos may be 2^-11 off).
// Grid: x over samples, y over atoms.
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Excitation { float e[]; };  // atoms x L
layout(std430, binding = 2) readonly buffer Tonal { float y[]; };       // atoms x L
layout(std430, binding = 3) readonly buffer Sums { float sums[]; };     // [1]: |e|^2, [2]: |y|^2
layout(std430, binding = 4) readonly buffer Taper { float taper[]; };   // by samples from the end
layout(std430, binding = 5) writeonly buffer Mixed { float u[]; };      // atoms x L
layout(push_constant) uniform Push {
  uint samples;  // L
  uint atoms;
  uint taperLength;
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.samples || a >= p.atoms) return;
  const uint i = a * p.samples + n;
  const uint fromEnd = p.samples - 1u - n;
  const float fade = fromEnd < p.taperLength ? taper[fromEnd] : 1.0;
  const float m = atoms[a].tonalMix;
  const float eNorm = sqrt(sums[a * 4u + 1u] + 1e-30), yNorm = sqrt(sums[a * 4u + 2u] + 1e-30);
  u[i] = fade * ((1.0 - m) * (e[i] / eNorm) + m * (y[i] / yNorm));
}
