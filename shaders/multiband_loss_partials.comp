#version 450
// Loss, step 1: per feature group g (grid y) and block of 4 x workgroup size features
// (grid x), the sum of |summed - target| over the block: each thread sums its 4 features in
// order, then a fixed tree in shared memory. Fixed order, no atomics.
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Summed { float summed[]; };
layout(std430, binding = 1) readonly buffer Target { float target[]; };
// Per group: feature offset, size, first partial, partials.
layout(std430, binding = 2) readonly buffer Groups { uvec4 groups[]; };
layout(std430, binding = 3) writeonly buffer Partials { float partials[]; };

shared float partial[gl_WorkGroupSize.x];

void main() {
  const uvec4 g = groups[gl_WorkGroupID.y];
  const uint block = gl_WorkGroupID.x;
  if (block >= g.w) return;  // uniform over the workgroup
  const uint t = gl_LocalInvocationID.x;
  const uint threads = gl_WorkGroupSize.x;
  float s = 0.0;
  for (uint i = 0u; i < 4u; ++i) {
    const uint f = block * 4u * threads + i * threads + t;
    if (f < g.y) s += abs(summed[g.x + f] - target[g.x + f]);
  }
  partial[t] = s;
  barrier();
  for (uint width = threads / 2u; width > 0u; width >>= 1u) {
    if (t < width) partial[t] += partial[t + width];
    barrier();
  }
  if (t == 0u) partials[g.z + block] = partial[0];
}
