#include "gpu/fft.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "gpu/context.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

struct Push {
  uint32_t logN;
  uint32_t logNs;  // Twiddle: log2 of the points merged so far; Tile: log2 of the tile pairs
  uint32_t count;  // invocations
  uint32_t rowGroups;
  float conjIn;
  float scaleRe;
  float scaleIm;
  // Frames only (Fft::Frames).
  uint32_t samples, logHop, frames, firstSignal, chunkFrames;
  float inverseFrames;
};

enum Mode : uint32_t { Twiddle = 0, Natural = 1, Tile = 2, FromFrames = 3 };  // fft_pass.comp's MODE

constexpr uint32_t kLogRegisters = 4;     // points per invocation, as a rule: 16 ...
constexpr uint32_t kMaxLogRegisters = 5;  // ... or 32 where that saves a pass
constexpr uint32_t kMaxLogLanes = 3;      // invocations per DFT: up to 8 (subgroup shuffles)
constexpr uint32_t kLogSingleTile = 3;    // without subgroups: 8 x 8 tiles, two per invocation
constexpr uint32_t kRowGroups = 1024;     // workgroups per row of a dispatch

uint32_t checkedSize(uint32_t n, uint32_t maxBatch) {
  if (n < 2 || n > (1u << 24) || !std::has_single_bit(n) || maxBatch == 0)
    throw std::invalid_argument("gpu::Fft: n must be a power of two in 2 .. 2^24 and maxBatch > 0, "
                                "got n = " + std::to_string(n));
  return n;
}

uint32_t reverseBits(uint32_t v, uint32_t bits) {
  uint32_t r = 0;
  for (uint32_t b = 0; b < bits; ++b) r |= ((v >> b) & 1u) << (bits - 1 - b);
  return r;
}

// The tile pass's pairs of tiles T(c) (fft_pass.comp), c of B = logN - 2 tileBits bits:
// (c, rev c) with c < rev c, then the palindromes c = rev c two by two (0 with itself when
// B = 0), as pairs of uints.
std::vector<uint32_t> tilePairs(uint32_t logN, uint32_t tileBits) {
  const uint32_t logB = logN - 2 * tileBits;
  std::vector<uint32_t> pairs, palindromes;
  for (uint32_t c = 0; c < (1u << logB); ++c) {
    const uint32_t r = reverseBits(c, logB);
    if (c < r) pairs.insert(pairs.end(), {c, r});
    if (c == r) palindromes.push_back(c);
  }
  if (palindromes.size() == 1) palindromes.push_back(palindromes[0]);
  pairs.insert(pairs.end(), palindromes.begin(), palindromes.end());
  return pairs;
}

// The tile pairs buffer; with tileBits 0 there is no tile pass, and one unused pair keeps
// the binding valid.
Buffer makePairs(Context& context, uint32_t logN, uint32_t tileBits) {
  const std::vector<uint32_t> pairs = tileBits > 0 ? tilePairs(logN, tileBits) : std::vector<uint32_t>{0, 0};
  Buffer buffer(context, pairs.size() * sizeof(uint32_t));
  buffer.upload(pairs);
  return buffer;
}

// The pass kernel of a mode; every one binds src (as a texel buffer), dst, the tile pairs and
// the signals.
const Kernel& kernel(Context& context, uint32_t logLanes, uint32_t logR, Mode mode) {
  return context.kernel({.shader = "fft_pass", .buffers = 4, .texelPairs = 1u,
                         .pushConstantBytes = sizeof(Push),
                         .workgroupSize = context.workgroupSize(64),
                         .constants = {logR, mode, logLanes}});
}

}  // namespace

Fft::Fft(Context& context, uint32_t n, uint32_t maxBatch)
    : context_(context),
      n_(checkedSize(n, maxBatch)),
      logN_(uint32_t(std::countr_zero(n))),
      maxBatch_(maxBatch),
      outOfPlace_(plan(false)),
      inPlace_(plan(true)),
      fromFrames_(outOfPlace_),
      pairs_(makePairs(context, logN_, inPlace_.front().tile ? inPlace_.front().logR : 0)) {
  Pass& first = fromFrames_.front();
  first.kernel = &kernel(context_, first.logLanes, first.logR, FromFrames);
}

// Passes, chosen by timing on lavapipe (docs/gpu.md): as few as possible, since every pass
// loads and stores every point; DFTs of up to 8 lanes x 16 points (x 32 where that saves a
// pass), the larger ones last.
std::vector<Fft::Pass> Fft::plan(bool inPlace) const {
  const uint32_t subgroup = std::bit_floor(std::max(context_.limits().subgroupSize, 1u));
  const uint32_t maxLanes = std::min<uint32_t>(kMaxLogLanes, std::countr_zero(subgroup));
  std::vector<Pass> passes;
  const auto add = [&](uint32_t logLanes, uint32_t logR, Mode mode) {
    passes.push_back({&kernel(context_, logLanes, logR, mode), logR, logLanes, mode == Tile});
  };
  // A first pass gathers from natural order: one lane per DFT up to 32 points.
  const auto firstLanes = [&](uint32_t bits) {
    return bits <= kMaxLogRegisters ? 0 : std::min(maxLanes, bits - kLogRegisters);
  };
  const uint32_t maxBits = maxLanes + kMaxLogRegisters;
  // One pass: each transform in the registers of one invocation or of neighbouring lanes,
  // which read it whole before writing (so in place too).
  if (logN_ <= maxBits) {
    add(firstLanes(logN_), logN_ - firstLanes(logN_), Natural);
    return passes;
  }
  uint32_t rest = logN_;
  if (inPlace) {  // the tile pass first: the bit reversal and the first radix in place
    const uint32_t tile = maxLanes > 0 ? maxLanes : kLogSingleTile;
    add(maxLanes, tile, Tile);
    rest -= tile;
  }
  const uint32_t count = (rest + maxBits - 1) / maxBits;
  for (uint32_t p = 0; p < count; ++p) {
    const uint32_t bits = rest / count + (p >= count - rest % count);
    if (passes.empty()) {
      add(firstLanes(bits), bits - firstLanes(bits), Natural);
    } else {  // all lanes, 2 .. 32 points per invocation
      const uint32_t lanes = std::min(maxLanes, bits - 1);
      add(lanes, bits - lanes, Twiddle);
    }
  }
  return passes;
}

void Fft::record(Sequence& sequence, const Buffer& in, Buffer& out, uint32_t batch,
                 Direction direction, float scale) const {
  const size_t bytes = size_t(batch) * n_ * 8;
  if (batch > maxBatch_ || in.bytes() < bytes || out.bytes() < bytes)
    throw std::invalid_argument("gpu::Fft::record: batch above maxBatch or buffers too small");
  const float conj = direction == Direction::Forward ? 1.0f : -1.0f;
  recordPasses(sequence, &in == &out ? inPlace_ : outOfPlace_, in, out, in, batch, conj, scale, {});
}

void Fft::recordFrames(Sequence& sequence, const Buffer& sources, const Frames& frames,
                       Buffer& out) const {
  const uint32_t batch = (frames.chunkFrames + 1) / 2;
  const uint32_t signalCount = (frames.chunkFrames + frames.frames - 1) / std::max(frames.frames, 1u);
  if (batch > maxBatch_ || out.bytes() < size_t(batch) * n_ * 8 || !std::has_single_bit(frames.hop) ||
      frames.frames == 0 || size_t(frames.frames - 1) * frames.hop + n_ > frames.samples ||
      sources.bytes() < (size_t(frames.firstSignal) + signalCount) * frames.samples * 4)
    throw std::invalid_argument("gpu::Fft::recordFrames: frames outside the signals, a hop that is "
                                "not a power of two, or a batch above maxBatch");
  recordPasses(sequence, fromFrames_, out, out, sources, batch, 1.0f, 1.0f, frames);
}

void Fft::recordPasses(Sequence& sequence, const std::vector<Pass>& passes, const Buffer& in,
                       Buffer& out, const Buffer& sources, uint32_t batch, float conj, float scale,
                       const Frames& frames) const {
  uint32_t logNs = 0;
  for (size_t p = 0; p < passes.size(); ++p) {
    const Pass& pass = passes[p];
    const bool first = p == 0, last = p + 1 == passes.size();
    // The inverse is conj(FFT(conj x)): the first pass conjugates, the last conjugates and scales.
    Push push{logN_, logNs, batch << (logN_ - pass.logR), 0, first ? conj : 1.0f,
              last ? scale : 1.0f, last ? conj * scale : 1.0f,
              frames.samples, uint32_t(std::countr_zero(frames.hop)), frames.frames,
              frames.firstSignal, frames.chunkFrames,
              frames.frames > 0 ? float(1.0 / double(frames.frames)) : 0.0f};
    if (pass.tile) {  // 2^logLanes invocations per pair of tiles
      const uint32_t logB = logN_ - 2 * pass.logR;
      push.logNs = logB > 0 ? logB - 1 : 0;
      push.count = batch << (push.logNs + pass.logLanes);
    }
    const uint32_t threads = pass.kernel->spec().workgroupSize;
    const uint32_t groups = (push.count + threads - 1) / threads;
    push.rowGroups = std::min({groups, kRowGroups, context_.limits().maxWorkgroupCount[0]});
    sequence.dispatch(*pass.kernel, {first ? in : out, out, pairs_, sources}, push,
                      Groups{push.rowGroups, (groups + push.rowGroups - 1) / push.rowGroups});
    logNs += pass.tile ? pass.logR : pass.logR + pass.logLanes;
  }
}

}  // namespace audiosplat::gpu
