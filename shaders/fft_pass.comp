#version 450
// One pass of a batched in-place decimation-in-time FFT (docs/gpu.md, engine/gpu/fft.cpp).
// Every invocation loads its points into registers, transforms them there (radix-2 stages,
// unrolled), exchanges them with up to 7 neighbours of its subgroup by shuffles and writes the
// results back to positions of its own. No shared memory, no barriers, no scratch buffer: on
// lavapipe a barrier turns the shader into coroutines and every storage-buffer access is a
// scalar loop over the SIMD lanes, while registers and shuffles are cheap; so the passes are
// few, and the twiddles are computed, not loaded.
//
// Transform b occupies [b n, (b + 1) n); rev_k reverses k bits. After the passes for the first
// log2 L radix-2 stages the data hold, block by block of L points, the DFTs of the subsequences
// x[rev(q) + r n / L], q the block (the classic DIT order). A pass merges P = S R consecutive
// blocks per S = 2^LOG_LANES neighbouring invocations with R = 2^LOG_R points each. Modes:
//   TWIDDLE (L > 1): DFT i < n / P takes positions base + m L, m < P, base = (i / L) L P + i % L,
//     point m times exp(-2 pi i rev(m) (i % L) / (L P)).
//   NATURAL, the first pass out of place (or the only one): DFT i reads the input in natural
//     order, src[j + m n/P] with j = rev(i), and writes block i.
//   FRAMES, NATURAL whose input is made on the fly from real signals (binding 3): transform b
//     is the pair of Hann-windowed STFT frames 2b (real part) and 2b + 1 (imaginary part) of a
//     chunk of signals, frame m = s F + t covering signal s's samples [t hop, t hop + n). It
//     saves an STFT the writing and reading of its frames (the multiband loss's features).
//   TILE, the first pass in place: with index bits (a, c, d), a and d of LOG_R bits and c of
//     B = log2 n - 2 LOG_R, rev maps the tile T(c) = {(a, c, d)} onto T(rev c); the invocations
//     of a pair of tiles (T(c), T(rev c)), or of two tiles with c = rev c, read both whole and
//     write the first-pass blocks (a, c, .) into them: in place without races. The pairs come
//     from a table (fft.cpp).
// The inverse is conj(FFT(conj x)): the first pass conjugates what it reads, the last what it
// writes (p.conjIn, p.scaleIm).
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_shader_subgroup_shuffle : require
#include "complex.glsl"
#include "index_math.glsl"
#include "twiddle.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint LOG_RADIX = 4;
layout(constant_id = 2) const uint MODE = 0;
layout(constant_id = 3) const uint LOG_LANES = 0;  // invocations per DFT (neighbours in a subgroup)
const uint TWIDDLE = 0u, NATURAL = 1u, TILE = 2u, FRAMES = 3u;

// The input is read as a texel buffer of float pairs: vector gathers on lavapipe, about twice
// as fast as its lane-by-lane storage-buffer loads (docs/gpu.md). The fft_pass_storage twin
// (STORAGE_READS) reads a storage buffer, for buffers past the device's texel limit.
#ifdef STORAGE_READS
layout(std430, binding = 0) readonly buffer Source { vec2 source[]; };
vec2 src(uint i) { return source[i]; }
#else
layout(binding = 0) uniform samplerBuffer source;
vec2 src(uint i) { return texelFetch(source, int(i)).xy; }
#endif
layout(std430, binding = 1) writeonly buffer Dst { vec2 dst[]; };
layout(std430, binding = 2) readonly buffer Pairs { uvec2 pairs[]; };  // TILE: the pairs of tiles
layout(std430, binding = 3) readonly buffer Signals { float signals[]; };  // FRAMES: the signals
layout(push_constant) uniform Push {
  uint logN;       // transform length n = 2^logN
  uint logNs;      // TWIDDLE: log2 L; TILE: log2 of the pairs per transform
  uint count;      // invocations
  uint rowGroups;  // workgroups per row of the dispatch (gl_NumWorkGroups.x)
  float conjIn;    // multiplies the imaginary parts read: -1 in an inverse's first pass
  float scaleRe;   // multiply the real and imaginary parts written: (scale, -scale) in an
  float scaleIm;   // inverse's last pass
  // FRAMES: the chunk's frames.
  uint samples;        // per signal
  uint logHop;         // hop = 2^logHop
  uint frames;         // F per signal
  uint firstSignal;    // of the chunk
  uint chunkFrames;    // signals in the chunk x F
  float inverseFrames; // 1 / F, for quotient()
} p;

// exp(-2 pi i m / 64), m < 32: the twiddles of the in-register DFTs.
const vec2 W64[32] = vec2[](
    vec2(1, 0.0), vec2(0.99518472667219693, -0.098017140329560604),
    vec2(0.98078528040323043, -0.19509032201612825), vec2(0.95694033573220882, -0.29028467725446233),
    vec2(0.92387953251128674, -0.38268343236508978), vec2(0.88192126434835505, -0.47139673682599764),
    vec2(0.83146961230254524, -0.55557023301960218), vec2(0.77301045336273699, -0.63439328416364549),
    vec2(0.70710678118654757, -0.70710678118654746), vec2(0.63439328416364549, -0.77301045336273699),
    vec2(0.55557023301960229, -0.83146961230254524), vec2(0.47139673682599781, -0.88192126434835494),
    vec2(0.38268343236508984, -0.92387953251128674), vec2(0.29028467725446233, -0.95694033573220894),
    vec2(0.19509032201612833, -0.98078528040323043), vec2(0.09801714032956077, -0.99518472667219682),
    vec2(0.0, -1), vec2(-0.098017140329560645, -0.99518472667219693),
    vec2(-0.19509032201612819, -0.98078528040323043), vec2(-0.29028467725446216, -0.95694033573220894),
    vec2(-0.38268343236508973, -0.92387953251128674), vec2(-0.4713967368259977, -0.88192126434835505),
    vec2(-0.55557023301960196, -0.83146961230254546), vec2(-0.63439328416364538, -0.7730104533627371),
    vec2(-0.70710678118654746, -0.70710678118654757), vec2(-0.77301045336273699, -0.63439328416364549),
    vec2(-0.83146961230254535, -0.55557023301960218), vec2(-0.88192126434835494, -0.47139673682599786),
    vec2(-0.92387953251128674, -0.38268343236508989), vec2(-0.95694033573220882, -0.29028467725446239),
    vec2(-0.98078528040323043, -0.19509032201612861), vec2(-0.99518472667219682, -0.098017140329560826));

uint reverseBits(uint v, uint bits) { return bits == 0u ? 0u : bitfieldReverse(v) >> (32u - bits); }

// In-place DFTs of v[j R .. j R + R), j < GROUPS, each given in bit-reversed order: radix-2
// decimation-in-time stages, natural order out. Constant bounds, so that glslc unrolls the
// loops and the array lives in registers.
#define DFTS(v, LOG_R, GROUPS)                                      \
  [[unroll]] for (uint group = 0u; group < (GROUPS); ++group) {     \
    [[unroll]] for (uint stage = 0u; stage < (LOG_R); ++stage) {    \
      [[unroll]] for (uint k = 0u; k < (1u << (LOG_R)) / 2u; ++k) { \
        const uint len = 1u << stage;                               \
        const uint q = k & (len - 1u);                              \
        const uint at = (group << (LOG_R)) + ((k - q) << 1) + q;    \
        const vec2 a = v[at];                                       \
        vec2 b = v[at + len];                                       \
        if (q == 0u) {                                              \
        } else if (2u * q == len) {                                 \
          b = vec2(b.y, -b.x);                                      \
        } else {                                                    \
          b = cmul(b, W64[q * (32u >> stage)]);                     \
        }                                                           \
        v[at] = a + b;                                              \
        v[at + len] = a - b;                                        \
      }                                                             \
    }                                                               \
  }

uint invocation() {
  return (gl_WorkGroupID.y * p.rowGroups + gl_WorkGroupID.x) * gl_WorkGroupSize.x +
         gl_LocalInvocationID.x;
}

vec2 conjugated(vec2 v) { return vec2(v.x, p.conjIn * v.y); }

// FRAMES: where frame m of the chunk starts in the signals; -1 past the chunk's last frame.
int frameStart(uint m) {
  if (m >= p.chunkFrames) return -1;
  const uint local = quotient(m, p.frames, p.inverseFrames);
  return int((p.firstSignal + local) * p.samples + ((m - local * p.frames) << p.logHop));
}

float framePoint(int start, uint q) { return start < 0 ? 0.0 : signals[uint(start) + q]; }

vec2 scaled(vec2 v) { return vec2(p.scaleRe * v.x, p.scaleIm * v.y); }

// TWIDDLE and NATURAL passes: lane g of the S invocations of a DFT holds the points of
// bit-reversed index m = g + S r, r < R (positions S apart: neighbouring lanes touch
// neighbouring addresses). The P-point DFT: an S-point DFT across the lanes for each r
// (shuffles), twiddles exp(-2 pi i rev(r) g / P), an R-point DFT in each lane's registers;
// lane g then holds outputs g + S r.
void butterflyPass(const uint LOG_R) {
  const uint R = 1u << LOG_R;
  const uint S = 1u << LOG_LANES;
  const uint t = invocation();
  if (t >= p.count) return;
  const uint g = t & (S - 1u);
  const uint logP = LOG_LANES + LOG_R;
  const uint logM = p.logN - logP;  // DFTs per transform
  const uint column = t >> LOG_LANES;
  const uint i = column & ((1u << logM) - 1u);
  const uint start = (column >> logM) << p.logN;

  vec2 u[32];
  uint base, stride;
  if (MODE == NATURAL || MODE == FRAMES) {
    // Gathering reads and contiguous writes: much faster on lavapipe than the converse.
    const uint j = reverseBits(i, logM);
    const uint pair = start >> p.logN;
    const int real = MODE == FRAMES ? frameStart(2u * pair) : 0;
    const int imaginary = MODE == FRAMES ? frameStart(2u * pair + 1u) : 0;
    [[unroll]] for (uint r = 0u; r < R; ++r) {
      const uint q = j + (reverseBits(g + S * r, logP) << logM);
      u[r] = MODE == FRAMES ? hann(q, p.logN) * vec2(framePoint(real, q), framePoint(imaginary, q))
                            : conjugated(src(start + q));
    }
    base = start + (i << logP) + g;
    stride = S;
  } else {
    const uint lo = i & ((1u << p.logNs) - 1u);
    base = start + ((i - lo) << logP) + lo + (g << p.logNs);
    stride = S << p.logNs;
    [[unroll]] for (uint r = 0u; r < R; ++r) u[r] = src(base + r * stride);
    [[unroll]] for (uint r = 0u; r < R; ++r)
      if (LOG_LANES > 0u || r > 0u)
        u[r] = cmul(u[r], twiddle(reverseBits(g + S * r, logP) * lo, p.logNs + logP));
  }
  [[unroll]] for (uint s = 0u; s < LOG_LANES; ++s) {
    const bool upper = ((g >> s) & 1u) != 0u;
    const vec2 w = twiddle(g & ((1u << s) - 1u), s + 1u);
    [[unroll]] for (uint r = 0u; r < R; ++r) {
      const vec2 other = subgroupShuffleXor(u[r], 1u << s);
      const vec2 b = cmul(upper ? u[r] : other, w);
      u[r] = upper ? other - b : u[r] + b;
    }
  }
  if (LOG_LANES > 0u)
    [[unroll]] for (uint r = 1u; r < R; ++r) u[r] = cmul(u[r], twiddle(reverseBits(r, LOG_R) * g, logP));
  DFTS(u, LOG_R, 1u)
  [[unroll]] for (uint r = 0u; r < R; ++r) dst[base + r * stride] = scaled(u[r]);
}

// TILE pass, one invocation per pair of tiles: R DFTs for each tile (LOG_LANES = 0).
void tilePass(const uint LOG_R) {
  const uint R = 1u << LOG_R;
  const uint t = invocation();
  if (t >= p.count) return;
  const uint logB = p.logN - 2u * LOG_R;
  const uvec2 c = pairs[t & ((1u << p.logNs) - 1u)];
  const uvec2 from = uvec2(reverseBits(c.x, logB), reverseBits(c.y, logB)) << LOG_R;
  const uint start = (t >> p.logNs) << p.logN;
  const uint high = LOG_R + logB;  // the position of bits a
  // Group a of u holds the input of block (a, c.x): x[(rev d, rev c.x, rev a)], d < R.
  vec2 u[64], w[64];
  [[unroll]] for (uint a = 0u; a < R; ++a) {
    [[unroll]] for (uint d = 0u; d < R; ++d) {
      const uint at = start + (reverseBits(d, LOG_R) << high) + reverseBits(a, LOG_R);
      u[a * R + d] = conjugated(src(at + from.x));
      w[a * R + d] = conjugated(src(at + from.y));
    }
  }
  DFTS(u, LOG_R, R)
  DFTS(w, LOG_R, R)
  const uvec2 to = c << LOG_R;
  [[unroll]] for (uint a = 0u; a < R; ++a) {
    [[unroll]] for (uint s = 0u; s < R; ++s) {
      const uint at = start + (a << high) + s;
      dst[at + to.x] = scaled(u[a * R + s]);
      dst[at + to.y] = scaled(w[a * R + s]);
    }
  }
}

// Transposes the T x T matrix held by T = 2^LOG_LANES neighbouring lanes (lane g: row g in
// v[0 .. T)): exchanges of blocks by subgroup shuffles, selected by the lane's bits.
#define TRANSPOSE(v, g, LOG_T)                                               \
  [[unroll]] for (uint bit = 0u; bit < (LOG_T); ++bit) {                     \
    const uint m = 1u << bit;                                                \
    const bool upper = ((g) & m) != 0u;                                      \
    [[unroll]] for (uint j = 0u; j < (1u << (LOG_T)); ++j) {                 \
      if ((j & m) == 0u) {                                                   \
        const vec2 received = subgroupShuffleXor(upper ? v[j] : v[j | m], m); \
        if (upper) v[j] = received; else v[j | m] = received;                \
      }                                                                      \
    }                                                                        \
  }

// TILE pass with T = 2^LOG_T = 2^LOG_LANES lanes per pair of T x T tiles: lane g reads row
// rev(g) of both tiles, transposes with its neighbours, transforms its column and writes row
// rev(g) of both tiles, so that no lane writes what another reads.
void laneTilePass(const uint LOG_T) {
  const uint T = 1u << LOG_T;
  const uint t = invocation();
  if (t >= p.count) return;
  const uint g = t & (T - 1u);
  const uint pair = t >> LOG_T;
  const uint logB = p.logN - 2u * LOG_T;
  const uvec2 c = pairs[pair & ((1u << p.logNs) - 1u)];
  const uint start = (pair >> p.logNs) << p.logN;
  const uint row = start + (reverseBits(g, LOG_T) << (LOG_T + logB));
  // Row rev(g) of T(rev c) holds, across the lanes, the input of row rev(g') of T(c), g' < T.
  const uvec2 from = row + (uvec2(reverseBits(c.x, logB), reverseBits(c.y, logB)) << LOG_T);
  const uvec2 to = row + (c << LOG_T);
  vec2 u[8], w[8];
  [[unroll]] for (uint f = 0u; f < T; ++f) {
    u[f] = conjugated(src(from.x + f));
    w[f] = conjugated(src(from.y + f));
  }
  TRANSPOSE(u, g, LOG_T)
  TRANSPOSE(w, g, LOG_T)
  DFTS(u, LOG_T, 1u)
  DFTS(w, LOG_T, 1u)
  [[unroll]] for (uint s = 0u; s < T; ++s) {
    dst[to.x + s] = scaled(u[s]);
    dst[to.y + s] = scaled(w[s]);
  }
}

void main() {
  if (MODE == TILE && LOG_LANES > 0u) {
    if (LOG_LANES == 3u) laneTilePass(3u);
    else if (LOG_LANES == 2u) laneTilePass(2u);
    else laneTilePass(1u);
  } else if (MODE == TILE) {
    if (LOG_RADIX == 3u) tilePass(3u);
    else if (LOG_RADIX == 2u) tilePass(2u);
    else tilePass(1u);
  } else {
    if (LOG_RADIX == 5u) butterflyPass(5u);
    else if (LOG_RADIX == 4u) butterflyPass(4u);
    else if (LOG_RADIX == 3u) butterflyPass(3u);
    else if (LOG_RADIX == 2u) butterflyPass(2u);
    else butterflyPass(1u);
  }
}
