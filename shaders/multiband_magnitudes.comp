#version 450
// Forward: magnitudes of one STFT group summed over the atoms of a chunk, in atom order,
// onto the running sum of the earlier chunks (fixed order: reproducible). The pairs hold the
// FFTs Z of a + i b for two real frames a, b: A_k = (Z_k + conj Z_{W-k}) / 2,
// B_k = (Z_k - conj Z_{W-k}) / (2i). Grid: flattened 2D, one thread per feature (t, k).
#include "complex.glsl"

#include "index_math.glsl"

layout(local_size_x_id = 0) in;
// pairs x W (re, im): read as a texel buffer (a storage buffer in the _storage twin)
#ifdef STORAGE_READS
layout(std430, binding = 0) readonly buffer Frames { vec2 frames[]; };
vec2 frame(uint i) { return frames[i]; }
#else
layout(binding = 0) uniform samplerBuffer frames;
vec2 frame(uint i) { return texelFetch(frames, int(i)).xy; }
#endif
layout(std430, binding = 1) buffer Summed { float summed[]; };     // all features
layout(push_constant) uniform Push {
  uint logWindow;
  uint frames;         // F
  uint chunkAtoms;
  uint featureOffset;  // of the group
  uint first;          // 1: the first chunk (the sum starts at 0)
  float inverseBins;   // 1 / (W / 2 + 1)
} p;

void main() {
  const uint f = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x +
                 gl_LocalInvocationID.x;
  const uint w = 1u << p.logWindow;
  const uint bins = w / 2u + 1u;
  if (f >= p.frames * bins) return;
  const uint t = quotient(f, bins, p.inverseBins);
  const uint k = f - t * bins;
  float sum = p.first == 1u ? 0.0 : summed[p.featureOffset + f];
  for (uint a = 0u; a < p.chunkAtoms; ++a) {
    const uint m = a * p.frames + t;
    const uint base = (m >> 1) << p.logWindow;
    const vec2 zk = frame(base + k);
    const vec2 zr = cconj(frame(base + ((w - k) & (w - 1u))));
    const vec2 spectrum = (m & 1u) == 0u ? 0.5 * (zk + zr) : -0.5 * ctimesI(zk - zr);
    sum += sqrt(dot(spectrum, spectrum) + 1e-18);
  }
  summed[p.featureOffset + f] = sum;
}
