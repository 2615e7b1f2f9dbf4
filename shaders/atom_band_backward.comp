#version 450
// Backward of step 2's band gains G_q = exp(-v^2 / 2), v = log2(f_q / fc) / bw, given
// Q = rfft(dL/db): dL/dG_q = (c_q / L) Re(Z_q conj(Q_q)) with c_q = 1 at Nyquist, 2 below
// (G_0 = 0 is constant). termA = dL/dG G v and termB = dL/dG G v^2; the CPU turns their
// sums into dL/dfc = sum A / (bw fc ln 2) and dL/dbw = sum B / bw.
// Grid: x over bins, y over atoms.
#include "atom_math.glsl"
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Cache { vec2 cache[]; };      // slots x bins: Z
layout(std430, binding = 2) readonly buffer Log2 { vec2 log2q[]; };       // bins, hi + lo
layout(std430, binding = 3) readonly buffer Gradient { vec2 Q[]; };       // atoms x bins
layout(std430, binding = 4) writeonly buffer TermA { float termA[]; };    // atoms x bins
layout(std430, binding = 5) writeonly buffer TermB { float termB[]; };    // atoms x bins
layout(push_constant) uniform Push {
  uint bins;  // L/2 + 1
  uint atoms;
} p;

void main() {
  const uint q = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (q >= p.bins || a >= p.atoms) return;
  const uint i = a * p.bins + q;
  float A = 0.0, B = 0.0;
  if (q > 0u) {
    const vec2 offset = atoms[a].bandOffset;
    const float v = ((log2q[q].x + offset.x) + (log2q[q].y + offset.y)) * atoms[a].bandInvWidth;
    const float G = accurateExp(-0.5 * v * v);
    const vec2 Z = cache[atoms[a].slot * p.bins + q];
    const float weight = (q == p.bins - 1u ? 1.0 : 2.0) / float(2u * (p.bins - 1u));
    const float gG = weight * (Z.x * Q[i].x + Z.y * Q[i].y);
    A = gG * G * v;
    B = A * v;
  }
  termA[i] = A;
  termB[i] = B;
}
