#pragma once
// Batched power-of-two complex FFTs (shaders/fft_pass.comp, docs/gpu.md): Stockham passes,
// each an up-to-2048-point DFT per column in shared memory, so that n <= 2048 takes one
// dispatch and n <= 2^22 two. Unnormalised like FFTW and dsp::fft: forward exp(-2 pi i m q / n),
// inverse exp(+...) without 1/n (pass scale = 1/n for it). Data are interleaved (re, im)
// floats; transform b starts at complex index b n.
#include <cstdint>
#include <vector>

#include "gpu/buffer.h"

namespace audiosplat::gpu {

class Context;
class Kernel;
class Sequence;

enum class Direction { Forward, Inverse };

class Fft {
 public:
  // n = 2^k, 2 <= n <= 2^24; scratch memory for maxBatch transforms.
  Fft(Context& context, uint32_t n, uint32_t maxBatch);

  uint32_t size() const { return n_; }
  uint32_t maxBatch() const { return maxBatch_; }
  // Records out[b] = scale * FFT(in[b]) for b < batch <= maxBatch; out may be in.
  void record(Sequence& sequence, const Buffer& in, Buffer& out, uint32_t batch,
              Direction direction, float scale = 1.0f) const;

 private:
  const Kernel& kernel_;
  uint32_t n_;
  uint32_t logN_;
  uint32_t maxBatch_;
  uint32_t logCapacity_;            // complex values a workgroup transforms at once
  std::vector<uint32_t> passRadix_;  // log2 of each pass's DFT length
  Buffer twiddles_;                 // exp(-2 pi i m / n), m < n
  std::vector<Buffer> scratch_;     // between passes: 0, 1 or 2 buffers
};

}  // namespace audiosplat::gpu
