// gpu::MultibandLoss against the double-precision loss::multibandLossForAtoms, the CPU fed
// the same float-rounded signals: three pieces of a real clip (N = 2^15, the clip's first
// 2^15 samples as the target), white signals at N = 2048, 2^15 and 2^17, and 64 clip pieces
// at 2^15 (the fit's default: loss, determinism, timing).
//
// Measured: loss |gpu - cpu| / cpu; summed features |gpu - cpu|_2 / |cpu|_2 (worst group);
// per-atom gradient |g_gpu - g_cpu|_2 / |g_cpu|_2 (worst atom), against the CPU's gradient
// and against the CPU's backward fed the GPU's feature signs (the backward alone: float
// rounding flips sign(summed - target) of a few features whose residual is ~0).
// On lavapipe: white signals <= 1.2e-7 (loss), 2.1e-7 (features), 8e-7 (gradient); the clip
// 3.1e-8 (loss), 2.7e-5 (features, its quiet top band), 1.3e-2 (gradient). The clip's
// gradient is ill-conditioned, not wrong: d|Z|/dx carries the unit phase Z/|Z| whatever
// |Z|, and the resampled piano's top band sits near the float noise floor; in double, white
// noise of 1e-8 rms moves that gradient by 5.5e-3 (clipGradientIsIllConditioned). Bounds
// leave a margin of 4 (the ill-conditioned clip gradient) to 20 or more.
#include <QtTest>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/multiband_loss.h"
#include "gpu/sequence.h"
#include "model/loss_multiband.h"
#include "testing.h"

using namespace audiosplat;
using namespace audiosplat::gpu;

namespace {

using Signals = std::vector<std::vector<double>>;

struct Errors {
  double loss = 0, features = 0, gradient = 0, backward = 0;
  size_t flips = 0;  // features whose sign(summed - target) differs between GPU and CPU
};

std::vector<double> asFloat(std::vector<double> v) {
  for (double& x : v) x = double(float(x));
  return v;
}

double relativeDistance(std::span<const float> gpu, std::span<const double> cpu) {
  double diff = 0, ref = 0;
  for (size_t i = 0; i < cpu.size(); ++i) {
    diff += (double(gpu[i]) - cpu[i]) * (double(gpu[i]) - cpu[i]);
    ref += cpu[i] * cpu[i];
  }
  return std::sqrt(diff / ref);
}

double relativeDistance(std::span<const double> a, std::span<const double> b) {
  const std::vector<float> af(a.begin(), a.end());
  return relativeDistance(af, b);
}

double rms(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x * x;
  return std::sqrt(sum / double(v.size()));
}

size_t residentBytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return size_t(std::stoull(line.substr(6))) * 1024;
  return 0;
}

double elapsedMs(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// One recorded MultibandLoss over `atoms`, the loss written at value[1].
struct Run {
  std::unique_ptr<MultibandLoss> loss;
  std::unique_ptr<Buffer> placed, gradient, value;
  std::unique_ptr<Sequence> sequence;
  uint32_t count = 0;

  Run(Context& context, const std::vector<double>& targetFeatures, const Signals& atoms)
      : count(uint32_t(atoms.size())) {
    const uint32_t n = uint32_t(atoms.front().size());
    loss = std::make_unique<MultibandLoss>(context, n, count);
    placed = std::make_unique<Buffer>(context, size_t(count) * n * 4);
    gradient = std::make_unique<Buffer>(context, size_t(count) * n * 4);
    value = std::make_unique<Buffer>(context, 3 * 4);
    sequence = std::make_unique<Sequence>(context);
    std::vector<float> flat;
    for (const auto& a : atoms) flat.insert(flat.end(), a.begin(), a.end());
    placed->upload(flat);
    loss->setTarget(targetFeatures);
    loss->record(*sequence, *placed, count, *gradient, *value, 1);
  }
  float lossValue() const { return value->download<float>(1, 1)[0]; }
  std::vector<float> summed() const { return loss->summedFeatures().download<float>(); }
  std::vector<float> gradients() const {
    return gradient->download<float>(0, size_t(count) * loss->segment());
  }
};

std::span<const float> atomOf(const std::vector<float>& all, size_t a, size_t n) {
  return std::span(all).subspan(a * n, n);
}

// The GPU against the CPU on float-rounded copies of rawAtoms.
Errors compare(Context& context, const std::vector<double>& target, const Signals& rawAtoms,
               const char* what) {
  Signals atoms;
  for (const auto& a : rawAtoms) atoms.push_back(asFloat(a));
  const size_t n = target.size();
  const loss::FeatureLayout layout = loss::multibandLayout(n);
  const std::vector<double> targetFeatures = loss::multibandFeatures(target);
  Signals cpuGradients;
  const double cpuLoss = loss::multibandLossForAtoms(targetFeatures, atoms, &cpuGradients);
  std::vector<double> cpuSummed(layout.total, 0.0);
  for (const auto& a : atoms) {
    const std::vector<double> f = loss::multibandFeatures(a);
    for (size_t i = 0; i < f.size(); ++i) cpuSummed[i] += f[i];
  }

  Run run(context, targetFeatures, atoms);
  run.sequence->submit();
  const std::vector<float> summed = run.summed(), gradients = run.gradients();

  Errors e;
  e.loss = std::abs(run.lossValue() - cpuLoss) / cpuLoss;
  for (const auto& g : layout.groups)
    e.features = std::max(e.features,
                          relativeDistance(std::span(summed).subspan(g.offset, g.size()),
                                           std::span(cpuSummed).subspan(g.offset, g.size())));
  std::vector<double> cpuSigns, gpuSigns;
  loss::multibandLoss(targetFeatures, cpuSummed, layout, &cpuSigns);
  const std::vector<double> gpuSummed(summed.begin(), summed.end());
  loss::multibandLoss(targetFeatures, gpuSummed, layout, &gpuSigns);
  for (size_t i = 0; i < cpuSigns.size(); ++i) e.flips += cpuSigns[i] != gpuSigns[i];
  for (size_t a = 0; a < atoms.size(); ++a) {
    const auto g = atomOf(gradients, a, n);
    e.gradient = std::max(e.gradient, relativeDistance(g, cpuGradients[a]));
    e.backward = std::max(e.backward,
                          relativeDistance(g, loss::multibandFeaturesBackward(atoms[a], gpuSigns)));
  }
  qInfo("%s: loss cpu %.9g gpu %.9g, error %.2e; features %.2e; gradient %.2e (%zu of %zu signs "
        "differ), with the GPU's signs %.2e",
        what, cpuLoss, double(run.lossValue()), e.loss, e.features, e.gradient, e.flips,
        layout.total, e.backward);
  return e;
}

const std::vector<double>& piano() {
  static const std::vector<double> samples =
      audio::load(test::devAudio("01_piano_C4_salamander.wav").toStdString()).samples;
  return samples;
}

// count pieces of the clip of length n, each shifted, scaled and windowed differently.
Signals clipPieces(size_t n, size_t count) {
  const std::vector<double>& clip = piano();
  Signals atoms;
  const size_t room = clip.size() - n;
  for (size_t a = 0; a < count; ++a) {
    const size_t shift = (a * 7919) % room;
    const double gain = 0.2 + 0.06 * double((a * 37) % 11);
    std::vector<double> x(n);
    for (size_t i = 0; i < n; ++i) {
      const double phase = double(i) / double(n);
      const double window = a % 3 == 0 ? 1.0 - phase : a % 3 == 1 ? 1.0 : std::sin(M_PI * phase);
      x[i] = gain * window * clip[shift + i];
    }
    atoms.push_back(std::move(x));
  }
  return atoms;
}

std::vector<double> whiteNoise(size_t n, double level, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> v(n);
  for (double& x : v) x = level * normal(rng);
  return v;
}

std::vector<double> clipTarget(size_t n) { return {piano().begin(), piano().begin() + long(n)}; }

}  // namespace

class TestGpuMultibandLoss : public QObject {
  Q_OBJECT
  std::unique_ptr<Context> context_;

 private slots:
  void initTestCase() {
    context_ = std::make_unique<Context>();
    QVERIFY(piano().size() > (size_t(1) << 15) + 3 * 7919);
  }
  void cleanupTestCase() { QCOMPARE(context_->validationErrors(), uint64_t(0)); }

  void matchesCpuOnRealClip() {
    const size_t n = size_t(1) << 15;
    const Errors e = compare(*context_, clipTarget(n), clipPieces(n, 3), "clip, N = 2^15, 3 atoms");
    QVERIFY(e.loss < 1e-5);      // measured 3.1e-8
    QVERIFY(e.features < 5e-4);  // measured 2.7e-5 (the quiet top band; others <= 1e-6)
    QVERIFY(e.gradient < 5e-2);  // measured 1.3e-2, the noise floor's phases (see the top)
    QVERIFY(e.backward < 5e-2);  // measured 1.3e-2
  }

  // What the top comment says: the exact gradient itself moves that much under tiny noise.
  void clipGradientIsIllConditioned() {
    const size_t n = size_t(1) << 15;
    const Signals atoms = clipPieces(n, 1);
    const std::vector<double> x = asFloat(atoms[0]);
    const loss::FeatureLayout layout = loss::multibandLayout(n);
    std::vector<double> gradFeatures;
    loss::multibandLoss(loss::multibandFeatures(clipTarget(n)), loss::multibandFeatures(x), layout,
                        &gradFeatures);
    std::vector<double> noisy = x;
    const std::vector<double> noise = whiteNoise(n, 1e-8 * rms(x), 3);
    for (size_t i = 0; i < n; ++i) noisy[i] += noise[i];
    const double change = relativeDistance(loss::multibandFeaturesBackward(noisy, gradFeatures),
                                           loss::multibandFeaturesBackward(x, gradFeatures));
    qInfo("double precision, white noise at 1e-8 rms: gradient moves by %.2e", change);
    QVERIFY(change > 1e-3);  // measured 5.5e-3
  }

  // White signals: every bin far above float rounding, so the gradient is well conditioned.
  void matchesCpuOnRandomSignals_data() {
    QTest::addColumn<int>("log2n");
    QTest::addColumn<int>("atoms");
    QTest::newRow("N = 2048, 5 atoms") << 11 << 5;  // odd frame counts: half-empty pairs
    QTest::newRow("N = 2^15, 3 atoms") << 15 << 3;  // two-pass FFTs; full band 1 atom a chunk
    QTest::newRow("N = 2^17, 2 atoms") << 17 << 2;  // the largest segment
  }
  void matchesCpuOnRandomSignals() {
    QFETCH(int, log2n);
    QFETCH(int, atoms);
    const size_t n = size_t(1) << log2n;
    Signals inputs;
    for (int a = 0; a < atoms; ++a) inputs.push_back(whiteNoise(n, 0.1 + 0.2 * a, uint32_t(2 + a)));
    const Errors e = compare(*context_, whiteNoise(n, 1.0, 1), inputs, QTest::currentDataTag());
    QVERIFY(e.loss < 1e-5);      // measured <= 1.1e-7
    QVERIFY(e.features < 1e-5);  // measured <= 2e-7
    QVERIFY(e.backward < 2e-5);  // measured <= 1e-6
    QVERIFY(e.gradient < 1e-4);  // measured <= 1e-6
  }

  void storageTwinsMatchCpu() {
    // No texel reads at all (AUDIOSPLAT_GPU_TEXEL_ELEMENTS=0): the FFTs, magnitudes and
    // gathers run as their storage-buffer twins, to the same tolerances.
    qputenv("AUDIOSPLAT_GPU_TEXEL_ELEMENTS", "0");
    Context context;
    qunsetenv("AUDIOSPLAT_GPU_TEXEL_ELEMENTS");
    const size_t n = size_t(1) << 15;
    Signals inputs;
    for (int a = 0; a < 3; ++a) inputs.push_back(whiteNoise(n, 0.1 + 0.2 * a, uint32_t(2 + a)));
    const Errors e = compare(context, whiteNoise(n, 1.0, 1), inputs, "storage twins, N = 2^15, 3 atoms");
    QVERIFY(e.loss < 1e-5);
    QVERIFY(e.features < 1e-5);
    QVERIFY(e.backward < 2e-5);
    QVERIFY(e.gradient < 1e-4);
    QCOMPARE(context.validationErrors(), uint64_t(0));
  }

  void rejectsMisuse() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MultibandLoss(*context_, 3000, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MultibandLoss(*context_, 1024, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MultibandLoss(*context_, 1u << 18, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MultibandLoss(*context_, 2048, 0));
    MultibandLoss loss(*context_, 2048, 2);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, loss.setTarget(std::vector<double>(5)));
    Buffer placed(*context_, 3 * 2048 * 4), gradient(*context_, 3 * 2048 * 4), value(*context_, 4);
    Sequence sequence(*context_);
    auto record = [&](uint32_t count, uint32_t valueIndex) {
      loss.record(sequence, placed, count, gradient, value, valueIndex);
    };
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, record(3, 0));  // above maxAtoms
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, record(0, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, record(2, 1));  // value too small
  }

  // The fit's default, 64 atoms x 2^15: two submits bit-identical, the loss against the
  // CPU's (the full band then goes in four chunks); timing and memory printed, not asserted.
  void deterministicAt64Atoms() {
    const size_t n = size_t(1) << 15;
    Signals atoms;
    for (const auto& a : clipPieces(n, 64)) atoms.push_back(asFloat(a));
    const std::vector<double> targetFeatures = loss::multibandFeatures(clipTarget(n));

    const size_t before = residentBytes();
    Run run(*context_, targetFeatures, atoms);
    auto start = std::chrono::steady_clock::now();
    run.sequence->submit();
    const double firstMs = elapsedMs(start);
    const size_t after = residentBytes();
    const float firstLoss = run.lossValue();
    const std::vector<float> firstSummed = run.summed(), firstGradients = run.gradients();
    start = std::chrono::steady_clock::now();
    run.sequence->submit();
    const double secondMs = elapsedMs(start);
    qInfo("64 atoms x 2^15 on %s: one submit %.0f ms (first %.0f ms); the loss's own buffers "
          "%.1f MB; resident memory grew by %.1f MB (incl. the test's 16.8 MB of signals)",
          context_->info().name.c_str(), secondMs, firstMs, double(run.loss->bufferBytes()) / 1e6,
          double(after - before) / 1e6);

    const float secondLoss = run.lossValue();
    QVERIFY(std::memcmp(&firstLoss, &secondLoss, sizeof(float)) == 0);
    const std::vector<float> secondSummed = run.summed(), secondGradients = run.gradients();
    QVERIFY(std::memcmp(firstSummed.data(), secondSummed.data(), firstSummed.size() * 4) == 0);
    QVERIFY(std::memcmp(firstGradients.data(), secondGradients.data(),
                        firstGradients.size() * 4) == 0);

    const double cpuLoss = loss::multibandLossForAtoms(targetFeatures, atoms, nullptr);
    const double error = std::abs(firstLoss - cpuLoss) / cpuLoss;
    qInfo("64 atoms: loss cpu %.9g gpu %.9g, error %.2e", cpuLoss, double(firstLoss), error);
    QVERIFY(error < 1e-5);  // measured 1.5e-7
  }
};

QTEST_GUILESS_MAIN(TestGpuMultibandLoss)
#include "test_gpu_multiband_loss.moc"
