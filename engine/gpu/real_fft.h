#pragma once
// Batched real FFTs of n = 2^k points through one n/2-point complex FFT (the real signal
// read as n/2 complex values) and a pre/post-processing kernel (shaders/rfft_post.comp,
// shaders/irfft_pre.comp). Layouts as dsp::rfft and FFTW: transform b reads n floats at
// b n and writes n/2 + 1 complex bins (interleaved floats) at b (n/2 + 1).
#include <cstdint>

#include "gpu/buffer.h"
#include "gpu/fft.h"

namespace audiosplat::gpu {

class Context;
class Kernel;
class Sequence;

class RealFft {
 public:
  // n = 2^k, 4 <= n <= 2^25; scratch memory for maxBatch transforms.
  RealFft(Context& context, uint32_t n, uint32_t maxBatch);

  uint32_t size() const { return n_; }
  uint32_t maxBatch() const { return half_.maxBatch(); }
  // out = scale * rfft(in) (unnormalised, as dsp::rfft).
  void recordForward(Sequence& sequence, const Buffer& in, Buffer& out, uint32_t batch,
                     float scale = 1.0f) const;
  // out = scale * (FFTW's unnormalised c2r of in), i.e. scale * n * dsp::irfft(in): pass
  // scale = 1/n for dsp::irfft. The imaginary parts of DC and Nyquist are ignored.
  void recordInverse(Sequence& sequence, const Buffer& in, Buffer& out, uint32_t batch,
                     float scale = 1.0f) const;

 private:
  void check(const Buffer& real, const Buffer& bins, uint32_t batch) const;

  uint32_t n_;
  Fft half_;
  const Kernel& post_;
  const Kernel& pre_;
  Buffer twiddles_;  // exp(-2 pi i k / n), k <= n/2
  mutable Buffer spectrum_;  // the n/2-point complex spectra (written by recorded commands)
};

}  // namespace audiosplat::gpu
