// shaders/noise.glsl against engine/model/noise.h: the hash bit for bit, the gaussian to
// float rounding (its log and cos are the shader's own polynomials, see noise.glsl).
#include <QtTest>
#include <cmath>
#include <memory>
#include <vector>

#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/noise_fill.h"
#include "gpu/sequence.h"
#include "model/noise.h"

using namespace audiosplat;
using namespace audiosplat::gpu;

namespace {
const std::vector<uint32_t> kSeeds{0u, 1u, 42u, 12345u, 0x9E3779B9u, 0xFFFFFFFFu, 2024u};
}

class TestGpuNoise : public QObject {
  Q_OBJECT
  std::unique_ptr<Context> context_;

  // Runs the kernel for every seed of kSeeds with `samples` each; guards the words after.
  std::vector<uint32_t> run(uint32_t samples, bool rawHash) {
    const uint32_t atoms = uint32_t(kSeeds.size());
    Buffer seeds(*context_, atoms * 4), out(*context_, (size_t(atoms) * samples + 16) * 4);
    seeds.upload(kSeeds);
    NoiseFill noise(*context_);
    Sequence sequence(*context_);
    sequence.fill(out, 0xDEADBEEFu);
    if (rawHash)
      noise.recordHash(sequence, seeds, out, atoms, samples);
    else
      noise.record(sequence, seeds, out, atoms, samples);
    sequence.submit();
    auto words = out.download<uint32_t>();
    for (size_t i = size_t(atoms) * samples; i < words.size(); ++i)
      if (words[i] != 0xDEADBEEFu) qFatal("the kernel wrote past its atoms");
    words.resize(size_t(atoms) * samples);
    return words;
  }

 private slots:
  void initTestCase() { context_ = std::make_unique<Context>(); }

  void hashIsBitExact() {
    for (uint32_t samples : {1000u, 32768u}) {  // 1000: a partial last workgroup
      const auto words = run(samples, true);
      for (size_t a = 0; a < kSeeds.size(); ++a)
        for (uint32_t n = 0; n < samples; ++n)
          if (words[a * samples + n] != noise::hash(kSeeds[a], n))
            QFAIL(qPrintable(QString("hash(%1, %2) differs").arg(kSeeds[a]).arg(n)));
    }
  }

  void gaussianMatchesTheCpu() {
    // Tolerance: float rounding of sqrt(-2 ln u1) cos(2 pi u2) (|z| < 6) is a few 1e-7;
    // 2e-6 absolute leaves room for drivers that fuse multiply-adds differently.
    const uint32_t samples = 32768;
    const auto words = run(samples, false);
    double maxError = 0, maxRelative = 0, sumSquares = 0;
    for (size_t a = 0; a < kSeeds.size(); ++a) {
      for (uint32_t n = 0; n < samples; ++n) {
        float gpu;
        std::memcpy(&gpu, &words[a * samples + n], 4);
        const double cpu = noise::gaussian(kSeeds[a], n);
        QVERIFY(std::isfinite(gpu));
        const double error = std::abs(double(gpu) - cpu);
        maxError = std::max(maxError, error);
        maxRelative = std::max(maxRelative, error / std::max(std::abs(cpu), 1e-3));
        sumSquares += error * error;
      }
    }
    qInfo("gaussian GPU vs CPU over %zu samples: max |error| %.3g, rms %.3g, max relative "
          "(|z| >= 1e-3) %.3g", kSeeds.size() * samples, maxError,
          std::sqrt(sumSquares / (kSeeds.size() * samples)), maxRelative);
    QVERIFY(maxError < 2e-6);
  }

  void pinnedValue() {
    // tests/model/test_noise.cpp pins gaussian(42, 3) = -2.3796799556881334.
    const auto words = run(4, false);
    float gpu;
    std::memcpy(&gpu, &words[2 * 4 + 3], 4);  // kSeeds[2] == 42
    QVERIFY(std::abs(gpu - -2.3796799556881334) < 1e-6);
  }

  void cleanupTestCase() { QCOMPARE(context_->validationErrors(), uint64_t(0)); }
};

QTEST_GUILESS_MAIN(TestGpuNoise)
#include "test_gpu_noise.moc"
