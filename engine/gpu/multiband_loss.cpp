#include "gpu/multiband_loss.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include "gpu/context.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

constexpr uint32_t kSmallestBand = 512;
constexpr uint32_t kFeaturesPerThread = 4;  // shaders/multiband_loss_partials.comp

struct CopyPush {
  uint32_t fromStride, toStride, lo, hi, first, last, count;
};
struct FinalPush {
  uint32_t groupCount, index;
};

uint32_t checkedSegment(uint32_t n) {
  if (n < loss::kMultibandMinLength || n > (1u << 17) || !std::has_single_bit(n))
    throw std::invalid_argument(
        "gpu::MultibandLoss: the segment must be a power of two in 2048 .. 2^17, got " +
        std::to_string(n));
  return n;
}

uint32_t checkedAtoms(uint32_t maxAtoms) {
  if (maxAtoms == 0 || maxAtoms > 4096)
    throw std::invalid_argument("gpu::MultibandLoss: maxAtoms must be in 1 .. 4096");
  return maxAtoms;
}

const Kernel& make(Context& context, const char* shader, uint32_t buffers, uint32_t pushBytes) {
  return context.kernel({.shader = shader, .buffers = buffers, .pushConstantBytes = pushBytes,
                         .workgroupSize = context.workgroupSize(256)});
}

// Band s holds X's bins [s/4, s/2), the smallest one [0, 256).
uint32_t bandLow(uint32_t s) { return s == kSmallestBand ? 0 : s / 4; }

// Per group (4 words): feature offset, size, first partial, partials (blocks of the
// partials kernel, `block` features each).
std::vector<uint32_t> groupTable(const loss::FeatureLayout& layout, const Kernel& partials) {
  const size_t block = kFeaturesPerThread * partials.spec().workgroupSize;
  std::vector<uint32_t> table;
  uint32_t first = 0;
  for (const auto& g : layout.groups) {
    const uint32_t blocks = uint32_t((g.size() + block - 1) / block);
    table.insert(table.end(), {uint32_t(g.offset), uint32_t(g.size()), first, blocks});
    first += blocks;
  }
  return table;
}

size_t partialBytes(const std::vector<uint32_t>& table) {
  return size_t(table[table.size() - 2] + table.back()) * 4;  // the last group's first + count
}

Buffer uploaded(Context& context, const std::vector<uint32_t>& values) {
  Buffer buffer(context, values.size() * sizeof(uint32_t));
  buffer.upload(values);
  return buffer;
}

float inverseSqrt(uint32_t n) { return float(1.0 / std::sqrt(double(n))); }

}  // namespace

MultibandLoss::MultibandLoss(Context& context, uint32_t segment, uint32_t maxAtoms)
    : segment_(checkedSegment(segment)),
      maxAtoms_(checkedAtoms(maxAtoms)),
      layout_(loss::multibandLayout(segment)),
      stfts_(context, layout_, maxAtoms),
      copyBins_(make(context, "multiband_copy_bins", 2, sizeof(CopyPush))),
      lossPartials_(make(context, "multiband_loss_partials", 4, 0)),
      lossFinal_(make(context, "multiband_loss_final", 3, sizeof(FinalPush))),
      spectrum_(context, size_t(maxAtoms) * (segment / 2 + 1) * 8),
      bandBins_(context, size_t(maxAtoms) * (segment / 2 + 1) * 8),
      bandGradient_(context, size_t(maxAtoms) * segment * 4),
      target_(context, layout_.total * 4),
      summed_(context, layout_.total * 4),
      groupTable_(uploaded(context, groupTable(layout_, lossPartials_))),
      partials_(context, partialBytes(groupTable(layout_, lossPartials_))) {
  const std::vector<uint32_t> table = groupTable(layout_, lossPartials_);
  for (size_t g = 0; g < layout_.groups.size(); ++g)
    maxBlocks_ = std::max(maxBlocks_, table[4 * g + 3]);
  for (uint32_t s = kSmallestBand; s <= segment; s *= 2)
    bands_.push_back({s, std::make_unique<RealFft>(context, s, maxAtoms),
                      Buffer(context, size_t(maxAtoms) * s * 4)});
}

size_t MultibandLoss::bufferBytes() const {
  size_t bytes = stfts_.scratchBytes() + spectrum_.bytes() + bandBins_.bytes() +
                 bandGradient_.bytes() + target_.bytes() + summed_.bytes() +
                 groupTable_.bytes() + partials_.bytes();
  for (const Band& band : bands_) bytes += band.samples.bytes();
  return bytes;
}

void MultibandLoss::setTarget(std::span<const double> targetFeatures) {
  if (targetFeatures.size() != layout_.total)
    throw std::invalid_argument("gpu::MultibandLoss::setTarget: expected " +
                                std::to_string(layout_.total) + " features");
  const std::vector<float> values(targetFeatures.begin(), targetFeatures.end());
  target_.upload(values);
}

void MultibandLoss::recordCopyBins(Sequence& sequence, const Buffer& from, Buffer& to,
                                   uint32_t fromStride, uint32_t toStride, uint32_t lo,
                                   uint32_t hi, uint32_t first, uint32_t last,
                                   uint32_t count) const {
  const uint32_t threads = copyBins_.spec().workgroupSize;
  sequence.dispatch(copyBins_, {from, to},
                    CopyPush{fromStride, toStride, lo, hi, first, last, count},
                    Groups{(last - first + threads - 1) / threads, count});
}

void MultibandLoss::record(Sequence& sequence, const Buffer& placed, uint32_t count,
                           Buffer& gradient, Buffer& value, uint32_t valueIndex) const {
  const size_t signalBytes = size_t(count) * segment_ * 4;
  if (count == 0 || count > maxAtoms_ || placed.bytes() < signalBytes ||
      gradient.bytes() < signalBytes || value.bytes() < (size_t(valueIndex) + 1) * 4)
    throw std::invalid_argument(
        "gpu::MultibandLoss::record: count outside 1 .. maxAtoms or buffers too small");
  recordForward(sequence, placed, count);
  // The loss: per-block partial sums, then one workgroup adds them up group by group.
  const uint32_t groups = uint32_t(layout_.groups.size());
  sequence.dispatch(lossPartials_, {summed_, target_, groupTable_, partials_},
                    Groups{maxBlocks_, groups});
  sequence.dispatch(lossFinal_, {partials_, groupTable_, value}, FinalPush{groups, valueIndex},
                    Groups{1});
  recordBackward(sequence, placed, count, gradient);
}

void MultibandLoss::recordForward(Sequence& sequence, const Buffer& placed,
                                  uint32_t count) const {
  const uint32_t halfN = segment_ / 2 + 1;
  bands_.back().fft->recordForward(sequence, placed, spectrum_, count, inverseSqrt(segment_));
  size_t g = 0;
  for (const Band& band : bands_) {
    const uint32_t s = band.size;
    // b_s = c2r(B_s) / sqrt(s): the orthonormal inverse of the band's bins.
    recordCopyBins(sequence, spectrum_, bandBins_, halfN, s / 2 + 1, bandLow(s), s / 2, 0,
                   s / 2 + 1, count);
    band.fft->recordInverse(sequence, bandBins_, band.samples, count, inverseSqrt(s));
    for (int k = 0; k < 3; ++k, ++g)
      stfts_.recordFeatures(sequence, layout_.groups[g], s, band.samples, count, summed_);
  }
  stfts_.recordFeatures(sequence, layout_.groups[g], segment_, placed, count, summed_);
}

void MultibandLoss::recordBackward(Sequence& sequence, const Buffer& placed, uint32_t count,
                                   Buffer& gradient) const {
  const uint32_t halfN = segment_ / 2 + 1;
  size_t g = 0;
  for (const Band& band : bands_) {
    const uint32_t s = band.size;
    for (int k = 0; k < 3; ++k, ++g)
      stfts_.recordBackward(sequence, layout_.groups[g], s, band.samples, count, summed_,
                            target_, bandGradient_, k > 0);
    // dLoss/dX_q = rfft(dLoss/db_s)_q / sqrt(s) on the band's bins: the Hermitian weights of
    // the band's inverse and of X's forward transform cancel (loss_multiband.cpp). The top
    // band also zeroes X's Nyquist bin, which no band holds.
    band.fft->recordForward(sequence, bandGradient_, bandBins_, count, inverseSqrt(s));
    const uint32_t last = s == segment_ ? s / 2 + 1 : s / 2;
    recordCopyBins(sequence, bandBins_, spectrum_, s / 2 + 1, halfN, bandLow(s), s / 2,
                   bandLow(s), last, count);
  }
  // dLoss/dx = sqrt(N) irfft(dLoss/dX) = c2r(.) / sqrt(N), plus the full-band STFT's part.
  bands_.back().fft->recordInverse(sequence, spectrum_, gradient, count, inverseSqrt(segment_));
  stfts_.recordBackward(sequence, layout_.groups[g], segment_, placed, count, summed_, target_,
                        gradient, true);
}

}  // namespace audiosplat::gpu
