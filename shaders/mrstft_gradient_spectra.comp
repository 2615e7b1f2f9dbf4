#version 450
// Backward through the magnitudes and the real FFT, in place of the half-length spectra Z:
// per bin G_q = dLoss/dX_q X_q / |X_q| / c_q (c_q = 1 at DC and Nyquist, 2 between), then
// the M-point spectrum whose inverse FFT is the c2r of G, i.e. dLoss/dframe (model/stft.cpp,
// addFrameAdjoint). A thread owns Z[k] and Z[M - k] (k < M/2; k = 0 owns Z[0] and Z[M/2]):
// it reads both, writes both. Grid: x over (frame, k < M/2), y over sizes.
#include "mrstft.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) buffer Spectra0 { vec2 z0[]; };
layout(std430, binding = 1) buffer Spectra1 { vec2 z1[]; };
layout(std430, binding = 2) buffer Spectra2 { vec2 z2[]; };
layout(std430, binding = 3) buffer Spectra3 { vec2 z3[]; };
layout(std430, binding = 4) buffer Spectra4 { vec2 z4[]; };
layout(std430, binding = 5) readonly buffer Tables { vec2 tables[]; };  // read as pairs
layout(std430, binding = 6) readonly buffer Target { vec2 target[]; };  // (Y, ln(Y + floor))
layout(std430, binding = 7) readonly buffer Gains { vec2 gains[]; };    // (sc, lm) per size
layout(push_constant) uniform Push {
  uint segment;
  uint targetOffset[SIZES];
} p;

vec2 loadZ(uint size, uint i) {
  switch (size) {
    case 0u: return z0[i];
    case 1u: return z1[i];
    case 2u: return z2[i];
    case 3u: return z3[i];
    default: return z4[i];
  }
}

void storeZ(uint size, uint i, vec2 v) {
  switch (size) {
    case 0u: z0[i] = v; break;
    case 1u: z1[i] = v; break;
    case 2u: z2[i] = v; break;
    case 3u: z3[i] = v; break;
    default: z4[i] = v; break;
  }
}

// dLoss/dX X / |X| of one bin; sign(ln X' - ln Y') = sign(X - Y), with sign(0) = 0.
vec2 binGradient(vec2 bin, float y, vec2 gain) {
  const float x = magnitude(bin);
  return bin * ((gain.x * (x - y) + gain.y * sign(x - y) / (x + kLogFloor)) / x);
}

void main() {
  const uint size = gl_WorkGroupID.y;
  const uint lw = logWindow(size);
  const uint m = 1u << (lw - 1u);
  const uint i = gl_GlobalInvocationID.x;
  if (i >= (frameCount(p.segment, size) << (lw - 2u))) return;
  const uint frame = i >> (lw - 2u);
  const uint k = i & (m / 2u - 1u);
  const uint bins = p.targetOffset[size] + frame * (m + 1u);
  const vec2 gain = gains[size];
  if (k == 0u) {
    // DC and Nyquist (c_q = 1; the c2r ignores their imaginary parts), then bin M/2 alone.
    const vec2 z0 = loadZ(size, frame * m);
    vec2 dc = binGradient(realBin(z0, cconj(z0), vec2(1.0, 0.0)), target[bins].x, gain);
    vec2 nyquist = binGradient(realBin(z0, cconj(z0), vec2(-1.0, 0.0)), target[bins + m].x, gain);
    dc.y = 0.0;
    nyquist.y = 0.0;
    storeZ(size, frame * m, halfPoint(dc, cconj(nyquist), vec2(1.0, 0.0)));
    const vec2 zHalf = loadZ(size, frame * m + m / 2u);
    const vec2 middle = 0.5 * binGradient(realBin(zHalf, cconj(zHalf), vec2(0.0, -1.0)),
                                        target[bins + m / 2u].x, gain);
    storeZ(size, frame * m + m / 2u, halfPoint(middle, cconj(middle), vec2(0.0, -1.0)));
    return;
  }
  // Bins k and M - k (c_q = 2: the 0.5), w^(M - k) = -conj(w^k).
  const vec2 w = tables[kTwiddleOffset / 2u + (k << (11u - lw))];  // exp(-2 pi i k / W)
  const vec2 zk = loadZ(size, frame * m + k);
  const vec2 zmk = loadZ(size, frame * m + m - k);
  const vec2 gk = 0.5 * binGradient(realBin(zk, cconj(zmk), w), target[bins + k].x, gain);
  const vec2 gmk = 0.5 * binGradient(realBin(zmk, cconj(zk), -cconj(w)), target[bins + m - k].x, gain);
  storeZ(size, frame * m + k, halfPoint(gk, cconj(gmk), w));
  storeZ(size, frame * m + m - k, halfPoint(gmk, cconj(gk), -cconj(w)));
}
