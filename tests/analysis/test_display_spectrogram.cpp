// analysis::displaySpectrogram, the editor's spectrograms: each path forced with
// AUDIOSPLAT_SPECTROGRAM, the automatic choice, and calls from several threads at once.
// The GPU path's accuracy is tests/gpu/test_gpu_spectrogram.cpp's; here it only has to
// match the CPU's rows closely on a loud sine.
#include <QtTest>
#include <cmath>
#include <cstdlib>
#include <thread>
#include <vector>

#include "analysis/spectrogram.h"
#include "gpu/device_info.h"
#include "gpu/error.h"
#include "analysis/display_spectrogram.h"

using namespace audiosplat;
using analysis::SpectrogramPath;

namespace {

constexpr double kFs = 22050.0;

std::vector<double> testSignal() {
  std::vector<double> x(3 * 22050 + 77);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = 0.5 * std::sin(2 * M_PI * 440 * double(i) / kFs) + 0.1 * std::sin(2 * M_PI * 3100 * double(i) / kFs);
  return x;
}

analysis::LogSpectrogram reference(const std::vector<double>& x, int64_t start) {
  return analysis::logFrequency(analysis::spectrogram(x, kFs, start), 300);
}

bool hasVulkanDevice() {
  try {
    gpu::listDevices();
    return true;
  } catch (const gpu::GpuError&) {
    return false;
  }
}

}  // namespace

class TestDisplaySpectrogram : public QObject {
  Q_OBJECT
  const std::vector<double> x_ = testSignal();

 private slots:
  void cleanup() { unsetenv("AUDIOSPLAT_SPECTROGRAM"); }

  void forcedCpuIsTheCpuFunction() {
    setenv("AUDIOSPLAT_SPECTROGRAM", "cpu", 1);
    QCOMPARE(analysis::displaySpectrogramPath(), SpectrogramPath::Cpu);
    const auto log = analysis::displaySpectrogram(x_, kFs, 500, 300);
    const auto expected = reference(x_, 500);
    QCOMPARE(log.startSample, int64_t(500));
    QCOMPARE(log.rows, 300);
    QCOMPARE(log.frames, expected.frames);
    QVERIFY(log.db == expected.db);
  }

  void forcedGpuMatchesTheCpu() {
    if (!hasVulkanDevice()) QSKIP("no Vulkan device");
    setenv("AUDIOSPLAT_SPECTROGRAM", "gpu", 1);
    QCOMPARE(analysis::displaySpectrogramPath(), SpectrogramPath::Gpu);
    const auto log = analysis::displaySpectrogram(x_, kFs, 500, 300);
    const auto expected = reference(x_, 500);
    QCOMPARE(log.startSample, int64_t(500));
    QCOMPARE(log.rows, 300);
    QCOMPARE(log.frames, expected.frames);
    QCOMPARE(log.db.size(), expected.db.size());
    // Within 80 dB of the sines' level the rows agree to float rounding (measured 7e-4 dB).
    double worst = 0;
    for (size_t i = 0; i < log.db.size(); ++i)
      if (expected.db[i] > -86) worst = std::max(worst, double(std::abs(log.db[i] - expected.db[i])));
    qInfo("max |dB difference| %.3g", worst);
    QVERIFY(worst < 1e-2);
    QCOMPARE(analysis::displaySpectrogramPath(), SpectrogramPath::Gpu);  // no failure on the way
  }

  void automaticChoiceFollowsTheDevice() {
    unsetenv("AUDIOSPLAT_SPECTROGRAM");
    const SpectrogramPath path = analysis::displaySpectrogramPath();
    if (!hasVulkanDevice()) {
      QCOMPARE(path, SpectrogramPath::Cpu);
      return;
    }
    // The context takes the first discrete, integrated or virtual GPU, else lavapipe: only a
    // machine whose every device is a CPU gets the CPU path.
    bool onlyCpus = true;
    for (const gpu::DeviceInfo& device : gpu::listDevices()) onlyCpus = onlyCpus && (device.type == "CPU" || !device.supportsVulkan12());
    if (!std::getenv("AUDIOSPLAT_DEVICE")) QCOMPARE(path, onlyCpus ? SpectrogramPath::Cpu : SpectrogramPath::Gpu);
    QCOMPARE(analysis::displaySpectrogram(x_, kFs, 0, 300).frames, reference(x_, 0).frames);
  }

  void severalThreadsAtOnce() {
    for (const char* path : {"gpu", "cpu"}) {
      setenv("AUDIOSPLAT_SPECTROGRAM", path, 1);
      const auto expected = analysis::displaySpectrogram(x_, kFs, 0, 300);
      std::vector<analysis::LogSpectrogram> results(4);
      std::vector<std::thread> threads;
      for (auto& result : results)
        threads.emplace_back([&] { result = analysis::displaySpectrogram(x_, kFs, 0, 300); });
      for (auto& thread : threads) thread.join();
      for (const auto& result : results) QVERIFY(result.db == expected.db);  // the same bits
    }
  }
};

QTEST_GUILESS_MAIN(TestDisplaySpectrogram)
#include "test_display_spectrogram.moc"
