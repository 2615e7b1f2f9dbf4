#version 450
// Step 3: e[n] = env(n / fs) b[n] / rms(b), env as atom_envelope.glsl.
// Grid: x over samples, y over atoms.
#include "atom_envelope.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Band { float band[]; };       // atoms x L
layout(std430, binding = 2) readonly buffer Sums { float sums[]; };       // [0]: sum b^2
layout(std430, binding = 3) writeonly buffer Excitation { float e[]; };   // atoms x L
layout(push_constant) uniform Push {
  uint samples;  // L
  uint atoms;
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.samples || a >= p.atoms) return;
  const float env = atomEnvelope(atoms[a].envelope, atoms[a].envShape, atoms[a].envRate, n);
  const float rms = sqrt(sums[a * 4u] / float(p.samples) + 1e-30);
  e[a * p.samples + n] = env * band[a * p.samples + n] / rms;
}
