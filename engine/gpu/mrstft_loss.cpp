#include "gpu/mrstft_loss.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include "gpu/context.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"
#include "model/loss_mrstft.h"
#include "model/stft.h"

namespace audiosplat::gpu {
namespace {

// shaders/mrstft.glsl derives every size's window, frames and table offsets from this list.
static_assert(loss::kMrstftWindows == std::array<int, 5>{2048, 1024, 512, 256, 128});
constexpr uint32_t kSizes = 5;
constexpr uint32_t kPairsPerThread = 8;  // mrstft_sums: bin pairs each thread sums before the tree

struct SegmentPush {
  uint32_t segment;
};
struct SumsPush {
  uint32_t segment, targetOffset[kSizes], partialStride;
};
struct CombinePush {
  uint32_t segment, partialCount[kSizes], partialStride, valueIndex;
};
struct GradientPush {
  uint32_t segment, targetOffset[kSizes];
};

uint32_t checkedSegment(uint32_t n) {
  if (n < 2048 || n > (1u << 17) || !std::has_single_bit(n))
    throw std::invalid_argument(
        "gpu::MrstftLoss: the segment must be a power of two in 2048 .. 2^17, got " + std::to_string(n));
  return n;
}

const Kernel& make(Context& context, const char* shader, uint32_t buffers, uint32_t pushBytes,
                   std::vector<uint32_t> constants = {}) {
  return context.kernel({.shader = shader, .buffers = buffers, .pushConstantBytes = pushBytes,
                         .workgroupSize = context.workgroupSize(256), .constants = std::move(constants)});
}

uint32_t divideUp(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

// The windows of every size, largest first, then exp(-2 pi i q / 2048) for q <= 1024.
Buffer makeTables(Context& context) {
  std::vector<float> table;
  for (const int window : loss::kMrstftWindows)
    for (int j = 0; j < window; ++j) table.push_back(float(0.5 - 0.5 * std::cos(2.0 * M_PI * j / window)));
  for (int q = 0; q <= 1024; ++q) {
    table.push_back(float(std::cos(-2.0 * M_PI * q / 2048)));
    table.push_back(float(std::sin(-2.0 * M_PI * q / 2048)));
  }
  Buffer buffer(context, table.size() * sizeof(float));
  buffer.upload(table);
  return buffer;
}

}  // namespace

MrstftLoss::Resolution::Resolution(Context& context, uint32_t segment, uint32_t window)
    : window(window),
      frames(segment / (window / 4) + 1),
      fft(context, window / 2, frames),
      spectra(context, size_t(frames) * window * sizeof(float)) {}

MrstftLoss::MrstftLoss(Context& context, uint32_t segment)
    : segment_(checkedSegment(segment)),
      frame_(make(context, "mrstft_frame", kSizes + 2, sizeof(SegmentPush))),
      sums_(make(context, "mrstft_sums", kSizes + 3, sizeof(SumsPush), {kPairsPerThread})),
      combine_(make(context, "mrstft_combine", 4, sizeof(CombinePush))),
      gradientSpectra_(make(context, "mrstft_gradient_spectra", kSizes + 3, sizeof(GradientPush))),
      overlapAdd_(make(context, "mrstft_overlap_add", kSizes + 2, sizeof(SegmentPush))),
      partialStride_(0),
      tables_(makeTables(context)),
      target_(context, 8),  // sized below
      partials_(context, 8),
      norms_(context, kSizes * sizeof(float)),
      gains_(context, kSizes * 2 * sizeof(float)) {
  resolutions_.reserve(kSizes);
  uint32_t bins = 0;
  for (const int window : loss::kMrstftWindows) {
    const Resolution& r = resolutions_.emplace_back(context, segment_, uint32_t(window));
    targetOffsets_.push_back(bins);
    bins += r.frames * (r.window / 2 + 1);
    partialStride_ = std::max(partialStride_, divideUp(r.pairs(), sums_.spec().workgroupSize * kPairsPerThread));
  }
  target_ = Buffer(context, size_t(bins) * 2 * sizeof(float));
  partials_ = Buffer(context, size_t(kSizes) * partialStride_ * 2 * sizeof(float));
}

void MrstftLoss::setTarget(std::span<const double> target) {
  if (target.size() != segment_)
    throw std::invalid_argument("gpu::MrstftLoss::setTarget: the target must have segment() samples");
  std::vector<float> norms, pairs;
  std::vector<double> magnitudes;
  for (const Resolution& r : resolutions_) {
    const int window = int(r.window);
    const loss::Stft stft(segment_, window, window / 4, window / 2);
    magnitudes.resize(stft.size());
    stft.magnitudes(target, magnitudes);
    double sumSquares = 0.0;
    for (const double y : magnitudes) {
      sumSquares += y * y;
      pairs.push_back(float(y));
      pairs.push_back(float(std::log(y + loss::kMrstftLogFloor)));
    }
    norms.push_back(float(std::sqrt(sumSquares)));
  }
  target_.upload(pairs);
  norms_.upload(norms);
}

void MrstftLoss::record(Sequence& sequence, const Buffer& mixture, Buffer& gradient, Buffer& value,
                        uint32_t valueIndex) const {
  const size_t bytes = size_t(segment_) * sizeof(float);
  if (mixture.bytes() < bytes || gradient.bytes() < bytes ||
      value.bytes() < (size_t(valueIndex) + 1) * sizeof(float))
    throw std::invalid_argument("gpu::MrstftLoss::record: buffers too small");
  const Buffer &s0 = resolutions_[0].spectra, &s1 = resolutions_[1].spectra,
               &s2 = resolutions_[2].spectra, &s3 = resolutions_[3].spectra,
               &s4 = resolutions_[4].spectra;
  // Grids over the size with the most frame points or bin pairs; every kernel has `threads`.
  const uint32_t threads = sums_.spec().workgroupSize;
  uint32_t maxPoints = 0, maxPairs = 0;
  for (const Resolution& r : resolutions_) {
    maxPoints = std::max(maxPoints, r.frames * r.window);
    maxPairs = std::max(maxPairs, r.pairs());
  }

  sequence.dispatch(frame_, {s0, s1, s2, s3, s4, mixture, tables_}, SegmentPush{segment_},
                    {divideUp(maxPoints / 2, threads), kSizes});
  for (const Resolution& r : resolutions_)
    r.fft.record(sequence, r.spectra, r.spectra, r.frames, Direction::Forward);
  SumsPush sums{};
  CombinePush combine{};
  GradientPush backward{};
  sums.segment = combine.segment = backward.segment = segment_;
  sums.partialStride = combine.partialStride = partialStride_;
  combine.valueIndex = valueIndex;
  for (uint32_t s = 0; s < kSizes; ++s) {
    const Resolution& r = resolutions_[s];
    sums.targetOffset[s] = backward.targetOffset[s] = targetOffsets_[s];
    combine.partialCount[s] = divideUp(r.pairs(), threads * kPairsPerThread);
  }
  sequence.dispatch(sums_, {s0, s1, s2, s3, s4, tables_, target_, partials_}, sums,
                    {partialStride_, kSizes});
  sequence.dispatch(combine_, {partials_, norms_, gains_, value}, combine, {1});

  sequence.dispatch(gradientSpectra_, {s0, s1, s2, s3, s4, tables_, target_, gains_}, backward,
                    {divideUp(maxPairs, threads), kSizes});
  for (const Resolution& r : resolutions_)
    r.fft.record(sequence, r.spectra, r.spectra, r.frames, Direction::Inverse);
  sequence.dispatch(overlapAdd_, {s0, s1, s2, s3, s4, tables_, gradient}, SegmentPush{segment_},
                    {divideUp(segment_, threads)});
}

}  // namespace audiosplat::gpu
