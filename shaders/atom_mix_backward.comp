#version 450
// Backward of step 6's mix u = taper ((1 - m) e / |e| + m y / |y|), given gm = dL/d(u / taper):
// dL/dy = (m / |y|) (gm - y (y . gm) / |y|^2), and the direct part of dL/de likewise with
// 1 - m and e. Grid: x over L samples, y over atoms.
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer GradMix { float gm[]; };     // atoms x L
layout(std430, binding = 2) readonly buffer Excitation { float e[]; };   // atoms x L
layout(std430, binding = 3) readonly buffer Tonal { float y[]; };        // atoms x L
layout(std430, binding = 4) readonly buffer Sums { float sums[]; };      // [1]: |e|^2, [2]: |y|^2
layout(std430, binding = 5) readonly buffer Dots { float dots[]; };      // per atom
layout(std430, binding = 6) writeonly buffer GradTonal { float gy[]; };  // atoms x L
layout(std430, binding = 7) writeonly buffer GradExc { float ge[]; };    // atoms x L
layout(push_constant) uniform Push {
  uint samples;  // L
  uint atoms;
  uint dotsStride;
  uint tonalDotSlot;       // y . gm
  uint excitationDotSlot;  // e . gm
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.samples || a >= p.atoms) return;
  const uint i = a * p.samples + n;
  const float m = atoms[a].tonalMix;
  const float ySquared = sums[a * 4u + 2u] + 1e-30, eSquared = sums[a * 4u + 1u] + 1e-30;
  const float yAlong = dots[a * p.dotsStride + p.tonalDotSlot] / ySquared;
  const float eAlong = dots[a * p.dotsStride + p.excitationDotSlot] / eSquared;
  gy[i] = (m / sqrt(ySquared)) * (gm[i] - y[i] * yAlong);
  ge[i] = ((1.0 - m) / sqrt(eSquared)) * (gm[i] - e[i] * eAlong);
}
