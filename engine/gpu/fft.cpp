#include "gpu/fft.h"

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

struct Push {
  uint32_t logN;
  uint32_t logR;
  uint32_t logNs;
  uint32_t columns;
  uint32_t logTable;
  float direction;
  float scale;
};

// The largest power of two of complex values whose two copies (ping-pong) fit in shared
// memory, at most 2048 (16 KiB each; lavapipe has 32 KiB).
uint32_t logCapacity(const Context& context) {
  const uint32_t fits = std::bit_floor(context.limits().sharedMemoryBytes / (2 * 8));
  return uint32_t(std::countr_zero(std::min<uint32_t>(fits, 2048)));
}

// 256 threads, or fewer when the device allows fewer; never more than the radix-4 butterflies.
KernelSpec passSpec(const Context& context, uint32_t logCap) {
  const uint32_t threads = context.workgroupSize(std::min<uint32_t>(256, (1u << logCap) / 4));
  return {.shader = "fft_pass", .buffers = 3, .pushConstantBytes = sizeof(Push),
          .workgroupSize = threads, .constants = {1u << logCap}};
}

uint32_t checkedSize(uint32_t n, uint32_t maxBatch) {
  if (n < 2 || n > (1u << 24) || !std::has_single_bit(n) || maxBatch == 0)
    throw std::invalid_argument("gpu::Fft: n must be a power of two in 2 .. 2^24 and maxBatch > 0, "
                                "got n = " + std::to_string(n));
  return n;
}

Buffer makeTwiddles(Context& context, uint32_t n) {
  std::vector<float> table(2 * size_t(n));
  for (uint32_t m = 0; m < n; ++m) {
    const double angle = -2.0 * M_PI * double(m) / double(n);
    table[2 * m] = float(std::cos(angle));
    table[2 * m + 1] = float(std::sin(angle));
  }
  Buffer buffer(context, table.size() * sizeof(float));
  buffer.upload(table);
  return buffer;
}

}  // namespace

Fft::Fft(Context& context, uint32_t n, uint32_t maxBatch)
    : kernel_(context.kernel(passSpec(context, logCapacity(context)))),
      n_(checkedSize(n, maxBatch)),
      logN_(uint32_t(std::countr_zero(n))),
      maxBatch_(maxBatch),
      logCapacity_(logCapacity(context)),
      twiddles_(makeTwiddles(context, n_)) {
  // Split log2 n into as few passes as fit, as evenly as possible.
  const uint32_t passes = (logN_ + logCapacity_ - 1) / logCapacity_;
  for (uint32_t p = 0; p < passes; ++p) passRadix_.push_back(logN_ / passes + (p < logN_ % passes));
  for (uint32_t i = 0; i < std::min<uint32_t>(passes - 1, 2); ++i)
    scratch_.emplace_back(context, size_t(maxBatch) * n * 8);
}

void Fft::record(Sequence& sequence, const Buffer& in, Buffer& out, uint32_t batch,
                 Direction direction, float scale) const {
  const size_t bytes = size_t(batch) * n_ * 8;
  if (batch > maxBatch_ || in.bytes() < bytes || out.bytes() < bytes)
    throw std::invalid_argument("gpu::Fft::record: batch above maxBatch or buffers too small");
  uint32_t logNs = 0;
  for (size_t p = 0; p < passRadix_.size(); ++p) {
    const bool last = p + 1 == passRadix_.size();
    const Buffer& from = p == 0 ? in : scratch_[(p - 1) % 2];
    const Buffer& to = last ? out : scratch_[p % 2];
    const uint32_t logR = passRadix_[p];
    const uint32_t columns = batch << (logN_ - logR);
    const uint32_t perGroup = 1u << (logCapacity_ - logR);
    sequence.dispatch(kernel_, {from, to, twiddles_},
                      Push{logN_, logR, logNs, columns, logN_,
                           direction == Direction::Forward ? -1.0f : 1.0f, last ? scale : 1.0f},
                      {(columns + perGroup - 1) / perGroup});
    logNs += logR;
  }
}

}  // namespace audiosplat::gpu
