#pragma once
// Batched power-of-two complex FFTs (shaders/fft_pass.comp, docs/gpu.md): in-place
// decimation-in-time passes, each one DFT of up to 256 points per 1 .. 8 neighbouring
// invocations (registers and subgroup shuffles), twiddles computed; no shared memory, no
// barriers, no scratch memory. n <= 256 takes one pass, n <= 65536 two (three in place from
// 2^12). Unnormalised like FFTW and dsp::fft: forward exp(-2 pi i m q / n), inverse exp(+...)
// without 1/n (pass scale = 1/n for it). Data are interleaved (re, im) floats; transform b
// starts at complex index b n.
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
  // n = 2^k, 2 <= n <= 2^24; maxBatch transforms per record at most.
  Fft(Context& context, uint32_t n, uint32_t maxBatch);

  uint32_t size() const { return n_; }
  uint32_t maxBatch() const { return maxBatch_; }
  // Records out[b] = scale * FFT(in[b]) for b < batch <= maxBatch; out may be in.
  void record(Sequence& sequence, const Buffer& in, Buffer& out, uint32_t batch,
              Direction direction, float scale = 1.0f) const;

  // Hann-windowed STFT frames of real signals (float, `samples` each), two per transform.
  // Frame m = s frames + t of the chunk covers signal firstSignal + s's samples
  // [t hop, t hop + n); transform b holds frame 2b in its real part and 2b + 1 in its
  // imaginary part (zero past chunkFrames).
  struct Frames {
    uint32_t samples, hop, frames, firstSignal, chunkFrames;
  };
  // Records out[b] = FFT(transform b) for b < (chunkFrames + 1) / 2, reading the frames
  // straight from sources (the signals): no frame buffer is written or read.
  void recordFrames(Sequence& sequence, const Buffer& sources, const Frames& frames,
                    Buffer& out) const;

 private:
  struct Pass {
    const Kernel* kernel;
    uint32_t logR;      // log2 of the points per invocation (Tile: of the tile's side)
    uint32_t logLanes;  // log2 of the invocations per DFT (Tile: per pair of tiles)
    bool tile;          // the first pass of an in-place plan
  };
  std::vector<Pass> plan(bool inPlace) const;
  void recordPasses(Sequence& sequence, const std::vector<Pass>& passes, const Buffer& in,
                    Buffer& out, const Buffer& sources, uint32_t batch, float conj, float scale,
                    const Frames& frames) const;

  Context& context_;
  uint32_t n_;
  uint32_t logN_;
  uint32_t maxBatch_;
  std::vector<Pass> outOfPlace_;  // out != in: the first pass reads `in` in natural order
  std::vector<Pass> inPlace_;     // out == in: the first pass swaps tiles closed under bit reversal
  std::vector<Pass> fromFrames_;  // out of place, the first pass reading frames of signals
  Buffer pairs_;                  // the tile pass's pairs of tiles
};

}  // namespace audiosplat::gpu
