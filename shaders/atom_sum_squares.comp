#version 450
// Sum of squares of each atom's vector (the norms of steps 2 and 6), reproducible: thread t
// sums elements t, t + T, ... in order, then a fixed tree in shared memory; no float atomics.
// Writes sums[atom * 4 + index]. Grid: one workgroup per atom (y).
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer In { float v[]; };  // atoms x stride
layout(std430, binding = 1) buffer Sums { float sums[]; };      // atoms x 4
layout(push_constant) uniform Push {
  uint samples;
  uint stride;
  uint index;
} p;

shared float partial[gl_WorkGroupSize.x];

void main() {
  const uint t = gl_LocalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  const uint base = a * p.stride;
  float s = 0.0;
  for (uint n = t; n < p.samples; n += gl_WorkGroupSize.x) s += v[base + n] * v[base + n];
  partial[t] = s;
  barrier();
  for (uint width = gl_WorkGroupSize.x / 2u; width > 0u; width >>= 1u) {
    if (t < width) partial[t] += partial[t + width];
    barrier();
  }
  if (t == 0u) sums[a * 4u + p.index] = partial[0];
}
