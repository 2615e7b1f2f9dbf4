#version 450
// Real FFT of n = 2M points from the M-point complex FFT Z of z[m] = x[2m] + i x[2m+1]:
// X[k] = (Z[k] + conj Z[M-k]) / 2 + w^k (Z[k] - conj Z[M-k]) / (2i), w = exp(-2 pi i / n),
// k = 0..M (Z indices mod M). Grid: x over k, y over the batch.
#include "complex.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Half { vec2 z[]; };        // batch x M
layout(std430, binding = 1) writeonly buffer Spectrum { vec2 x[]; };   // batch x (M + 1)
layout(std430, binding = 2) readonly buffer Twiddles { vec2 w[]; };    // exp(-2 pi i k / n), k <= M
layout(push_constant) uniform Push {
  uint logM;
  uint batch;
  float scale;
} p;

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint b = gl_WorkGroupID.y;
  const uint m = 1u << p.logM;
  if (k > m || b >= p.batch) return;
  const vec2 a = z[(b << p.logM) + (k & (m - 1u))];
  const vec2 c = cconj(z[(b << p.logM) + ((m - k) & (m - 1u))]);
  const vec2 even = 0.5 * (a + c);
  const vec2 odd = -0.5 * ctimesI(a - c);  // (a - c) / (2i)
  x[b * (m + 1u) + k] = (even + cmul(w[k], odd)) * p.scale;
}
