#version 450
// Step 3: e[n] = env(n / fs) b[n] / rms(b), the envelope peak-normalised as in
// engine/model/atom_pipeline.cpp: gamma exp((k - 1)(ln t - t + 1)) with t = tau / tp,
// gaussian exp(-z^2 / 2), z = tau / (sqrt(k) theta) - sqrt(k). The rate per sample comes from
// the CPU so that t and z round once; exp and ln are atom_math.glsl's (see there why).
// Grid: x over samples, y over atoms.
#include "atom_math.glsl"
#include "atom_params.glsl"

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
  const float elapsed = float(n);  // samples since the atom start
  const float shape = atoms[a].envShape, rate = atoms[a].envRate;
  float env;
  if (atoms[a].envelope == ENVELOPE_DECAY) {  // gamma with k = 1
    env = accurateExp(-elapsed * rate);
  } else if (atoms[a].envelope == ENVELOPE_GAUSSIAN) {
    const float z = elapsed * rate - shape;
    env = accurateExp(-0.5 * z * z);
  } else {
    env = n == 0u ? 0.0 : accurateExp(shape * logMinusLinear(elapsed * rate));
  }
  const float rms = sqrt(sums[a * 4u] / float(p.samples) + 1e-30);
  e[a * p.samples + n] = env * band[a * p.samples + n] / rms;
}
