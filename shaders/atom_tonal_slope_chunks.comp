#version 450
#extension GL_EXT_control_flow_attributes : require
// Backward of step 5, pass 1 of the chunked scan of d_j = dc_j/dp_j, which runs beside c_j:
// d_j[n] = p_j d_j[n-1] + c_j[n-1]. Runs each chunk from zero states (c and d) and stores
// d's end state; atom_tonal_slope_carry.comp joins the chunks. Grid: x over chunks, y over
// groups of 8 partials, z over atoms.
#include "atom_params.glsl"
#include "complex.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Excitation { float e[]; };  // atoms x L
layout(std430, binding = 2) writeonly buffer Slopes { vec2 slopes[]; }; // atoms x 64 x chunks
layout(push_constant) uniform Push {
  uint samples;  // L
  uint chunk;
  uint chunks;
} p;

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint group = gl_WorkGroupID.y;
  const uint a = gl_WorkGroupID.z;
  if (k >= p.chunks || group >= atomPartialGroups(atoms[a].partials)) return;
  const uint j0 = group * ATOM_PARTIAL_GROUP;
  vec2 pole[ATOM_PARTIAL_GROUP], c[ATOM_PARTIAL_GROUP], d[ATOM_PARTIAL_GROUP];
  [[unroll]] for (uint i = 0u; i < ATOM_PARTIAL_GROUP; ++i) {
    pole[i] = atoms[a].poles[j0 + i].xy;
    c[i] = vec2(0.0);
    d[i] = vec2(0.0);
  }
  const uint base = a * p.samples + k * p.chunk;
  for (uint n = 0u; n < p.chunk; ++n) {
    const vec2 x = vec2(e[base + n], 0.0);
    [[unroll]] for (uint i = 0u; i < ATOM_PARTIAL_GROUP; ++i) {
      d[i] = cmul(pole[i], d[i]) + c[i];
      c[i] = cmul(pole[i], c[i]) + x;
    }
  }
  [[unroll]] for (uint i = 0u; i < ATOM_PARTIAL_GROUP; ++i)
    slopes[(a * ATOM_MAX_PARTIALS + j0 + i) * p.chunks + k] = d[i];
}
