// The fit's step on the device (fit::VulkanBackend::stepOnDevice: gpu::AtomPack makes the
// render's parameters from the atoms' state on the device, gpu::AtomStep takes the chain rule
// and Adam's step there) against the same backend stepping on the CPU
// (AUDIOSPLAT_GPU_HOST_STEP=1), iteration by iteration on a real clip: the losses and the
// atoms agree, also across edits, pins, frozen atoms and renders between steps.
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "audio/audio_file.h"
#include "fit/fit_setup.h"
#include "fit/fitter.h"
#include "fit/raw_params.h"
#include "fit/vulkan_backend.h"
#include "testing.h"

using namespace audiosplat;

namespace {

constexpr size_t kLength = 8192;

std::unique_ptr<fit::VulkanBackend> backend(bool hostStep) {
  if (hostStep) qputenv("AUDIOSPLAT_GPU_HOST_STEP", "1");
  auto b = std::make_unique<fit::VulkanBackend>();
  qunsetenv("AUDIOSPLAT_GPU_HOST_STEP");
  return b;
}

// The largest difference of two atom sets in raw coordinates (where Adam steps: one unit is
// a similar relative change of every parameter).
double rawDistance(const AtomSet& a, const AtomSet& b) {
  if (a.atoms.size() != b.atoms.size()) return INFINITY;
  double worst = 0.0;
  for (size_t i = 0; i < a.atoms.size(); ++i) {
    const ParamVector ra = fit::toRaw(a.atoms[i], a.sampleRate), rb = fit::toRaw(b.atoms[i], b.sampleRate);
    for (int k = 0; k < kParamCount; ++k) worst = std::max(worst, std::abs(ra[k] - rb[k]));
  }
  return worst;
}

// Two fits from the same start, one stepping on the device and one on the CPU.
struct Twins {
  fit::Fitter device;
  fit::Fitter host;
  double worstLoss = 0.0;   // relative
  double worstAtoms = 0.0;  // rawDistance

  Twins(const fit::FitSettings& settings, const AtomSet& atoms, const std::vector<double>& target)
      : device(backend(false), settings, atoms, target, 0), host(backend(true), settings, atoms, target, 0) {}

  void step(int iterations) {
    for (int i = 0; i < iterations; ++i) {
      const fit::StepReport d = device.step(), h = host.step();
      QCOMPARE(d.rolledBack, h.rolledBack);
      QCOMPARE(d.evaluatedAtoms, h.evaluatedAtoms);
      worstLoss = std::max(worstLoss, std::abs(d.loss - h.loss) / h.loss);
      worstAtoms = std::max(worstAtoms, rawDistance(device.atoms(), host.atoms()));
    }
  }
};

}  // namespace

class TestDeviceStep : public QObject {
  Q_OBJECT
  std::vector<double> target_;
  AtomSet atoms_;
  fit::FitSettings settings_;

 private slots:
  void initTestCase() {
    const audio::Audio audio = audio::load(test::devAudio("04_guitar_nylon_E3.wav").toStdString());
    const fit::TargetSegment segment = fit::cutSegment(audio.samples, 0, kLength);
    target_ = segment.samples;
    settings_.atoms = 12;
    settings_.iterations = 200;
    atoms_ = fit::initialAtoms(segment, settings_, audio.sampleRate, int(kLength));
    if (!backend(false)->stepsOnDevice()) QSKIP("this Vulkan device has no shaderFloat64");
  }

  void matchesTheHostStep_data() {
    QTest::addColumn<int>("loss");
    QTest::addColumn<bool>("staging");
    QTest::newRow("mrstft") << int(fit::LossKind::Mrstft) << false;
    QTest::newRow("multiband") << int(fit::LossKind::Multiband) << false;
    // A discrete GPU's memory path (device-local buffers, staging copies), forced.
    QTest::newRow("mrstft, staging") << int(fit::LossKind::Mrstft) << true;
  }
  void matchesTheHostStep() {
    QFETCH(int, loss);
    QFETCH(bool, staging);
    fit::FitSettings settings = settings_;
    settings.loss = fit::LossKind(loss);
    if (staging) qputenv("AUDIOSPLAT_GPU_STAGING", "1");
    Twins twins(settings, atoms_, target_);
    qunsetenv("AUDIOSPLAT_GPU_STAGING");
    twins.step(8);
    qInfo("8 iterations: loss %.3g relative, atoms %.3g raw", twins.worstLoss, twins.worstAtoms);
    QVERIFY(twins.worstLoss < 1e-9);   // measured on lavapipe: 2e-16
    QVERIFY(twins.worstAtoms < 1e-9);  // measured: 1.6e-15
    QVERIFY(rawDistance(twins.device.atoms(), atoms_) > 1e-3);  // the atoms did move
  }

  void editsPinsFrozenAtomsAndRendersBetweenSteps() {
    fit::FitSettings settings = settings_;
    settings.freezeInactiveAfter = 2;
    Twins twins(settings, atoms_, target_);
    twins.step(2);
    for (fit::Fitter* f : {&twins.device, &twins.host}) {
      Atom moved = f->atoms().atoms[3];
      moved.onset += 0.01;
      moved.fundamental *= 1.5;
      f->setAtom(3, moved);
      f->setPinned(5, true);
      Atom quiet = f->atoms().atoms[7];
      quiet.gain = 1e-5;  // below activeGain: frozen after 2 iterations
      f->setAtom(7, quiet);
    }
    const Atom pinned = twins.device.atoms().atoms[5];
    twins.step(3);
    QCOMPARE(twins.device.frozenAtoms(), twins.host.frozenAtoms());
    QVERIFY(twins.device.frozen(7));
    QVERIFY(twins.device.atoms().atoms[5] == pinned);
    // A snapshot's render reuses the backend's renderer between steps.
    const std::vector<double> heard = twins.device.backend().render(twins.device.atoms());
    QCOMPARE(heard.size(), target_.size());
    for (fit::Fitter* f : {&twins.device, &twins.host}) {
      f->setPinned(5, false);
      f->removeAtom(0);
      f->addAtom(atoms_.atoms[0]);
    }
    twins.step(3);
    qInfo("with edits: loss %.3g relative, atoms %.3g raw", twins.worstLoss, twins.worstAtoms);
    QVERIFY(twins.worstLoss < 1e-9);   // measured on lavapipe: 2e-16
    QVERIFY(twins.worstAtoms < 1e-9);  // measured: 1.6e-15
  }

  void aRenderThatGrowsTheBuffersKeepsTheDeviceState() {
    // 12 atoms fit buffers for 16; a render of 18 (the editor renders every atom, frozen ones
    // too) grows them to 32, and the atoms' states on the device move with them.
    Twins twins(settings_, atoms_, target_);
    twins.step(2);
    AtomSet more = twins.device.atoms();
    for (size_t i = 0; i < 6; ++i) more.atoms.push_back(atoms_.atoms[i]);
    QCOMPARE(twins.device.backend().render(more).size(), target_.size());
    twins.step(3);
    qInfo("after a growing render: loss %.3g relative, atoms %.3g raw", twins.worstLoss, twins.worstAtoms);
    QVERIFY(twins.worstLoss < 1e-9);
    QVERIFY(twins.worstAtoms < 1e-9);
  }

  void pinnedAtomsStayOnTheDevice() {
    fit::Fitter fitter(backend(false), settings_, atoms_, target_, 0);
    fitter.setPinned(2, true);
    fitter.step();
    fitter.step();
    QVERIFY(fitter.atoms().atoms[2] == atoms_.atoms[2]);
    QVERIFY(fitter.atoms().atoms[1] != atoms_.atoms[1]);
  }

  void withoutFloat64TheStepStaysOnTheHost() {
    qputenv("AUDIOSPLAT_GPU_FLOAT64", "0");
    fit::Fitter fitter(std::make_unique<fit::VulkanBackend>(), settings_, atoms_, target_, 0);
    qunsetenv("AUDIOSPLAT_GPU_FLOAT64");
    QVERIFY(!fitter.backend().stepsOnDevice());
    const double first = fitter.step().loss;
    for (int i = 0; i < 4; ++i) fitter.step();
    QVERIFY(fitter.lossHistory().back() < first);
  }
};

QTEST_GUILESS_MAIN(TestDeviceStep)
#include "test_device_step.moc"
