#version 450
// The inverse of rfft_post: from the n/2 + 1 = M + 1 bins X of a real signal, the M-point
// spectrum Z whose unnormalised inverse FFT is z[m] = n (x[2m] + i x[2m+1]):
// Z[k] = E + i O, E = X[k] + conj X[M-k], O = (X[k] - conj X[M-k]) conj(w^k), k < M.
// The imaginary parts of DC and Nyquist are ignored (as FFTW's c2r does).
#include "complex.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Spectrum { vec2 x[]; };  // batch x (M + 1)
layout(std430, binding = 1) writeonly buffer Half { vec2 z[]; };     // batch x M
layout(std430, binding = 2) readonly buffer Twiddles { vec2 w[]; };  // exp(-2 pi i k / n), k <= M
layout(push_constant) uniform Push {
  uint logM;
  uint batch;
  float scale;
} p;

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint b = gl_WorkGroupID.y;
  const uint m = 1u << p.logM;
  if (k >= m || b >= p.batch) return;
  vec2 a = x[b * (m + 1u) + k];
  vec2 c = cconj(x[b * (m + 1u) + m - k]);
  if (k == 0u) {
    a.y = 0.0;
    c.y = 0.0;
  }
  const vec2 even = a + c;
  const vec2 odd = cmul(a - c, cconj(w[k]));
  z[(b << p.logM) + k] = (even + ctimesI(odd)) * p.scale;
}
