#version 450
// Backward of step 7 (room) for n < L: dL/ds = (1 - w) g + w corr(R, g) / |R| and the wet
// gain's term s (corr(R, g) / |R| - g), whose sum is dL/dw (by the adjoint identity
// sum g (R * s) = sum s corr(R, g), so the convolution itself is not needed). Atoms without a
// room pass g through with a zero term. Grid: x over L samples, y over atoms.
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer GradOut { float g[]; };       // atoms x P
layout(std430, binding = 2) readonly buffer Correlation { float corr[]; };// atoms x P
layout(std430, binding = 3) readonly buffer Dry { float s[]; };           // atoms x P
layout(std430, binding = 4) writeonly buffer GradDry { float gDry[]; };   // atoms x L
layout(std430, binding = 5) writeonly buffer WetTerm { float wetTerm[]; };// atoms x L
layout(push_constant) uniform Push {
  uint samples;  // L
  uint stride;   // P
  uint atoms;
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.samples || a >= p.atoms) return;
  const uint i = a * p.stride + n, o = a * p.samples + n;
  if (atoms[a].room < 0) {
    gDry[o] = g[i];
    wetTerm[o] = 0.0;
    return;
  }
  const float w = atoms[a].wet;
  gDry[o] = (1.0 - w) * g[i] + w * corr[i];
  wetTerm[o] = s[i] * (corr[i] - g[i]);
}
