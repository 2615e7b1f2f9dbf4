#include "gpu/spectrogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "gpu/context.h"
#include "gpu/fft.h"
#include "gpu/kernel.h"

namespace audiosplat::gpu {
namespace {

struct FramesPush {
  uint32_t pairs, hop;
};
struct DecibelsPush {
  uint32_t logM;
  float floorDb;
};

const analysis::SpectrogramSettings& checked(const analysis::SpectrogramSettings& s) {
  const int n = s.fftSize;
  // 2^22 keeps a frame's grid within 65535 workgroups (lavapipe's limit).
  if (n < 16 || n > (1 << 22) || !std::has_single_bit(unsigned(n)) || s.hop < 1)
    throw std::invalid_argument(
        "gpu::SpectrogramKernels: the FFT size must be a power of two in 16 .. 2^22 and the hop >= 1");
  return s;
}

const Kernel& make(Context& context, const char* shader, uint32_t pushBytes) {
  return context.kernel({.shader = shader, .buffers = 3, .pushConstantBytes = pushBytes,
                         .workgroupSize = context.workgroupSize(256)});
}

// Frames per block: the frames buffer (n floats per frame) within blockBytes and the
// device's binding limit, the chunk of samples too (hop floats per frame), the grid's y limit.
uint32_t framesPerBlock(const Context& context, const analysis::SpectrogramSettings& s, size_t blockBytes) {
  const uint64_t bytes = std::min<uint64_t>(blockBytes, context.limits().maxStorageBufferBytes);
  const uint64_t perFrame = 4ull * uint64_t(std::max(s.fftSize, s.hop));
  const uint64_t frames = std::min<uint64_t>(bytes / perFrame, context.limits().maxWorkgroupCount[1]);
  return uint32_t(std::max<uint64_t>(frames, 1));
}

// The periodic Hann window over the reference level sum(window) / 2 = n / 4, so that the
// FFT gives |X| = 1 for a full-scale sine (analysis::spectrogram divides after its FFT).
Buffer makeWindow(Context& context, int n) {
  std::vector<float> window(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    window[size_t(i)] = float((0.5 - 0.5 * std::cos(2.0 * M_PI * i / n)) / (n / 4.0));
  Buffer buffer(context, window.size() * sizeof(float));
  buffer.upload(window);
  return buffer;
}

Buffer makeTwiddles(Context& context, int n) {
  std::vector<float> table(size_t(n) + 2);
  for (int k = 0; k <= n / 2; ++k) {
    const double angle = -2.0 * M_PI * k / n;
    table[2 * size_t(k)] = float(std::cos(angle));
    table[2 * size_t(k) + 1] = float(std::sin(angle));
  }
  Buffer buffer(context, table.size() * sizeof(float));
  buffer.upload(table);
  return buffer;
}

size_t chunkLength(const analysis::SpectrogramSettings& s, uint32_t frames) {
  return size_t(frames - 1) * size_t(s.hop) + size_t(s.fftSize);
}

}  // namespace

struct SpectrogramKernels::Block {
  Block(Context& context, const analysis::SpectrogramSettings& s, uint32_t capacity)
      : capacity(capacity),
        fft(context, uint32_t(s.fftSize / 2), capacity),
        chunk(context, chunkLength(s, capacity) * sizeof(float)),
        frames(context, size_t(capacity) * size_t(s.fftSize) * sizeof(float)),
        spectra(context, size_t(capacity) * size_t(s.fftSize) * sizeof(float)),
        db(context, size_t(capacity) * size_t(s.fftSize / 2 + 1) * sizeof(float)) {}
  uint32_t capacity;
  Fft fft;         // n/2 complex points per frame
  Buffer chunk;    // the block's samples
  Buffer frames;   // windowed frames, read by the FFT as n/2 complex values each
  Buffer spectra;  // their n/2-point spectra
  Buffer db;       // frames x bins levels
};

SpectrogramKernels::SpectrogramKernels(Context& context, const analysis::SpectrogramSettings& settings,
                                       size_t blockBytes)
    : context_(context),
      settings_(checked(settings)),
      maxBlock_(framesPerBlock(context, settings, blockBytes)),
      frames_(make(context, "spectrogram_frames", sizeof(FramesPush))),
      decibels_(make(context, "spectrogram_decibels", sizeof(DecibelsPush))),
      window_(makeWindow(context, settings.fftSize)),
      twiddles_(makeTwiddles(context, settings.fftSize)),
      sequence_(context) {}

SpectrogramKernels::~SpectrogramKernels() = default;

void SpectrogramKernels::reserve(uint32_t frames) {
  if (block_ && block_->capacity >= frames) return;
  // Powers of two, so that segments of slowly growing lengths do not reallocate each time.
  const uint32_t capacity = std::min(maxBlock_, std::bit_ceil(frames));
  sequence_.clear();  // it refers to the old buffers
  recordedBatch_ = 0;
  block_.reset();
  block_ = std::make_unique<Block>(context_, settings_, capacity);
}

void SpectrogramKernels::record(uint32_t batch) {
  sequence_.clear();
  const uint32_t n = uint32_t(settings_.fftSize), pairs = n / 2, threads = frames_.spec().workgroupSize;
  sequence_.dispatch(frames_, {block_->chunk, window_, block_->frames},
                     FramesPush{pairs, uint32_t(settings_.hop)}, {(pairs + threads - 1) / threads, batch});
  block_->fft.record(sequence_, block_->frames, block_->spectra, batch, Direction::Forward);
  sequence_.dispatch(decibels_, {block_->spectra, block_->db, twiddles_},
                     DecibelsPush{uint32_t(std::countr_zero(pairs)), analysis::kSpectrogramFloorDb},
                     {(pairs + 1 + threads - 1) / threads, batch});
  recordedBatch_ = batch;
}

void SpectrogramKernels::fillChunk(std::span<const double> signal, uint32_t first, uint32_t batch) {
  chunk_.resize(chunkLength(settings_, batch));
  const int64_t from = int64_t(first) * settings_.hop - settings_.fftSize / 2;
  const int64_t length = int64_t(signal.size());
  for (size_t i = 0; i < chunk_.size(); ++i) {
    const int64_t k = from + int64_t(i);
    chunk_[i] = (k >= 0 && k < length) ? float(signal[size_t(k)]) : 0.0f;
  }
}

analysis::Spectrogram SpectrogramKernels::compute(std::span<const double> signal, double sampleRate,
                                                  int64_t startSample) {
  analysis::Spectrogram s;
  s.sampleRate = sampleRate;
  s.fftSize = settings_.fftSize;
  s.hop = settings_.hop;
  s.startSample = startSample;
  s.bins = settings_.fftSize / 2 + 1;
  s.frames = signal.empty() ? 0 : int((signal.size() - 1) / size_t(settings_.hop)) + 1;
  s.db.resize(size_t(s.frames) * size_t(s.bins));
  if (s.frames == 0) return s;

  reserve(uint32_t(s.frames));
  for (uint32_t first = 0; first < uint32_t(s.frames);) {
    const uint32_t batch = std::min(block_->capacity, uint32_t(s.frames) - first);
    fillChunk(signal, first, batch);
    block_->chunk.upload(std::span<const float>(chunk_));
    if (batch != recordedBatch_) record(batch);
    sequence_.submit();
    block_->db.read(0, s.db.data() + size_t(first) * size_t(s.bins), size_t(batch) * size_t(s.bins) * 4);
    first += batch;
  }
  return s;
}

}  // namespace audiosplat::gpu
