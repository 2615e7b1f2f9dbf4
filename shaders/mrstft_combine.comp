#version 450
// The loss from every size's partial sums (one workgroup, fixed order): per size
// SC = sqrt(sum (Y - X)^2) / |Y|_F and LM = sum |ln Y' - ln X'| / bins; the loss is the mean
// over sizes of SC + LM. Also writes the backward pass's gains (sc, lm) per size:
// dLoss/dX = sc (X - Y) + lm sign(X - Y) / (X + floor), sc = 0 where X = Y everywhere.
#include "mrstft.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Partials { vec2 partials[]; };
layout(std430, binding = 1) readonly buffer Norms { float targetNorm[]; };  // |Y|_F per size
layout(std430, binding = 2) writeonly buffer Gains { vec2 gains[]; };
layout(std430, binding = 3) writeonly buffer Value { float value[]; };
layout(push_constant) uniform Push {
  uint segment;
  uint partialCount[SIZES];
  uint partialStride;
  uint valueIndex;
} p;

shared vec2 partial[gl_WorkGroupSize.x];

void main() {
  const uint t = gl_LocalInvocationID.x;
  const uint threads = gl_WorkGroupSize.x;
  const float perSize = 1.0 / float(SIZES);
  float loss = 0.0;
  for (uint size = 0u; size < SIZES; ++size) {
    vec2 s = vec2(0.0);
    for (uint i = t; i < p.partialCount[size]; i += threads) s += partials[size * p.partialStride + i];
    partial[t] = s;
    barrier();
    for (uint width = threads / 2u; width > 0u; width >>= 1u) {
      if (t < width) partial[t] += partial[t + width];
      barrier();
    }
    if (t == 0u) {
      const float diffNorm = sqrt(partial[0].x);
      const float bins = float(frameCount(p.segment, size) * ((1u << (logWindow(size) - 1u)) + 1u));
      loss += perSize * (diffNorm / targetNorm[size] + partial[0].y / bins);
      gains[size] = vec2(diffNorm > 0.0 ? perSize / (diffNorm * targetNorm[size]) : 0.0,
                         perSize / bins);
    }
    barrier();  // partial is reused
  }
  if (t == 0u) value[p.valueIndex] = loss;
}
