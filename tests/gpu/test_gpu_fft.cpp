// GPU FFTs (gpu::Fft, gpu::RealFft) against the CPU's double-precision dsp::fft / dsp::rfft
// on random data, every power of two 16 .. 65536, batches 1 and 7. Error measure: the max
// absolute error over the RMS of the exact output (= RMS(input) sqrt(n) for a forward
// transform of white data); float FFTs reach ~1e-7 log2(n); the bound is 1e-5.
#include <QtTest>
#include <cmath>
#include <complex>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dsp/fft.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/fft.h"
#include "gpu/real_fft.h"
#include "gpu/sequence.h"

using namespace audiosplat;
using namespace audiosplat::gpu;
using Complex = std::complex<double>;

namespace {

constexpr double kTolerance = 1e-5;

std::vector<float> randomFloats(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> values(count);
  for (float& v : values) v = normal(rng);
  return values;
}

// max |gpu - exact| / rms(exact) over interleaved or plain values.
double relativeError(const std::vector<float>& gpu, const std::vector<double>& exact) {
  double maxError = 0, sumSquares = 0;
  for (size_t i = 0; i < exact.size(); ++i) {
    maxError = std::max(maxError, std::abs(double(gpu[i]) - exact[i]));
    sumSquares += exact[i] * exact[i];
  }
  return maxError / std::sqrt(sumSquares / exact.size());
}

std::vector<double> interleave(const std::vector<Complex>& values) {
  std::vector<double> out;
  for (const Complex& c : values) {
    out.push_back(c.real());
    out.push_back(c.imag());
  }
  return out;
}

// Forward FFTs of random data out of place and in place on context: the worse error.
double forwardError(Context& context, uint32_t n, uint32_t batch, uint32_t seed) {
  const auto input = randomFloats(size_t(2) * n * batch, seed);
  Buffer in(context, input.size() * 4), out(context, input.size() * 4), data(context, input.size() * 4);
  in.upload(input);
  data.upload(input);
  Fft fft(context, n, batch);
  Sequence sequence(context);
  fft.record(sequence, in, out, batch, Direction::Forward);
  fft.record(sequence, data, data, batch, Direction::Forward);
  sequence.submit();
  std::vector<double> exact;
  std::vector<Complex> x(n), y(n);
  for (uint32_t b = 0; b < batch; ++b) {
    for (uint32_t m = 0; m < n; ++m) x[m] = {input[2 * (size_t(b) * n + m)], input[2 * (size_t(b) * n + m) + 1]};
    dsp::fft(x, y, false);
    for (double v : interleave(y)) exact.push_back(v);
  }
  return std::max(relativeError(out.download<float>(), exact), relativeError(data.download<float>(), exact));
}

void sizesAndBatches() {
  QTest::addColumn<uint32_t>("n");
  QTest::addColumn<uint32_t>("batch");
  for (uint32_t n = 16; n <= 65536; n *= 2)
    for (uint32_t batch : {1u, 7u}) QTest::addRow("n=%u batch=%u", n, batch) << n << batch;
}

}  // namespace

class TestGpuFft : public QObject {
  Q_OBJECT
  std::unique_ptr<Context> context_;
  double worstComplex_ = 0, worstReal_ = 0;

 private slots:
  void initTestCase() { context_ = std::make_unique<Context>(); }

  void complexMatchesCpu_data() { sizesAndBatches(); }
  void complexMatchesCpu() {
    QFETCH(uint32_t, n);
    QFETCH(uint32_t, batch);
    const auto input = randomFloats(size_t(2) * n * batch, n + batch);
    Buffer in(*context_, input.size() * 4), forward(*context_, input.size() * 4),
        inverse(*context_, input.size() * 4);
    in.upload(input);
    Fft fft(*context_, n, batch);
    Sequence sequence(*context_);
    fft.record(sequence, in, forward, batch, Direction::Forward);
    fft.record(sequence, in, inverse, batch, Direction::Inverse);
    sequence.submit();
    const auto gpuForward = forward.download<float>(), gpuInverse = inverse.download<float>();

    std::vector<double> exactForward, exactInverse;
    for (uint32_t b = 0; b < batch; ++b) {
      std::vector<Complex> x(n), y(n);
      for (uint32_t m = 0; m < n; ++m) x[m] = {input[2 * (b * n + m)], input[2 * (b * n + m) + 1]};
      dsp::fft(x, y, false);
      for (double v : interleave(y)) exactForward.push_back(v);
      dsp::fft(x, y, true);
      for (double v : interleave(y)) exactInverse.push_back(v);
    }
    const double error = std::max(relativeError(gpuForward, exactForward),
                                  relativeError(gpuInverse, exactInverse));
    qInfo("complex n=%u batch=%u: max error / rms %.3g", n, batch, error);
    worstComplex_ = std::max(worstComplex_, error);
    QVERIFY(error < kTolerance);
  }

  void realMatchesCpu_data() { sizesAndBatches(); }
  void realMatchesCpu() {
    QFETCH(uint32_t, n);
    QFETCH(uint32_t, batch);
    const uint32_t bins = n / 2 + 1;
    const auto signal = randomFloats(size_t(n) * batch, n + batch + 100);
    auto spectrum = randomFloats(size_t(2) * bins * batch, n + batch + 200);
    Buffer x(*context_, signal.size() * 4), bigX(*context_, spectrum.size() * 4),
        gpuSpectrum(*context_, spectrum.size() * 4), gpuSignal(*context_, signal.size() * 4);
    x.upload(signal);
    bigX.upload(spectrum);  // DC and Nyquist have imaginary parts, which c2r ignores
    RealFft fft(*context_, n, batch);
    Sequence sequence(*context_);
    fft.recordForward(sequence, x, gpuSpectrum, batch);
    fft.recordInverse(sequence, bigX, gpuSignal, batch, 1.0f / float(n));
    sequence.submit();

    std::vector<double> exactSpectrum, exactSignal;
    for (uint32_t b = 0; b < batch; ++b) {
      std::vector<double> frame(signal.begin() + b * n, signal.begin() + (b + 1) * n);
      for (double v : interleave(dsp::rfft(frame))) exactSpectrum.push_back(v);
      std::vector<Complex> bins_(bins);
      for (uint32_t k = 0; k < bins; ++k)
        bins_[k] = {spectrum[2 * (b * bins + k)], spectrum[2 * (b * bins + k) + 1]};
      dsp::irfft(bins_, frame);
      exactSignal.insert(exactSignal.end(), frame.begin(), frame.end());
    }
    const double error = std::max(relativeError(gpuSpectrum.download<float>(), exactSpectrum),
                                  relativeError(gpuSignal.download<float>(), exactSignal));
    qInfo("real n=%u batch=%u: max error / rms %.3g", n, batch, error);
    worstReal_ = std::max(worstReal_, error);
    QVERIFY(error < kTolerance);
  }

  void complexInPlaceMatchesCpu_data() {
    // In place (out == in), n > 256 starts with a pass on pairs of tiles instead of gathering;
    // also the smallest sizes and a large one.
    QTest::addColumn<uint32_t>("n");
    QTest::addColumn<uint32_t>("batch");
    for (uint32_t n = 2; n <= 65536; n *= 2) QTest::addRow("n=%u batch=3", n) << n << 3u;
    QTest::addRow("n=1048576 batch=1") << (1u << 20) << 1u;
  }
  void complexInPlaceMatchesCpu() {
    QFETCH(uint32_t, n);
    QFETCH(uint32_t, batch);
    const auto input = randomFloats(size_t(2) * n * batch, n + batch + 300);
    Buffer forward(*context_, input.size() * 4), inverse(*context_, input.size() * 4);
    forward.upload(input);
    inverse.upload(input);
    Fft fft(*context_, n, batch);
    Sequence sequence(*context_);
    fft.record(sequence, forward, forward, batch, Direction::Forward);
    fft.record(sequence, inverse, inverse, batch, Direction::Inverse, 1.0f / float(n));
    sequence.submit();

    std::vector<double> exactForward, exactInverse;
    for (uint32_t b = 0; b < batch; ++b) {
      std::vector<Complex> x(n), y(n);
      for (uint32_t m = 0; m < n; ++m) x[m] = {input[2 * (size_t(b) * n + m)], input[2 * (size_t(b) * n + m) + 1]};
      dsp::fft(x, y, false);
      for (double v : interleave(y)) exactForward.push_back(v);
      dsp::fft(x, y, true);
      for (double v : interleave(y)) exactInverse.push_back(v / n);
    }
    const double error = std::max(relativeError(forward.download<float>(), exactForward),
                                  relativeError(inverse.download<float>(), exactInverse));
    qInfo("complex in place n=%u batch=%u: max error / rms %.3g", n, batch, error);
    worstComplex_ = std::max(worstComplex_, error);
    QVERIFY(error < kTolerance);
  }

  void manySmallTransforms() {
    // Over 10^5 invocations per pass: dispatches of several rows of workgroups, in and out of
    // place, one pass (2, 16) and two (512).
    for (const auto& [n, batch] : {std::pair{2u, 100003u}, {16u, 100003u}, {512u, 4001u}}) {
      const double error = forwardError(*context_, n, batch, n + 400);
      qInfo("complex n=%u batch=%u, in and out of place: max error / rms %.3g", n, batch, error);
      QVERIFY(error < kTolerance);
    }
  }

  void roundTripInPlaceAndResubmitted() {
    // forward then inverse with scale 1/n, in place, in one sequence recorded once:
    // single-pass (2048) and two-pass (65536) sizes.
    for (uint32_t n : {2048u, 65536u}) {
      const uint32_t batch = 3;
      Fft fft(*context_, n, batch);
      Buffer data(*context_, size_t(8) * n * batch);
      Sequence sequence(*context_);
      fft.record(sequence, data, data, batch, Direction::Forward);
      fft.record(sequence, data, data, batch, Direction::Inverse, 1.0f / float(n));
      for (uint32_t seed : {1u, 2u}) {
        const auto input = randomFloats(size_t(2) * n * batch, seed);
        data.upload(input);
        sequence.submit();
        const std::vector<double> exact(input.begin(), input.end());
        const double error = relativeError(data.download<float>(), exact);
        qInfo("round trip n=%u: max error / rms %.3g", n, error);
        QVERIFY(error < kTolerance);
      }
    }
  }

  void smallerBatchThanPlanned() {
    // A plan for 8 transforms run on 2 leaves the rest of the output alone.
    const uint32_t n = 4096, batch = 2;
    RealFft fft(*context_, n, 8);
    Buffer in(*context_, size_t(4) * n * 8), out(*context_, size_t(8) * (n / 2 + 1) * 8);
    in.upload(randomFloats(size_t(n) * 8, 5));
    Sequence sequence(*context_);
    sequence.fill(out, 0x7FC00001u);
    fft.recordForward(sequence, in, out, batch);
    sequence.submit();
    const auto words = out.download<uint32_t>();
    for (size_t i = size_t(2) * (n / 2 + 1) * batch; i < words.size(); ++i) QCOMPARE(words[i], 0x7FC00001u);
  }

  void stagingPathGivesTheSameSpectra() {
    // The discrete-GPU memory path (device-local buffers, staging copies), forced here.
    qputenv("AUDIOSPLAT_GPU_STAGING", "1");
    Context context;
    qunsetenv("AUDIOSPLAT_GPU_STAGING");
    const uint32_t n = 4096, batch = 3;
    const auto signal = randomFloats(size_t(n) * batch, 9);
    Buffer in(context, signal.size() * 4), out(context, size_t(8) * (n / 2 + 1) * batch);
    in.upload(signal);
    RealFft fft(context, n, batch);
    Sequence sequence(context);
    fft.recordForward(sequence, in, out, batch);
    sequence.submit();
    std::vector<double> exact;
    for (uint32_t b = 0; b < batch; ++b) {
      std::vector<double> frame(signal.begin() + b * n, signal.begin() + (b + 1) * n);
      for (double v : interleave(dsp::rfft(frame))) exact.push_back(v);
    }
    QVERIFY(relativeError(out.download<float>(), exact) < kTolerance);
  }

  void storageTwinsPastTheTexelLimit() {
    // A device whose texel views span 4096 pairs (lavapipe's 2^27, lowered here): the FFT
    // reads larger buffers through fft_pass_storage, smaller ones as texel buffers, and both
    // match the CPU. kernelTimes() names the kernels that ran.
    qputenv("AUDIOSPLAT_GPU_TEXEL_ELEMENTS", "4096");
    Context context;
    qunsetenv("AUDIOSPLAT_GPU_TEXEL_ELEMENTS");
    QCOMPARE(context.limits().maxTexelBufferElements, 4096u);
    for (uint32_t n : {512u, 65536u}) {
      const double error = forwardError(context, n, 3, n);
      qInfo("texel limit 4096 pairs, n=%u x 3: max error / rms %.3g", n, error);
      QVERIFY(error < kTolerance);
    }
    if (context.limits().timestampValidBits > 0) {  // profiling needs timestamps
      const auto shadersRun = [&](uint32_t n) {
        Buffer data(context, size_t(8) * n);
        Fft fft(context, n, 1);
        Sequence sequence(context);
        sequence.setProfiling(true);
        fft.record(sequence, data, data, 1, Direction::Forward);
        sequence.submit();
        std::set<std::string> names;
        for (const KernelTime& k : sequence.kernelTimes()) names.insert(k.shader);
        return names;
      };
      QCOMPARE(shadersRun(4096), std::set<std::string>{"fft_pass"});
      QCOMPARE(shadersRun(8192), std::set<std::string>{"fft_pass_storage"});
    }
    QCOMPARE(context.validationErrors(), uint64_t(0));  // counted with AUDIOSPLAT_VULKAN_VALIDATION
  }

  void fewerShuffleLanes_data() {
    QTest::addColumn<uint32_t>("lanes");
    for (uint32_t lanes : {1u, 2u, 4u}) QTest::addRow("lanes=%u", lanes) << lanes;
  }
  void fewerShuffleLanes() {
    // GPUs with subgroups smaller than lavapipe's, or without shuffles: other pass plans
    // (fewer lanes per DFT, the 8 x 8 tile pass), in and out of place, one to three passes.
    QFETCH(uint32_t, lanes);
    qputenv("AUDIOSPLAT_GPU_SHUFFLE_LANES", QByteArray::number(lanes));
    Context context;
    qunsetenv("AUDIOSPLAT_GPU_SHUFFLE_LANES");
    QCOMPARE(context.limits().subgroupSize, std::min(lanes, context_->limits().subgroupSize));
    for (uint32_t n : {16u, 512u, 4096u, 65536u}) {
      const double error = forwardError(context, n, 3, n + lanes);
      qInfo("%u shuffle lanes, n=%u, in and out of place: max error / rms %.3g", lanes, n, error);
      QVERIFY(error < kTolerance);
    }
  }

  // Fft::recordFrames: Hann-windowed STFT frames read straight from the signals, two per
  // transform, against frames cut and transformed on the CPU. A chunk that starts at signal 1
  // and has an odd number of frames (the last transform's imaginary half is zero).
  void framesMatchCpu_data() {
    QTest::addColumn<uint32_t>("window");
    QTest::addColumn<uint32_t>("hop");
    QTest::newRow("16 / 8") << 16u << 8u;
    QTest::newRow("128 / 64") << 128u << 64u;
    QTest::newRow("2048 / 256 (two passes)") << 2048u << 256u;
  }
  void framesMatchCpu() {
    QFETCH(uint32_t, window);
    QFETCH(uint32_t, hop);
    const uint32_t samples = 4096, signalCount = 3, firstSignal = 1;
    const uint32_t frames = (samples - window) / hop + 1, chunkFrames = 2 * frames - 1;
    const std::vector<float> x = randomFloats(size_t(signalCount) * samples, 11);
    Buffer sources(*context_, x.size() * 4);
    sources.upload(x);
    const uint32_t pairs = (chunkFrames + 1) / 2;
    const Fft fft(*context_, window, pairs);
    Buffer out(*context_, size_t(pairs) * window * 8);
    Sequence s(*context_);
    fft.recordFrames(s, sources, {samples, hop, frames, firstSignal, chunkFrames}, out);
    s.submit();
    std::vector<Complex> pair(window), spectrum(window);
    std::vector<Complex> exact;
    const auto frame = [&](uint32_t m, uint32_t q) {
      if (m >= chunkFrames) return 0.0;
      const double hann = 0.5 - 0.5 * std::cos(2.0 * M_PI * q / window);
      return hann * x[size_t(firstSignal + m / frames) * samples + (m % frames) * hop + q];
    };
    for (uint32_t b = 0; b < pairs; ++b) {
      for (uint32_t q = 0; q < window; ++q) pair[q] = Complex(frame(2 * b, q), frame(2 * b + 1, q));
      dsp::fft(pair, spectrum, false);
      exact.insert(exact.end(), spectrum.begin(), spectrum.end());
    }
    const double error = relativeError(out.download<float>(), interleave(exact));
    qInfo("frames %u / %u: max error %.3g of the rms", window, hop, error);
    QVERIFY(error < kTolerance);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             fft.recordFrames(s, sources, {samples, hop, frames + 1, firstSignal, chunkFrames}, out));
  }

  void rejectsBadSizes() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Fft(*context_, 1000, 1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Fft(*context_, 1, 1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RealFft(*context_, 2, 1));
    Fft fft(*context_, 64, 2);
    Buffer small(*context_, 64 * 8);
    Sequence sequence(*context_);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fft.record(sequence, small, small, 2, Direction::Forward));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fft.record(sequence, small, small, 3, Direction::Forward));
  }

  void cleanupTestCase() {
    qInfo("worst error / rms: complex %.3g, real %.3g (bound %.0e)", worstComplex_, worstReal_, kTolerance);
    QCOMPARE(context_->validationErrors(), uint64_t(0));
  }
};

QTEST_GUILESS_MAIN(TestGpuFft)
#include "test_gpu_fft.moc"
