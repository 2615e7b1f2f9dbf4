#version 450
#extension GL_EXT_control_flow_attributes : require
// Step 5, pass 1 of the chunked scan of c_j[n] = p_j c_j[n-1] + e[n]: runs each chunk from a
// zero state and stores the state at its end. Float recurrences drift (|p|^n and the phase
// err by n ulps), so no run here is longer than a chunk; pass 2 joins the chunks with p^chunk
// computed in double. With `reverse` the same scan runs from the last sample back (the
// backward pass's r_j[i] = g[i] + p_j r_j[i+1]).
// Grid: x over chunks, y over groups of 8 partials, z over atoms.
#include "atom_params.glsl"
#include "atom_tonal_order.glsl"
#include "complex.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Excitation { float e[]; };  // atoms x L
layout(std430, binding = 2) writeonly buffer States { vec2 states[]; }; // atoms x 64 x chunks
TONAL_SCAN_PUSH

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint group = gl_WorkGroupID.y;
  const uint a = gl_WorkGroupID.z;
  if (k >= p.chunks || group >= atomPartialGroups(atoms[a].partials)) return;
  const uint j0 = group * ATOM_PARTIAL_GROUP;
  vec2 pole[ATOM_PARTIAL_GROUP], c[ATOM_PARTIAL_GROUP];
  [[unroll]] for (uint i = 0u; i < ATOM_PARTIAL_GROUP; ++i) {
    pole[i] = atoms[a].poles[j0 + i].xy;
    c[i] = vec2(0.0);
  }
  const uint base = a * p.samples;
  for (uint n = 0u; n < p.chunk; ++n) {
    const vec2 x = vec2(e[base + scanSample(k, n)], 0.0);
    [[unroll]] for (uint i = 0u; i < ATOM_PARTIAL_GROUP; ++i) c[i] = cmul(pole[i], c[i]) + x;
  }
  [[unroll]] for (uint i = 0u; i < ATOM_PARTIAL_GROUP; ++i)
    states[(a * ATOM_MAX_PARTIALS + j0 + i) * p.chunks + k] = c[i];
}
