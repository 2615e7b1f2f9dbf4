#version 450
#extension GL_EXT_control_flow_attributes : require
// Step 5, pass 3 of the chunked scan: reruns the partials over the chunk from the states
// entering it and accumulates y[n] = sum_j a_j Im c_j[n], 8 partials at a time. Each thread
// owns its chunk of y, so no two threads write the same sample. With `reverse`, the mirrored
// scan (atom_tonal_chunks.comp) gives the backward pass's dL/de[i] = sum_j a_j Im r_j[i].
// Grid: x over chunks, y over atoms.
#include "atom_params.glsl"
#include "atom_tonal_order.glsl"
#include "complex.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Excitation { float e[]; };  // atoms x L
layout(std430, binding = 2) readonly buffer States { vec2 states[]; };  // atoms x 64 x chunks
layout(std430, binding = 3) buffer Tonal { float y[]; };                // atoms x L
TONAL_SCAN_PUSH

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (k >= p.chunks) return;
  const uint base = a * p.samples;
  const uint groups = atomPartialGroups(atoms[a].partials);
  if (groups == 0u)
    for (uint n = 0u; n < p.chunk; ++n) y[base + scanSample(k, n)] = 0.0;
  for (uint group = 0u; group < groups; ++group) {
    const uint j0 = group * ATOM_PARTIAL_GROUP;
    vec2 pole[ATOM_PARTIAL_GROUP], c[ATOM_PARTIAL_GROUP];
    float amplitude[ATOM_PARTIAL_GROUP];
    [[unroll]] for (uint i = 0u; i < ATOM_PARTIAL_GROUP; ++i) {
      pole[i] = atoms[a].poles[j0 + i].xy;
      amplitude[i] = atoms[a].amplitudes[j0 + i];
      c[i] = states[(a * ATOM_MAX_PARTIALS + j0 + i) * p.chunks + k];
    }
    for (uint n = 0u; n < p.chunk; ++n) {
      const uint i0 = base + scanSample(k, n);
      const vec2 x = vec2(e[i0], 0.0);
      float sum = 0.0;
      [[unroll]] for (uint i = 0u; i < ATOM_PARTIAL_GROUP; ++i) {
        c[i] = cmul(pole[i], c[i]) + x;
        sum += amplitude[i] * c[i].y;
      }
      y[i0] = group == 0u ? sum : y[i0] + sum;
    }
  }
}
