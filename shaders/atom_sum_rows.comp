#version 450
// out[outOffset + v] = sum of row v's `count` floats in a fixed order: 8 interleaved running
// sums, then a pairwise tree (more accurate than one running sum over hundreds of terms).
// One thread per row and no barrier. Grid: x over rows.
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
  float s[8] = float[8](0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  for (uint i = 0u; i < p.count; ++i) s[i & 7u] += rows[v * p.count + i];
  outSums[p.outOffset + v] = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
