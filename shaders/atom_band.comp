#version 450
// Step 2, band filter: F_q = G_q Z_q with G_q = exp(-0.5 ((log2 q + bandOffset) / bw)^2),
// G_0 = 0, Z the atom's cached noise spectrum. log2 q (a table) and bandOffset come from the
// CPU in double as hi + lo floats: where the band is, log2 q ~ -bandOffset, the hi parts
// cancel exactly and the sum keeps ~1e-12 absolute instead of one ulp of 14, which a narrow
// band (1/bw = 20) would amplify. Grid: x over bins, y over atoms.
#include "atom_math.glsl"
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Cache { vec2 cache[]; };    // slots x bins
layout(std430, binding = 2) readonly buffer Log2 { vec2 log2q[]; };     // bins, hi + lo
layout(std430, binding = 3) writeonly buffer Out { vec2 filtered[]; };  // atoms x bins
layout(push_constant) uniform Push {
  uint bins;  // L/2 + 1
  uint atoms;
} p;

void main() {
  const uint q = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (q >= p.bins || a >= p.atoms) return;
  float gain = 0.0;
  if (q > 0u) {
    const vec2 offset = atoms[a].bandOffset;
    const float v = ((log2q[q].x + offset.x) + (log2q[q].y + offset.y)) * atoms[a].bandInvWidth;
    gain = accurateExp(-0.5 * v * v);
  }
  filtered[a * p.bins + q] = gain * cache[atoms[a].slot * p.bins + q];
}
