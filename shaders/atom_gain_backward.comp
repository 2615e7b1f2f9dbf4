#version 450
// Backward of step 6's gain and norm, s = g u / |u|, and of the taper inside u:
// gm[n] = taper[n] (g / |u|) (dL/ds[n] - u[n] (u . dL/ds) / |u|^2).
// Grid: x over L samples, y over atoms.
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer GradDry { float gDry[]; };  // atoms x L
layout(std430, binding = 2) readonly buffer Mixed { float u[]; };       // atoms x L
layout(std430, binding = 3) readonly buffer Sums { float sums[]; };     // [3]: |u|^2
layout(std430, binding = 4) readonly buffer Dots { float dots[]; };     // per atom
layout(std430, binding = 5) readonly buffer Taper { float taper[]; };   // by samples from the end
layout(std430, binding = 6) writeonly buffer GradMix { float gm[]; };   // atoms x L
layout(push_constant) uniform Push {
  uint samples;  // L
  uint atoms;
  uint taperLength;
  uint dotsStride;
  uint uDotSlot;  // dots[a * dotsStride + uDotSlot] = u . dL/ds
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.samples || a >= p.atoms) return;
  const uint i = a * p.samples + n;
  const uint fromEnd = p.samples - 1u - n;
  const float fade = fromEnd < p.taperLength ? taper[fromEnd] : 1.0;
  const float squared = sums[a * 4u + 3u] + 1e-30;
  const float along = dots[a * p.dotsStride + p.uDotSlot] / squared;
  gm[i] = fade * (atoms[a].gain / sqrt(squared)) * (gDry[i] - u[i] * along);
}
