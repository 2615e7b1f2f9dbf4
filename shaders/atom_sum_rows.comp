#version 450
// out[outOffset + v] = sum of row v's `count` floats, in order (rows of a few workgroups'
// partial sums: one thread each is enough). Grid: x over rows.
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Rows { float rows[]; };  // rows x count
layout(std430, binding = 1) buffer Out { float outSums[]; };
layout(push_constant) uniform Push {
  uint rowCount;
  uint count;
  uint outOffset;
} p;

void main() {
  const uint v = gl_GlobalInvocationID.x;
  if (v >= p.rowCount) return;
  float s = 0.0;
  for (uint i = 0u; i < p.count; ++i) s += rows[v * p.count + i];
  outSums[p.outOffset + v] = s;
}
