#version 450
// The reconstruction: out[q] = sum over atoms of placed[a][q], in atom order (a gather, so
// the sum is the same on every run). Grid: x over the segment.
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Placed { float placed[]; };  // atoms x segment
layout(std430, binding = 1) writeonly buffer Out { float mixdown[]; };   // segment
layout(push_constant) uniform Push {
  uint segment;
  uint atoms;
} p;

void main() {
  const uint q = gl_GlobalInvocationID.x;
  if (q >= p.segment) return;
  float sum = 0.0;
  for (uint a = 0u; a < p.atoms; ++a) sum += placed[a * p.segment + q];
  mixdown[q] = sum;
}
