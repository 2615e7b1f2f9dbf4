#include "gpu/real_fft.h"

#include <bit>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "gpu/context.h"
#include "gpu/kernel.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

struct Push {
  uint32_t logM;
  uint32_t batch;
  float scale;
};

uint32_t checkedSize(uint32_t n) {
  if (n < 4 || n > (1u << 25) || !std::has_single_bit(n))
    throw std::invalid_argument("gpu::RealFft: n must be a power of two in 4 .. 2^25");
  return n;
}

KernelSpec spec(Context& context, const char* shader) {
  return {.shader = shader, .buffers = 3, .pushConstantBytes = sizeof(Push),
          .workgroupSize = context.workgroupSize(256)};
}

Buffer makeTwiddles(Context& context, uint32_t n) {
  std::vector<float> table(n + 2);
  for (uint32_t k = 0; k <= n / 2; ++k) {
    const double angle = -2.0 * M_PI * double(k) / double(n);
    table[2 * k] = float(std::cos(angle));
    table[2 * k + 1] = float(std::sin(angle));
  }
  Buffer buffer(context, table.size() * sizeof(float));
  buffer.upload(table);
  return buffer;
}

}  // namespace

RealFft::RealFft(Context& context, uint32_t n, uint32_t maxBatch)
    : n_(checkedSize(n)),
      half_(context, n / 2, maxBatch),
      post_(context.kernel(spec(context, "rfft_post"))),
      pre_(context.kernel(spec(context, "irfft_pre"))),
      twiddles_(makeTwiddles(context, n)),
      spectrum_(context, size_t(maxBatch) * n * 4) {}

void RealFft::check(const Buffer& real, const Buffer& bins, uint32_t batch) const {
  if (batch > maxBatch() || real.bytes() < size_t(batch) * n_ * 4 ||
      bins.bytes() < size_t(batch) * (n_ / 2 + 1) * 8)
    throw std::invalid_argument("gpu::RealFft: batch above maxBatch or buffers too small");
}

void RealFft::recordForward(Sequence& sequence, const Buffer& in, Buffer& out, uint32_t batch,
                            float scale) const {
  check(in, out, batch);
  half_.record(sequence, in, spectrum_, batch, Direction::Forward);
  const uint32_t threads = post_.spec().workgroupSize;
  sequence.dispatch(post_, {spectrum_, out, twiddles_},
                    Push{uint32_t(std::countr_zero(n_ / 2)), batch, scale},
                    {(n_ / 2 + 1 + threads - 1) / threads, batch});
}

void RealFft::recordInverse(Sequence& sequence, const Buffer& in, Buffer& out, uint32_t batch,
                            float scale) const {
  check(out, in, batch);
  const uint32_t threads = pre_.spec().workgroupSize;
  sequence.dispatch(pre_, {in, spectrum_, twiddles_},
                    Push{uint32_t(std::countr_zero(n_ / 2)), batch, scale},
                    {(n_ / 2 + threads - 1) / threads, batch});
  half_.record(sequence, spectrum_, out, batch, Direction::Inverse);
}

}  // namespace audiosplat::gpu
