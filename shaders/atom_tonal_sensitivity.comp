#version 450
#extension GL_EXT_control_flow_attributes : require
// Backward of step 5 for partial j's pole and amplitude (docs/atom-model.md, "Gradients"):
//   S_j = sum_n dL/dy[n] d_j[n]  (d_j = dc_j/dp_j)  and  A_j = sum_n dL/dy[n] Im c_j[n] = dL/da_j,
// per chunk from the states entering it (c_j from the forward scan, d_j from
// atom_tonal_slope_carry.comp), 4 partials per thread. Each chunk's sums go to
// sums[((a * 64 + j) * 3 + part) * chunks + k] (part: Re S, Im S, A) for atom_sum_rows.comp;
// partials past the audible ones give zeros. No shared memory and no barrier: on lavapipe a
// barrier turns the whole kernel into a slow coroutine (measured 4x).
// Grid: x over chunks, y over groups of 4 partials, z over atoms.
#include "atom_params.glsl"
#include "complex.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Excitation { float e[]; };     // atoms x L
layout(std430, binding = 2) readonly buffer GradTonal { float gy[]; };     // atoms x L
layout(std430, binding = 3) readonly buffer States { vec2 entering[]; };   // c_in: atoms x 64 x chunks
layout(std430, binding = 4) readonly buffer Slopes { vec2 slopes[]; };     // d_in: atoms x 64 x chunks
layout(std430, binding = 5) writeonly buffer Sums { float sums[]; };       // atoms x 64 x 3 x groups
layout(push_constant) uniform Push {
  uint samples;  // L
  uint chunk;
  uint chunks;
} p;

// 4 partials per thread, not the forward scan's 8: three states each would not fit in registers.
const uint GROUP = 4u;

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint group = gl_WorkGroupID.y;
  const uint a = gl_WorkGroupID.z;
  if (k >= p.chunks) return;
  const uint j0 = group * GROUP;
  vec3 total[GROUP];  // (Re S, Im S, A) per partial of the group
  [[unroll]] for (uint i = 0u; i < GROUP; ++i) total[i] = vec3(0.0);
  if (j0 < atoms[a].partials) {
    vec2 pole[GROUP], c[GROUP], d[GROUP];
    [[unroll]] for (uint i = 0u; i < GROUP; ++i) {
      const uint state = (a * ATOM_MAX_PARTIALS + j0 + i) * p.chunks + k;
      pole[i] = atoms[a].poles[j0 + i].xy;
      c[i] = entering[state];
      d[i] = slopes[state];
    }
    const uint base = a * p.samples + k * p.chunk;
    for (uint n = 0u; n < p.chunk; ++n) {
      const vec2 x = vec2(e[base + n], 0.0);
      const float g = gy[base + n];
      [[unroll]] for (uint i = 0u; i < GROUP; ++i) {
        d[i] = cmul(pole[i], d[i]) + c[i];
        c[i] = cmul(pole[i], c[i]) + x;
        total[i] += g * vec3(d[i], c[i].y);
      }
    }
  }
  [[unroll]] for (uint i = 0u; i < GROUP; ++i) {
    const uint row = (a * ATOM_MAX_PARTIALS + j0 + i) * 3u;
    sums[row * p.chunks + k] = total[i].x;
    sums[(row + 1u) * p.chunks + k] = total[i].y;
    sums[(row + 2u) * p.chunks + k] = total[i].z;
  }
}
