#version 450
// The forward sums, per workgroup: (sum (Y - X)^2, sum |ln(Y + floor) - ln(X + floor)|) over
// its bins, X the estimate's magnitudes from its frames' half-length spectra Z. A thread takes
// the bins k and M - k of a frame (both from Z[k] and Z[M - k]; k = 0 takes DC, Nyquist and
// M/2), PER_THREAD such pairs strided, then a tree in shared memory: fixed order, no
// atomics. Grid: x over (frame, k < M/2) / PER_THREAD, y over sizes.
#include "mrstft.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint PER_THREAD = 8;
layout(std430, binding = 0) readonly buffer Spectra0 { vec2 z0[]; };
layout(std430, binding = 1) readonly buffer Spectra1 { vec2 z1[]; };
layout(std430, binding = 2) readonly buffer Spectra2 { vec2 z2[]; };
layout(std430, binding = 3) readonly buffer Spectra3 { vec2 z3[]; };
layout(std430, binding = 4) readonly buffer Spectra4 { vec2 z4[]; };
layout(std430, binding = 5) readonly buffer Tables { vec2 tables[]; };  // read as pairs
layout(std430, binding = 6) readonly buffer Target { vec2 target[]; };  // (Y, ln(Y + floor))
layout(std430, binding = 7) writeonly buffer Partials { vec2 partials[]; };
layout(push_constant) uniform Push {
  uint segment;
  uint targetOffset[SIZES];  // size s's bin (t, q) is target[targetOffset[s] + t (M + 1) + q]
  uint partialStride;        // partials of size s: partials[s partialStride + workgroup x]
} p;

shared vec2 partial[gl_WorkGroupSize.x];

vec2 loadZ(uint size, uint i) {
  switch (size) {
    case 0u: return z0[i];
    case 1u: return z1[i];
    case 2u: return z2[i];
    case 3u: return z3[i];
    default: return z4[i];
  }
}

// (Y - X)^2 and |ln Y' - ln X'| of one bin.
vec2 terms(vec2 bin, vec2 y) {
  const float x = magnitude(bin);
  const float d = y.x - x;
  return vec2(d * d, abs(y.y - log(x + kLogFloor)));
}

void main() {
  const uint size = gl_WorkGroupID.y;
  const uint t = gl_LocalInvocationID.x;
  const uint threads = gl_WorkGroupSize.x;
  const uint lw = logWindow(size);
  const uint m = 1u << (lw - 1u);  // M = W/2
  const uint count = frameCount(p.segment, size) << (lw - 2u);  // frames x M/2
  const uint base = gl_WorkGroupID.x * threads * PER_THREAD + t;
  vec2 s = vec2(0.0);
  for (uint r = 0u; r < PER_THREAD; ++r) {
    const uint i = base + r * threads;
    if (i >= count) break;
    const uint frame = i >> (lw - 2u);
    const uint k = i & (m / 2u - 1u);
    const uint bins = p.targetOffset[size] + frame * (m + 1u);
    const vec2 zk = loadZ(size, frame * m + k);
    const vec2 w = tables[kTwiddleOffset / 2u + (k << (11u - lw))];  // exp(-2 pi i k / W)
    if (k == 0u) {
      s += terms(realBin(zk, cconj(zk), vec2(-1.0, 0.0)), target[bins + m]);  // Nyquist
      const vec2 zHalf = loadZ(size, frame * m + m / 2u);
      s += terms(realBin(zHalf, cconj(zHalf), vec2(0.0, -1.0)), target[bins + m / 2u]);
    }
    const vec2 zmk = loadZ(size, frame * m + ((m - k) & (m - 1u)));
    s += terms(realBin(zk, cconj(zmk), w), target[bins + k]);
    if (k != 0u) s += terms(realBin(zmk, cconj(zk), -cconj(w)), target[bins + m - k]);
  }
  partial[t] = s;
  barrier();
  for (uint width = threads / 2u; width > 0u; width >>= 1u) {
    if (t < width) partial[t] += partial[t + width];
    barrier();
  }
  if (t == 0u) partials[size * p.partialStride + gl_WorkGroupID.x] = partial[0];
}
