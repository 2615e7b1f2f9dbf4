#version 450
// Step 5, pass 2 of the chunked scan: turns each chunk's end state (from a zero start) into
// the state entering it: carry_0 = 0, carry_{k+1} = p^chunk carry_k + end_k, with p^chunk
// from the CPU in double. Grid: x over partials, y over atoms.
#include "atom_params.glsl"
#include "complex.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) buffer States { vec2 states[]; };  // atoms x 64 x chunks
layout(push_constant) uniform Push {
  uint chunks;
} p;

void main() {
  const uint j = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (j >= atomPartialGroups(atoms[a].partials) * ATOM_PARTIAL_GROUP) return;
  const vec2 step = atoms[a].poles[j].zw;
  const uint base = (a * ATOM_MAX_PARTIALS + j) * p.chunks;
  vec2 carry = vec2(0.0);
  for (uint k = 0u; k < p.chunks; ++k) {
    const vec2 end = states[base + k];
    states[base + k] = carry;
    carry = cmul(step, carry) + end;
  }
}
