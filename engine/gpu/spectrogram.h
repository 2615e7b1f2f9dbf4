#pragma once
// The display spectrogram (analysis::spectrogram: STFT levels in dB, frames centred every
// hop, periodic Hann) on the GPU, in float: the same struct and the same numbers within float
// rounding (tests/gpu/test_gpu_spectrogram.cpp states how close). Per block of frames, one
// submit: windowed frames (shaders/spectrogram_frames.comp), a batched n/2-point complex
// gpu::Fft, the real FFT's recombination fused with |X| -> dB
// (shaders/spectrogram_decibels.comp). Blocks keep the buffers bounded for files of any
// length. Used by one thread at a time.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "analysis/spectrogram.h"
#include "gpu/buffer.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {

class Context;
class Kernel;

class SpectrogramKernels {
 public:
  // The largest buffer (a block's frames) stays within blockBytes. Throws
  // std::invalid_argument for settings that analysis::spectrogram refuses and FFT sizes
  // above 2^22.
  static constexpr size_t kDefaultBlockBytes = size_t(16) << 20;
  explicit SpectrogramKernels(Context& context, const analysis::SpectrogramSettings& settings = {},
                              size_t blockBytes = kDefaultBlockBytes);
  ~SpectrogramKernels();

  const analysis::SpectrogramSettings& settings() const { return settings_; }
  uint32_t blockFrames() const { return maxBlock_; }  // frames per submit at most

  // analysis::spectrogram(signal, sampleRate, startSample, settings()) on the GPU.
  analysis::Spectrogram compute(std::span<const double> signal, double sampleRate,
                                int64_t startSample = 0);

 private:
  struct Block;  // buffers and FFT for `capacity` frames
  void reserve(uint32_t frames);
  void record(uint32_t batch);
  // The samples of frames [first, first + batch): from half a window before frame `first`,
  // zero outside the signal, as floats.
  void fillChunk(std::span<const double> signal, uint32_t first, uint32_t batch);

  Context& context_;
  analysis::SpectrogramSettings settings_;
  uint32_t maxBlock_;
  const Kernel& frames_;
  const Kernel& decibels_;
  Buffer window_;    // periodic Hann / (n / 4), as n/2 pairs
  Buffer twiddles_;  // exp(-2 pi i k / n), k <= n/2
  std::unique_ptr<Block> block_;
  Sequence sequence_;         // records one block of recordedBatch_ frames
  uint32_t recordedBatch_ = 0;
  std::vector<float> chunk_;  // host copy of the block's samples
};

}  // namespace audiosplat::gpu
