#version 450
// Per-atom sums of the backward pass, reproducible: vector v's sum of x (or of x * y) over
// `length` elements, thread t taking elements t, t + T, ... in order, then a fixed tree in
// shared memory; no float atomics. Writes out[outOffset + v * outStride].
// Grid: y over the vectors of one atom, z over atoms (v = z * vectorsPerAtom + y).
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };  // vectors x stride
layout(std430, binding = 1) readonly buffer Y { float y[]; };  // the same layout, or unused
layout(std430, binding = 2) buffer Out { float outSums[]; };
layout(push_constant) uniform Push {
  uint count;      // elements summed per vector
  uint stride;     // between vectors
  uint outOffset;
  uint outStride;
  uint product;    // 1: sum x * y; 0: sum x
} p;

shared float partial[gl_WorkGroupSize.x];

void main() {
  const uint t = gl_LocalInvocationID.x;
  const uint v = gl_WorkGroupID.z * gl_NumWorkGroups.y + gl_WorkGroupID.y;
  const uint base = v * p.stride;
  float s = 0.0;
  if (p.product == 1u)
    for (uint n = t; n < p.count; n += gl_WorkGroupSize.x) s += x[base + n] * y[base + n];
  else
    for (uint n = t; n < p.count; n += gl_WorkGroupSize.x) s += x[base + n];
  partial[t] = s;
  barrier();
  for (uint width = gl_WorkGroupSize.x / 2u; width > 0u; width >>= 1u) {
    if (t < width) partial[t] += partial[t + width];
    barrier();
  }
  if (t == 0u) outSums[p.outOffset + v * p.outStride] = partial[0];
}
