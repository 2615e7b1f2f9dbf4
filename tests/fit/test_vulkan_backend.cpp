// fit::VulkanBackend against fit::CpuBackend, the whole chain at once: atoms rendered on the
// GPU, each loss and its gradient, the backward pass and the CPU's chain rule. Loss values
// and every atom's gradient in raw coordinates (as tests/gpu/test_atom_backward.cpp states
// the metric), on a real clip with atoms from the informed initialiser.
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "audio/audio_file.h"
#include "fit/backend_factory.h"
#include "fit/cpu_backend.h"
#include "fit/fit_setup.h"
#include "fit/raw_params.h"
#include "fit/vulkan_backend.h"
#include "testing.h"

using namespace audiosplat;

namespace {

constexpr size_t kLength = 8192;

struct Comparison {
  double lossError = 0;      // relative
  double gradientError = 0;  // worst over atoms and parameters, raw coordinates
};

Comparison compare(fit::LossKind loss, const AtomSet& atoms, const std::vector<double>& target) {
  fit::CpuBackend cpu;
  fit::VulkanBackend gpu;
  cpu.setTarget(target, 0, loss);
  gpu.setTarget(target, 0, loss);
  std::vector<ParamVector> gCpu, gGpu;
  const double lCpu = cpu.evaluate(atoms, &gCpu);
  const double lGpu = gpu.evaluate(atoms, &gGpu);
  Comparison out;
  out.lossError = std::abs(lGpu - lCpu) / lCpu;
  for (size_t a = 0; a < atoms.atoms.size(); ++a) {
    const ParamVector perRaw = fit::physicalPerRaw(fit::toRaw(atoms.atoms[a], atoms.sampleRate), atoms.sampleRate);
    double largest = 0;
    for (int p = 0; p < kParamCount; ++p) largest = std::max(largest, std::abs(gCpu[a][p] * perRaw[p]));
    for (int p = 0; p < kParamCount; ++p)
      out.gradientError = std::max(out.gradientError, std::abs((gGpu[a][p] - gCpu[a][p]) * perRaw[p]) /
                                                          (std::abs(gCpu[a][p] * perRaw[p]) + 1e-2 * largest));
  }
  return out;
}

}  // namespace

class TestVulkanBackend : public QObject {
  Q_OBJECT
  std::vector<double> target_;
  AtomSet atoms_;

 private slots:
  void initTestCase() {
    const audio::Audio audio = audio::load(test::devAudio("04_guitar_nylon_E3.wav").toStdString());
    const fit::TargetSegment segment = fit::cutSegment(audio.samples, 0, kLength);
    target_ = segment.samples;
    fit::FitSettings settings;
    settings.atoms = 12;
    atoms_ = fit::initialAtoms(segment, settings, audio.sampleRate, int(kLength));
  }

  void matchesCpuBackend_data() {
    QTest::addColumn<int>("loss");
    QTest::addColumn<double>("maxGradientError");
    QTest::addColumn<bool>("staging");
    // Measured on lavapipe: loss 5.7e-8 / 4.2e-8 relative, gradients 3.6e-5 / 1.5e-3.
    QTest::newRow("multiband") << int(fit::LossKind::Multiband) << 2e-2 << false;
    QTest::newRow("mrstft") << int(fit::LossKind::Mrstft) << 2e-2 << false;
    // A discrete GPU's memory path (device-local buffers, staging copies), forced.
    QTest::newRow("mrstft, staging") << int(fit::LossKind::Mrstft) << 2e-2 << true;
  }
  void matchesCpuBackend() {
    QFETCH(int, loss);
    QFETCH(double, maxGradientError);
    QFETCH(bool, staging);
    if (staging) qputenv("AUDIOSPLAT_GPU_STAGING", "1");
    const Comparison c = compare(fit::LossKind(loss), atoms_, target_);
    qunsetenv("AUDIOSPLAT_GPU_STAGING");
    qInfo("loss relative error %.3g, worst gradient error %.3g", c.lossError, c.gradientError);
    QVERIFY(c.lossError < 1e-4);
    QVERIFY(c.gradientError < maxGradientError);
  }

  void rendersLikeCpuBackend() {
    fit::CpuBackend cpu;
    fit::VulkanBackend gpu;
    cpu.setTarget(target_, 0, fit::LossKind::Mrstft);
    gpu.setTarget(target_, 0, fit::LossKind::Mrstft);
    const std::vector<double> a = cpu.render(atoms_), b = gpu.render(atoms_);
    double error = 0, power = 0;
    for (size_t n = 0; n < a.size(); ++n) {
      error = std::max(error, std::abs(a[n] - b[n]));
      power += a[n] * a[n];
    }
    const double rms = std::sqrt(power / a.size());
    qInfo("render: max |gpu - cpu| / rms %.3g", error / rms);
    QVERIFY(error < 1e-3 * rms);
  }

  void noAtomsGiveTheSilenceLoss() {
    fit::CpuBackend cpu;
    fit::VulkanBackend gpu;
    AtomSet none = atoms_;
    none.atoms.clear();
    for (const auto loss : {fit::LossKind::Multiband, fit::LossKind::Mrstft}) {
      cpu.setTarget(target_, 0, loss);
      gpu.setTarget(target_, 0, loss);
      std::vector<ParamVector> g;
      QCOMPARE(gpu.evaluate(none, &g), cpu.evaluate(none, nullptr));
      QVERIFY(g.empty());
    }
  }

  void atomCountMayChange() {
    // The editor adds and deletes atoms between iterations: the backend re-records.
    fit::VulkanBackend gpu;
    fit::CpuBackend cpu;
    gpu.setTarget(target_, 0, fit::LossKind::Mrstft);
    cpu.setTarget(target_, 0, fit::LossKind::Mrstft);
    AtomSet fewer = atoms_;
    fewer.atoms.resize(5);
    for (const AtomSet* set : {&atoms_, &fewer, &atoms_}) {
      const double l = gpu.evaluate(*set, nullptr);
      QVERIFY(std::abs(l - cpu.evaluate(*set, nullptr)) < 1e-4 * l);
    }
  }

  void factoryChoosesDevices() {
    QVERIFY(fit::makeBackend("cpu")->deviceName().find("CPU reference") != std::string::npos);
    QVERIFY(!fit::makeBackend("")->deviceName().empty());
    QVERIFY(!fit::makeBackend("0")->deviceName().empty());
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, fit::makeBackend("99"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, fit::makeBackend("fast"));
    QVERIFY(fit::describeDevices().find("cpu:") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(TestVulkanBackend)
#include "test_vulkan_backend.moc"
