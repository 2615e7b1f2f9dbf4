// fit::FitWorker built from a factory, as the editor starts fits: the Fitter (device,
// pipelines, initial atoms) is made on the worker thread, snapshots name the device, and a
// factory that throws ends the fit as Failed with its message, never a crash.
#include <QtTest>
#include <atomic>
#include <stdexcept>

#include "fit/cpu_backend.h"
#include "fit/fit_worker.h"
#include "fit/fitter.h"

using namespace audiosplat;

namespace {

constexpr size_t kLength = 4096;

std::unique_ptr<fit::Fitter> smallFit(int iterations) {
  AtomSet set;
  set.sampleRate = 22050.0;
  set.atomLength = int(kLength);
  Atom atom;
  atom.onset = 0.01;
  atom.fundamental = 330.0;
  set.atoms = {atom};
  std::vector<double> target(kLength, 0.0);
  for (size_t n = 200; n < kLength; ++n) target[n] = 0.3 * std::sin(0.094 * double(n)) * std::exp(-0.001 * double(n));
  fit::FitSettings settings;
  settings.loss = fit::LossKind::Mrstft;
  settings.iterations = iterations;
  return std::make_unique<fit::Fitter>(std::make_unique<fit::CpuBackend>(1), settings, set, target, 0);
}

}  // namespace

class TestFitWorker : public QObject {
  Q_OBJECT
 private slots:
  void factoryRunsOnTheWorkerThread() {
    std::atomic<bool> madeElsewhere = false;
    const auto caller = std::this_thread::get_id();
    std::atomic<int> snapshots = 0;
    fit::FitWorker worker(
        [&] {
          madeElsewhere = std::this_thread::get_id() != caller;
          return smallFit(5);
        },
        [&](std::shared_ptr<const fit::FitSnapshot>) { ++snapshots; });
    worker.start();
    worker.wait();
    QCOMPARE(worker.state(), fit::FitWorker::State::Finished);
    QVERIFY(madeElsewhere);
    QVERIFY(snapshots >= 2);
    QCOMPARE(worker.latest()->iteration, 5);
    QVERIFY(worker.latest()->device.find("CPU reference") != std::string::npos);
    QVERIFY(!worker.latest()->stepOnDevice);  // the CPU reference has no device to step on
  }

  void failingFactoryEndsAsFailed() {
    fit::FitWorker worker([]() -> std::unique_ptr<fit::Fitter> {
      throw std::runtime_error("No Vulkan device found. On Debian install mesa-vulkan-drivers");
    }, nullptr);
    worker.start();
    worker.wait();
    QCOMPARE(worker.state(), fit::FitWorker::State::Failed);
    QVERIFY(worker.error().find("mesa-vulkan-drivers") != std::string::npos);
    QVERIFY(!worker.latest());
  }

  void stopBeforeTheFitterExists() {
    fit::FitWorker worker([] { return smallFit(100000); }, nullptr);
    worker.stop();
    worker.start();
    worker.wait();
    QCOMPARE(worker.state(), fit::FitWorker::State::Stopped);
  }
};

QTEST_GUILESS_MAIN(TestFitWorker)
#include "test_fit_worker.moc"
