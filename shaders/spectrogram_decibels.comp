#version 450
// Spectrogram levels in dB from the n/2-point complex FFTs Z of the frames (read as complex
// values): bin k of the real FFT is X = (Z[k] + conj Z[M-k]) / 2 + w^k (Z[k] - conj Z[M-k]) / (2i),
// w = exp(-2 pi i / n), as shaders/rfft_post.comp; then 10 log10 |X|^2, at least the floor.
// The window was scaled by 1 / (sum of window / 2), so |X| = 1 is 0 dB.
// Grid: x over bins k = 0..M, y over frames.
#include "complex.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Half { vec2 z[]; };       // frames x M
layout(std430, binding = 1) writeonly buffer Levels { float db[]; };  // frames x (M + 1)
layout(std430, binding = 2) readonly buffer Twiddles { vec2 w[]; };   // exp(-2 pi i k / n), k <= M
layout(push_constant) uniform Push {
  uint logM;
  float floorDb;
} p;

const float kDbPerLog2 = 3.0102999566398120;  // 10 log10(2)

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint t = gl_WorkGroupID.y;
  const uint m = 1u << p.logM;
  if (k > m) return;
  const vec2 a = z[(t << p.logM) + (k & (m - 1u))];
  const vec2 c = cconj(z[(t << p.logM) + ((m - k) & (m - 1u))]);
  const vec2 x = 0.5 * (a + c) + cmul(w[k], -0.5 * ctimesI(a - c));
  const float power = dot(x, x);
  // power > 0 is false for NaN too: the floor, as analysis::spectrogram.
  db[t * (m + 1u) + k] = power > 0.0 ? max(kDbPerLog2 * log2(power), p.floorDb) : p.floorDb;
}
