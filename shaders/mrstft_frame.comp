#version 450
// Windowed frames, the FFT's input: point j of frame t of size s is hann[j] x[t hop - W/2 + j],
// zero outside the segment. Grid: x over pairs of points (t W + j) / 2, y over sizes.
#include "mrstft.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) writeonly buffer Frames0 { vec2 frames0[]; };
layout(std430, binding = 1) writeonly buffer Frames1 { vec2 frames1[]; };
layout(std430, binding = 2) writeonly buffer Frames2 { vec2 frames2[]; };
layout(std430, binding = 3) writeonly buffer Frames3 { vec2 frames3[]; };
layout(std430, binding = 4) writeonly buffer Frames4 { vec2 frames4[]; };
layout(std430, binding = 5) readonly buffer Signal { float x[]; };
layout(std430, binding = 6) readonly buffer Tables { float tables[]; };
layout(push_constant) uniform Push { uint segment; } p;

float windowed(uint size, uint t, uint j) {
  const uint window = 1u << logWindow(size);
  const int n = int(t * (window / 4u) + j) - int(window / 2u);
  if (n < 0 || n >= int(p.segment)) return 0.0;
  return tables[windowOffset(size) + j] * x[n];
}

void main() {
  const uint size = gl_WorkGroupID.y;
  const uint e = gl_GlobalInvocationID.x;  // points 2e, 2e + 1
  const uint lw = logWindow(size);
  if (e >= (frameCount(p.segment, size) << (lw - 1u))) return;
  const uint t = (2u * e) >> lw;
  const uint j = (2u * e) & ((1u << lw) - 1u);
  const vec2 v = vec2(windowed(size, t, j), windowed(size, t, j + 1u));
  switch (size) {
    case 0u: frames0[e] = v; break;
    case 1u: frames1[e] = v; break;
    case 2u: frames2[e] = v; break;
    case 3u: frames3[e] = v; break;
    default: frames4[e] = v; break;
  }
}
