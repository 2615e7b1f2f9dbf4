#version 450
// Backward of step 5, pass 2 of the chunked scan of d_j: turns each chunk's end state (from
// zero) into the state entering it. From a chunk's entering states (c, d), C steps without
// input give p^C d + C p^(C-1) c, so d_in(k+1) = p^C d_in(k) + C p^(C-1) c_in(k) + d_end(k),
// with c_in from the forward scan. Grid: x over partials, y over atoms.
#include "atom_params.glsl"
#include "complex.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer States { vec2 entering[]; };  // c_in: atoms x 64 x chunks
layout(std430, binding = 2) buffer Slopes { vec2 slopes[]; };            // atoms x 64 x chunks
layout(push_constant) uniform Push {
  uint chunk;
  uint chunks;
} p;

vec2 cdiv(vec2 a, vec2 b) { return vec2(a.x * b.x + a.y * b.y, a.y * b.x - a.x * b.y) / dot(b, b); }

void main() {
  const uint j = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (j >= atoms[a].partials) return;
  const vec2 pole = atoms[a].poles[j].xy, step = atoms[a].poles[j].zw;
  // C p^(C-1). A heavily damped partial's |p|^2 underflows (|p| = e^-52 for a decay rate of
  // 52 fs), and then p^(C-1) is zero in float anyway, where p^C / p would be 0 / 0.
  const vec2 cGain = dot(pole, pole) > 1e-30 ? float(p.chunk) * cdiv(step, pole) : vec2(0.0);
  const uint base = (a * ATOM_MAX_PARTIALS + j) * p.chunks;
  vec2 carry = vec2(0.0);
  for (uint k = 0u; k < p.chunks; ++k) {
    const vec2 end = slopes[base + k];
    slopes[base + k] = carry;
    carry = cmul(step, carry) + cmul(cGain, entering[base + k]) + end;
  }
}
