// gpu::SpectrogramKernels against analysis::spectrogram (double, FFTW) on lavapipe: a real
// clip, a sine of known level, silence, a signal shorter than a frame, a start offset, a
// length off the hop grid, many blocks, odd hops and other FFT sizes.
//
// Metric. The GPU computes in float, so its error is about 1e-7 of the frame's largest
// magnitude, whatever the bin's own level: in dB it is tiny for loud bins and grows for bins
// far below their frame's peak. Bins above floor + 40 dB and within kDbRange of their
// frame's peak are compared in dB; every bin is compared in linear magnitude relative to its
// frame's largest (both from the dB values, 10^(dB/20)).
// Measured on lavapipe: max |dB difference| 3.2e-3 (piano C4), 3.3e-3 (a 1 kHz sine; 60 s of noise),
// 4.3e-3 (sine plus noise), 1e-4..1.4e-3 for other FFT sizes; without the kDbRange limit it
// reaches 0.22 dB on the piano (bins more than 80 dB below a loud frame's peak). Max linear
// difference 1.3e-7..8.8e-7 of the frame's largest magnitude. Bounds: 1e-2 dB (3x), 1e-5 (11x).
#include <QtTest>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "analysis/spectrogram.h"
#include "audio/audio_file.h"
#include "gpu/context.h"
#include "gpu/spectrogram.h"
#include "testing.h"

using namespace audiosplat;
using namespace audiosplat::gpu;
using analysis::kSpectrogramFloorDb;

namespace {

constexpr double kFs = 22050.0;
constexpr double kDbRange = 80.0;     // dB below the frame's peak still compared in dB
constexpr double kDbBound = 1e-2;     // max |dB difference| there
constexpr double kLinearBound = 1e-5;  // max |magnitude difference| / the frame's largest

struct Difference {
  double db = 0;      // max |gpu - cpu| in dB over the loud bins
  double linear = 0;  // max |gpu - cpu| in magnitude over the frame's largest, every bin
  size_t loudBins = 0;
};

Difference compare(const analysis::Spectrogram& gpu, const analysis::Spectrogram& cpu) {
  Difference d;
  for (int t = 0; t < cpu.frames; ++t) {
    float peak = kSpectrogramFloorDb;
    for (int b = 0; b < cpu.bins; ++b) peak = std::max(peak, cpu.at(t, b));
    const double peakMagnitude = std::pow(10.0, peak / 20.0);
    for (int b = 0; b < cpu.bins; ++b) {
      const double g = gpu.at(t, b), c = cpu.at(t, b);
      if (c > kSpectrogramFloorDb + 40 && c > peak - kDbRange) {
        d.db = std::max(d.db, std::abs(g - c));
        ++d.loudBins;
      }
      d.linear = std::max(d.linear, std::abs(std::pow(10.0, g / 20) - std::pow(10.0, c / 20)) / peakMagnitude);
    }
  }
  return d;
}

void checkSame(const analysis::Spectrogram& gpu, const analysis::Spectrogram& cpu, const char* what) {
  QCOMPARE(gpu.sampleRate, cpu.sampleRate);
  QCOMPARE(gpu.fftSize, cpu.fftSize);
  QCOMPARE(gpu.hop, cpu.hop);
  QCOMPARE(gpu.startSample, cpu.startSample);
  QCOMPARE(gpu.frames, cpu.frames);
  QCOMPARE(gpu.bins, cpu.bins);
  QCOMPARE(gpu.db.size(), cpu.db.size());
  for (float v : gpu.db) QVERIFY(std::isfinite(v) && v >= kSpectrogramFloorDb);
  const Difference d = compare(gpu, cpu);
  qInfo("%s: %d frames, max |dB difference| %.3g over %zu loud bins, max linear difference %.3g", what,
        cpu.frames, d.db, d.loudBins, d.linear);
  QVERIFY2(d.db <= kDbBound, what);
  QVERIFY2(d.linear <= kLinearBound, what);
}

std::vector<double> noise(size_t length, double rms, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, rms);
  std::vector<double> x(length);
  for (double& v : x) v = normal(rng);
  return x;
}

std::vector<double> sine(size_t length, double hz, double amplitude) {
  std::vector<double> x(length);
  for (size_t i = 0; i < x.size(); ++i) x[i] = amplitude * std::sin(2 * M_PI * hz * double(i) / kFs);
  return x;
}

double millisecondsOf(auto&& work) {
  std::vector<double> times;
  for (int i = 0; i < 3; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[1];
}

}  // namespace

class TestGpuSpectrogram : public QObject {
  Q_OBJECT
  std::unique_ptr<Context> context_;
  std::unique_ptr<SpectrogramKernels> kernels_;  // default settings, reused across tests

 private slots:
  void initTestCase() {
    context_ = std::make_unique<Context>();
    kernels_ = std::make_unique<SpectrogramKernels>(*context_);
    qInfo("%s", context_->info().describe().c_str());
  }

  void realClip() {
    const audio::Audio clip = audio::load(test::devAudio("01_piano_C4_salamander.wav").toStdString());
    QCOMPARE(clip.sampleRate, kFs);
    const auto gpu = kernels_->compute(clip.samples, clip.sampleRate);
    checkSame(gpu, analysis::spectrogram(clip.samples, clip.sampleRate), "piano C4");
    // No float atomics: the same bits every time.
    QVERIFY(kernels_->compute(clip.samples, clip.sampleRate).db == gpu.db);
  }

  void sineReadsItsLevel() {
    const auto x = sine(22050, 1000, 0.5);
    const auto gpu = kernels_->compute(x, kFs);
    checkSame(gpu, analysis::spectrogram(x, kFs), "sine");
    const int frame = gpu.frames / 2;
    int peak = 0;
    for (int b = 0; b < gpu.bins; ++b)
      if (gpu.at(frame, b) > gpu.at(frame, peak)) peak = b;
    QVERIFY(std::abs(peak * kFs / 2048 - 1000) < kFs / 2048);
    QVERIFY(std::abs(gpu.at(frame, peak) - 20 * std::log10(0.5)) < 1.6);  // -6 dB within scalloping
  }

  void silenceIsTheFloor() {
    const std::vector<double> x(5000, 0.0);
    const auto gpu = kernels_->compute(x, kFs, 1000);
    QCOMPARE(gpu.frames, int((x.size() - 1) / 256) + 1);
    for (float v : gpu.db) QCOMPARE(v, kSpectrogramFloorDb);
  }

  void emptySignal() {
    const auto gpu = kernels_->compute({}, kFs, 7);
    QCOMPARE(gpu.frames, 0);
    QCOMPARE(gpu.bins, 1025);
    QCOMPARE(gpu.startSample, int64_t(7));
    QVERIFY(gpu.db.empty());
  }

  void shorterThanOneFrame() {
    for (size_t length : {1u, 100u, 255u, 256u, 257u}) {
      const auto x = noise(length, 0.1, uint32_t(length));
      checkSame(kernels_->compute(x, kFs), analysis::spectrogram(x, kFs), "short");
    }
  }

  void startOffsetAndLengthOffTheHop() {
    const auto x = noise(10007, 0.2, 3);
    const auto gpu = kernels_->compute(x, kFs, 123457);
    QCOMPARE(gpu.startSample, int64_t(123457));
    checkSame(gpu, analysis::spectrogram(x, kFs, 123457), "offset, 10007 samples");
  }

  void manyBlocks() {
    // 64 KiB blocks: 8 frames of 2048 floats; 203 frames = 25 full blocks and one of 3.
    SpectrogramKernels small(*context_, {}, 64 << 10);
    QCOMPARE(small.blockFrames(), 8u);
    auto x = sine(202 * 256 + 17, 440, 0.3);
    const auto extra = noise(x.size(), 0.01, 5);
    for (size_t i = 0; i < x.size(); ++i) x[i] += extra[i];
    const auto gpu = small.compute(x, kFs);
    QCOMPARE(gpu.frames, 203);
    checkSame(gpu, analysis::spectrogram(x, kFs), "8-frame blocks");
    // The same with the default blocks, and a shorter signal after a longer one.
    checkSame(kernels_->compute(x, kFs), analysis::spectrogram(x, kFs), "default blocks");
    const std::span<const double> head(x.data(), 3000);
    checkSame(small.compute(head, kFs), analysis::spectrogram(head, kFs), "8-frame blocks, shorter");
  }

  void otherSettings() {
    const auto x = noise(30011, 0.3, 9);
    const std::vector<analysis::SpectrogramSettings> all{{16, 3}, {256, 64}, {1024, 1000}, {4096, 512}, {8192, 5000}};
    for (const analysis::SpectrogramSettings& settings : all) {
      SpectrogramKernels kernels(*context_, settings);
      const QByteArray what = QByteArray::number(settings.fftSize) + " / " + QByteArray::number(settings.hop);
      checkSame(kernels.compute(x, kFs, 42), analysis::spectrogram(x, kFs, 42, settings), what.constData());
    }
  }

  void refusesBadSettings() {
    const std::vector<analysis::SpectrogramSettings> bad{{1000, 256}, {8, 4}, {2048, 0}, {1 << 23, 256}};
    for (const analysis::SpectrogramSettings& settings : bad)
      QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SpectrogramKernels(*context_, settings));
  }

  // 60 s at 22050 Hz, fftSize 2048, hop 256 (the editor's settings): the figures behind
  // ui/spectrogram_source.cpp's choice. Not asserted.
  void timing() {
    const auto x = noise(size_t(60 * kFs), 0.1, 11);
    analysis::Spectrogram gpu, cpu;
    kernels_->compute(x, kFs);  // warm-up: buffers at full block size
    const double gpuMs = millisecondsOf([&] { gpu = kernels_->compute(x, kFs); });
    const double cpuMs = millisecondsOf([&] { cpu = analysis::spectrogram(x, kFs); });
    const double logMs = millisecondsOf([&] { analysis::logFrequency(gpu, 512); });
    qInfo("60 s at 22050 Hz, 2048 / 256, %d frames in blocks of %u: GPU %.0f ms, CPU (FFTW) %.0f ms, "
          "logFrequency %.1f ms",
          gpu.frames, kernels_->blockFrames(), gpuMs, cpuMs, logMs);
    checkSame(gpu, cpu, "60 s");
  }

  void cleanupTestCase() { QCOMPARE(context_->validationErrors(), uint64_t(0)); }
};

QTEST_GUILESS_MAIN(TestGpuSpectrogram)
#include "test_gpu_spectrogram.moc"
