#version 450
// One pass of a batched Stockham FFT (docs/gpu.md). The data are `columns` columns, column
// (b, j) being the R = 2^logR points src[b n + j + r n/R], r < R. Each column is multiplied
// by this pass's twiddles, transformed by an R-point DFT in shared memory (one radix-2 stage
// when logR is odd, then radix-4 stages, ping-ponging between the two halves of `buf`) and
// written in Stockham order, so that after the last pass the output is in natural order.
// A workgroup transforms T = CAP / R columns at once; shared memory holds them interleaved
// (point r of local column c at r T + c), so that the stages read consecutive addresses.
#include "complex.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint CAP = 2048;  // complex values per half of buf
layout(std430, binding = 0) readonly buffer Src { vec2 src[]; };
layout(std430, binding = 1) writeonly buffer Dst { vec2 dst[]; };
layout(std430, binding = 2) readonly buffer Twiddles { vec2 table[]; };  // exp(-2 pi i m / 2^logTable)
layout(push_constant) uniform Push {
  uint logN;        // transform length n = 2^logN
  uint logR;        // points per column in this pass
  uint logNs;       // product of the earlier passes' R (0 in the first pass)
  uint columns;     // batch n / R
  uint logTable;
  float direction;  // -1: forward, exp(-i ...); +1: inverse, exp(+i ...)
  float scale;      // multiplies the output
} p;

shared vec2 buf[2 * CAP];

// exp(direction 2 pi i num / 2^logDen) from the table (computed in double on the CPU).
vec2 twiddle(uint num, uint logDen) {
  const vec2 t = table[num << (p.logTable - logDen)];
  return vec2(t.x, -p.direction * t.y);
}

void main() {
  const uint tid = gl_LocalInvocationID.x;
  const uint threads = gl_WorkGroupSize.x;
  const uint logT = uint(findMSB(CAP)) - p.logR;
  const uint logS = p.logN - p.logR;  // columns per transform: S = n / R
  const uint firstColumn = gl_WorkGroupID.x << logT;

  // Load, coalesced: a single-pass transform (S = 1) is contiguous along r; otherwise
  // neighbouring columns j are.
  for (uint e = tid; e < CAP; e += threads) {
    const uint c = logS == 0u ? e >> p.logR : e & ((1u << logT) - 1u);
    const uint r = logS == 0u ? e & ((1u << p.logR) - 1u) : e >> logT;
    const uint column = firstColumn + c;
    vec2 v = vec2(0.0);
    if (column < p.columns) {
      const uint b = column >> logS;
      const uint j = column & ((1u << logS) - 1u);
      v = src[(b << p.logN) + j + (r << logS)];
      if (p.logNs > 0u) v = cmul(v, twiddle(r * (j & ((1u << p.logNs) - 1u)), p.logNs + p.logR));
    }
    buf[(r << logT) + c] = v;
  }
  memoryBarrierShared();
  barrier();

  uint from = 0u;
  uint logNs = 0u;  // product of the radices of the stages done
  if ((p.logR & 1u) == 1u) {
    // Radix 2 first, where every twiddle is 1.
    for (uint i = tid; i < CAP / 2u; i += threads) {
      const vec2 a = buf[i];
      const vec2 b = buf[i + CAP / 2u];
      const uint jp = i >> logT;
      const uint out0 = ((jp << 1) << logT) + (i & ((1u << logT) - 1u));
      buf[CAP + out0] = a + b;
      buf[CAP + out0 + (1u << logT)] = a - b;
    }
    from = CAP;
    logNs = 1u;
    memoryBarrierShared();
    barrier();
  }
  for (; logNs < p.logR; logNs += 2u) {
    const uint to = CAP - from;
    for (uint i = tid; i < CAP / 4u; i += threads) {
      const uint jp = i >> logT;
      const uint k = jp & ((1u << logNs) - 1u);
      vec2 v0 = buf[from + i];
      vec2 v1 = buf[from + i + CAP / 4u];
      vec2 v2 = buf[from + i + CAP / 2u];
      vec2 v3 = buf[from + i + 3u * CAP / 4u];
      if (logNs > 0u) {
        v1 = cmul(v1, twiddle(k, logNs + 2u));
        v2 = cmul(v2, twiddle(2u * k, logNs + 2u));
        v3 = cmul(v3, twiddle(3u * k, logNs + 2u));
      }
      const vec2 s02 = v0 + v2, d02 = v0 - v2;
      const vec2 s13 = v1 + v3, d13 = p.direction * ctimesI(v1 - v3);
      const uint c = i & ((1u << logT) - 1u);
      const uint base = ((jp - k) << 2) + k;
      buf[to + (base << logT) + c] = s02 + s13;
      buf[to + ((base + (1u << logNs)) << logT) + c] = d02 + d13;
      buf[to + ((base + (2u << logNs)) << logT) + c] = s02 - s13;
      buf[to + ((base + (3u << logNs)) << logT) + c] = d02 - d13;
    }
    from = to;
    memoryBarrierShared();
    barrier();
  }

  // Store in Stockham order, coalesced: the first pass's output is contiguous along s,
  // later passes' along neighbouring columns j.
  for (uint e = tid; e < CAP; e += threads) {
    const uint c = p.logNs == 0u ? e >> p.logR : e & ((1u << logT) - 1u);
    const uint s = p.logNs == 0u ? e & ((1u << p.logR) - 1u) : e >> logT;
    const uint column = firstColumn + c;
    if (column >= p.columns) continue;
    const uint b = column >> logS;
    const uint j = column & ((1u << logS) - 1u);
    const uint k = j & ((1u << p.logNs) - 1u);
    dst[(b << p.logN) + ((j - k) << p.logR) + k + (s << p.logNs)] = buf[from + (s << logT) + c] * p.scale;
  }
}
