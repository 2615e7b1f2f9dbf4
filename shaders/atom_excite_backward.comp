#version 450
// Backward of step 3, e = env bh with bh = b / rms(b): with ge = dL/de (the mix's direct part
// plus the tonal part's), dL/dbh = ge env, and the envelope's parameters through
// w = ge e = dL/d(ln env) times per-sample factors of u = n rate (atom_envelope.glsl):
//   gamma:    dL/dk = sum w ln u,                dL/dtheta = (k - 1)/theta sum w (u - 1)
//   decay:    dL/dk = 0 (as the reference),      dL/dtheta = 1/theta sum w u
//   gaussian: z = u - sqrt(k), dL/dk = 0.5/k sum w z u + 0.5/sqrt(k) sum w z,
//             dL/dtheta = 1/theta sum w z u
// termA and termB hold the two per-sample sums' terms (gamma: ln u, u - 1; decay: 0, u;
// gaussian: z u, z); the CPU applies the constants. Grid: x over L samples, y over atoms.
#include "atom_envelope.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer GradDirect { float geDirect[]; };  // atoms x L
layout(std430, binding = 2) readonly buffer GradTonal { float geTonal[]; };    // atoms x L
layout(std430, binding = 3) readonly buffer Excitation { float e[]; };         // atoms x L
layout(std430, binding = 4) writeonly buffer GradUnitBand { float gbh[]; };    // atoms x L
layout(std430, binding = 5) writeonly buffer TermA { float termA[]; };         // atoms x L
layout(std430, binding = 6) writeonly buffer TermB { float termB[]; };         // atoms x L
layout(push_constant) uniform Push {
  uint samples;  // L
  uint atoms;
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.samples || a >= p.atoms) return;
  const uint i = a * p.samples + n;
  const uint kind = atoms[a].envelope;
  const float shape = atoms[a].envShape, rate = atoms[a].envRate;
  const float ge = geDirect[i] + geTonal[i];
  gbh[i] = ge * atomEnvelope(kind, shape, rate, n);
  const float w = ge * e[i];
  const float u = float(n) * rate;
  float A = 0.0, B = 0.0;
  if (kind == ENVELOPE_DECAY) {
    B = w * u;
  } else if (kind == ENVELOPE_GAUSSIAN) {
    const float z = u - shape;
    A = w * z * u;
    B = w * z;
  } else if (n > 0u) {
    A = w * log(u);
    B = w * (u - 1.0);
  }
  termA[i] = A;
  termB[i] = B;
}
