#version 450
// Loss, step 2 (one workgroup): for each group in order, its partials summed by a fixed
// tree, divided by the group's size, added to the loss; written to value[index].
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Partials { float partials[]; };
// Per group: feature offset, size, first partial, partials.
layout(std430, binding = 1) readonly buffer Groups { uvec4 groups[]; };
layout(std430, binding = 2) buffer Value { float value[]; };
layout(push_constant) uniform Push {
  uint groupCount;
  uint index;
} p;

shared float partial[gl_WorkGroupSize.x];

void main() {
  const uint t = gl_LocalInvocationID.x;
  const uint threads = gl_WorkGroupSize.x;
  float loss = 0.0;
  for (uint gi = 0u; gi < p.groupCount; ++gi) {
    const uvec4 g = groups[gi];
    float s = 0.0;
    for (uint i = t; i < g.w; i += threads) s += partials[g.z + i];
    partial[t] = s;
    barrier();
    for (uint width = threads / 2u; width > 0u; width >>= 1u) {
      if (t < width) partial[t] += partial[t + width];
      barrier();
    }
    loss += partial[0] / float(g.y);
    barrier();  // partial[0] is read before the next group overwrites it
  }
  if (t == 0u) value[p.index] = loss;
}
