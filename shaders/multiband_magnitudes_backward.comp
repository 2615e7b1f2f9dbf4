#version 450
// Backward of the magnitudes, in place on the pairs: for a real frame with spectrum A and
// dL/d|A_k| = G_k = sign(summed - target) / group size (the same for every atom), grad_k =
// A_k G_k / |A_k|, and dL/dframe[j] = sum_{k <= W/2} Re(grad_k e^{+2 pi i k j / W}), the
// unnormalised inverse FFT of the Hermitian spectrum H (H_k = grad_k / 2 and H_{W-k} =
// conj H_k inside, Re grad at DC and Nyquist). The pair gets H_a + i H_b, whose inverse FFT
// is dL/da + i dL/db. Thread (pair, k) owns indices k and W - k (k <= W/2).
#include "complex.glsl"

#include "index_math.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) buffer Frames { vec2 z[]; };  // pairs x W
layout(std430, binding = 1) readonly buffer Summed { float summed[]; };
layout(std430, binding = 2) readonly buffer Target { float target[]; };
layout(push_constant) uniform Push {
  uint logWindow;
  uint frames;         // F
  uint chunkFrames;    // atoms in the chunk x F
  uint featureOffset;  // of the group
  float perFeature;    // 1 / group size
  float inverseFrames; // 1 / F
  float inverseBins;   // 1 / (W / 2 + 1)
} p;

// grad_k of frame m from its spectrum value.
vec2 gradient(uint m, uint k, vec2 spectrum) {
  if (m >= p.chunkFrames) return vec2(0.0);
  const uint bins = (1u << p.logWindow) / 2u + 1u;
  const uint f = p.featureOffset + (m - quotient(m, p.frames, p.inverseFrames) * p.frames) * bins + k;
  const float g = sign(summed[f] - target[f]) * p.perFeature;
  return spectrum * (g / sqrt(dot(spectrum, spectrum) + 1e-18));
}

void main() {
  const uint e = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x +
                 gl_LocalInvocationID.x;
  const uint w = 1u << p.logWindow;
  const uint half_ = w / 2u;
  const uint pair = quotient(e, half_ + 1u, p.inverseBins);
  if (2u * pair >= p.chunkFrames) return;
  const uint k = e - pair * (half_ + 1u);
  const uint base = pair << p.logWindow;
  const uint r = (w - k) & (w - 1u);
  const vec2 zk = z[base + k];
  const vec2 zr = cconj(z[base + r]);
  const vec2 ga = gradient(2u * pair, k, 0.5 * (zk + zr));
  const vec2 gb = gradient(2u * pair + 1u, k, -0.5 * ctimesI(zk - zr));
  if (k == 0u || k == half_) {
    z[base + k] = vec2(ga.x, gb.x);
  } else {
    // H_a,k + i H_b,k and conj(H_a,k) + i conj(H_b,k), with H = grad / 2.
    z[base + k] = 0.5 * (ga + ctimesI(gb));
    z[base + r] = 0.5 * (cconj(ga) + ctimesI(cconj(gb)));
  }
}
