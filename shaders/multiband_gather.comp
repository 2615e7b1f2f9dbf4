#version 450
// Adjoint of the windowed framing, as a gather (no atomics): dL/dx[n] = sum over the frames
// t covering n (in increasing t) of hann[n - t hop] dL/dframe_t[n - t hop], where frame m of
// the chunk sits in the real (m even) or imaginary (m odd) part of pair m / 2. Writes or adds
// to the atom's gradient. Grid: x over the samples, y over the atoms of the chunk.
#include "twiddle.glsl"

layout(local_size_x_id = 0) in;
// pairs x W x (re, im): a texel buffer of floats (a storage buffer in the _storage twin)
#ifdef STORAGE_READS
layout(std430, binding = 0) readonly buffer Frames { float frames[]; };
float frameValue(uint i) { return frames[i]; }
#else
layout(binding = 0) uniform samplerBuffer frames;
float frameValue(uint i) { return texelFetch(frames, int(i)).x; }
#endif
layout(std430, binding = 1) buffer Gradient { float grad[]; };      // atoms x length
layout(push_constant) uniform Push {
  uint samples;  // per signal
  uint logWindow;
  uint logHop;  // hop = 2^logHop
  uint frames;
  uint firstAtom;
  uint accumulate;  // 1: add to grad, 0: overwrite it
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.samples) return;
  const uint w = 1u << p.logWindow;
  const uint hop = 1u << p.logHop;
  const uint tFirst = n + 1u > w ? (n + 1u - w + hop - 1u) >> p.logHop : 0u;
  const uint tLast = min(p.frames - 1u, n >> p.logHop);
  float sum = 0.0;
  for (uint t = tFirst; t <= tLast; ++t) {
    const uint m = a * p.frames + t;
    const uint j = n - (t << p.logHop);
    sum += hann(j, p.logWindow) * frameValue(2u * (((m >> 1) << p.logWindow) + j) + (m & 1u));
  }
  const uint i = (p.firstAtom + a) * p.samples + n;
  grad[i] = p.accumulate == 1u ? grad[i] + sum : sum;
}
