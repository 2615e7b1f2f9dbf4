#version 450
// The frames' adjoint as a gather: dLoss/dx[n] = sum over the sizes (in order) and the at
// most 4 frames t covering n (increasing t) of hann[j] g[t][j], j = n + W/2 - t hop, with g
// the frame gradients (the inverse FFTs' output). Grid: x over n.
#include "mrstft.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer FrameGradient0 { float g0[]; };
layout(std430, binding = 1) readonly buffer FrameGradient1 { float g1[]; };
layout(std430, binding = 2) readonly buffer FrameGradient2 { float g2[]; };
layout(std430, binding = 3) readonly buffer FrameGradient3 { float g3[]; };
layout(std430, binding = 4) readonly buffer FrameGradient4 { float g4[]; };
layout(std430, binding = 5) readonly buffer Tables { float tables[]; };
layout(std430, binding = 6) writeonly buffer Gradient { float gradient[]; };
layout(push_constant) uniform Push { uint segment; } p;

float loadG(uint size, uint i) {
  switch (size) {
    case 0u: return g0[i];
    case 1u: return g1[i];
    case 2u: return g2[i];
    case 3u: return g3[i];
    default: return g4[i];
  }
}

void main() {
  const uint n = gl_GlobalInvocationID.x;
  if (n >= p.segment) return;
  float s = 0.0;
  for (uint size = 0u; size < SIZES; ++size) {
    const uint lw = logWindow(size);
    const uint logHop = lw - 2u;
    // 0 <= n + 2 hop - t hop < 4 hop  <=>  n / hop - 1 <= t <= n / hop + 2.
    const uint centre = n >> logHop;
    const uint last = min(centre + 2u, frameCount(p.segment, size) - 1u);
    for (uint t = max(centre, 1u) - 1u; t <= last; ++t) {
      const uint j = n + (2u << logHop) - (t << logHop);
      s += tables[windowOffset(size) + j] * loadG(size, (t << lw) + j);
    }
  }
  gradient[n] = s;
}
