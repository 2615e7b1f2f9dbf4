// The Fitter on the CPU reference backend and on Vulkan (Adam's step on the device, or on the
// host): Adam and the schedule move atoms downhill, known atoms are recovered from perturbed
// starts, non-finite steps roll back, pinned atoms stay put, and edits reset optimizer state.
#include <QtTest>
#include <cmath>

#include "fit/cpu_backend.h"
#include "fit/vulkan_backend.h"
#include "fit/fitter.h"
#include "model/reference_renderer.h"

using namespace audiosplat;

namespace {
constexpr double kRate = 22050.0;
constexpr size_t kLength = 4096;

AtomSet context() {
  AtomSet set;
  set.sampleRate = kRate;
  set.atomLength = int(kLength);
  set.length = int64_t(kLength);
  return set;
}

Atom tone(double onset, double f0, double decay, double gain, uint32_t seed) {
  Atom a;
  a.onset = onset;
  a.fundamental = f0;
  a.decay = decay;
  a.gain = gain;
  a.attackShape = 2.0;
  a.attackScale = 0.002;
  a.noiseCentre = 2000.0;
  a.noiseWidth = 1.5;
  a.tonalMix = 0.9;
  a.tilt = -6.0;
  a.partials = 8;
  a.seed = seed;
  return a;
}

// A backend whose gradient of atom 0 turns NaN on one chosen call, or on every call from it:
// the CPU reference, or Vulkan stepping on the device (the NaN comes after the device's step,
// which the Fitter must then undo).
class PoisonedBackend final : public fit::GradientBackend {
 public:
  PoisonedBackend(int poisonCall, bool persistent, bool device)
      : poisonCall_(poisonCall), persistent_(persistent) {
    if (device)
      inner_ = std::make_unique<fit::VulkanBackend>();
    else
      inner_ = std::make_unique<fit::CpuBackend>(1);
  }
  std::string deviceName() const override { return "poisoned"; }
  void setTarget(std::span<const double> t, int64_t s, fit::LossKind k) override { inner_->setTarget(t, s, k); }
  double evaluate(const AtomSet& set, std::vector<ParamVector>* g) override {
    const double v = inner_->evaluate(set, g);
    if (g && poisonNow()) (*g)[0][int(Param::Fundamental)] = NAN;
    return v;
  }
  std::vector<double> render(const AtomSet& set) override { return inner_->render(set); }
  bool stepsOnDevice() const override { return inner_->stepsOnDevice(); }
  void loadOptimizer(const AtomSet& set, std::span<const ParamVector> raw,
                     std::span<const fit::AdamState> adam, const std::vector<bool>& held) override {
    inner_->loadOptimizer(set, raw, adam, held);
  }
  double stepOnDevice(const fit::DeviceStep& step, std::vector<fit::DeviceStepResult>& results) override {
    const double v = inner_->stepOnDevice(step, results);
    if (poisonNow()) results[0].gradient[int(Param::Fundamental)] = NAN;
    return v;
  }

 private:
  bool poisonNow() {
    ++calls_;
    return calls_ == poisonCall_ || (persistent_ && calls_ > poisonCall_);
  }
  std::unique_ptr<fit::GradientBackend> inner_;
  int poisonCall_, calls_ = 0;
  bool persistent_;
};
}  // namespace

class TestFitter : public QObject {
  Q_OBJECT
 private slots:
  void recoversKnownAtoms_data() {
    QTest::addColumn<bool>("gpu");
    QTest::addColumn<bool>("hostStep");  // Vulkan: the chain rule and Adam on the CPU
    QTest::newRow("cpu reference") << false << false;
    QTest::newRow("vulkan") << true << false;
    QTest::newRow("vulkan, step on the host") << true << true;
  }
  void recoversKnownAtoms() {
    QFETCH(bool, gpu);
    QFETCH(bool, hostStep);
    AtomSet truth = context();
    truth.atoms = {tone(0.010, 220.0, 0.15, 3.0, 1), tone(0.090, 587.0, 0.08, 2.0, 2)};
    const std::vector<double> target = reference::renderSegment(truth, 0, kLength);

    AtomSet start = truth;
    start.atoms[0].onset += 0.002;
    start.atoms[0].fundamental *= 1.02;
    start.atoms[0].decay *= 1.4;
    start.atoms[0].gain *= 0.6;
    start.atoms[1].onset -= 0.0015;
    start.atoms[1].fundamental *= 0.985;
    start.atoms[1].decay *= 0.7;
    start.atoms[1].gain *= 1.5;

    fit::FitSettings settings;
    settings.loss = fit::LossKind::Multiband;  // its 16/8 STFTs resolve onsets best
    settings.iterations = 600;
    settings.sparsity = 0.0;
    settings.learningRateStart = 1e-2;
    settings.learningRateEnd = 1e-4;
    std::unique_ptr<fit::GradientBackend> backend;
    if (hostStep) qputenv("AUDIOSPLAT_GPU_HOST_STEP", "1");
    if (gpu)
      backend = std::make_unique<fit::VulkanBackend>();
    else
      backend = std::make_unique<fit::CpuBackend>();
    qunsetenv("AUDIOSPLAT_GPU_HOST_STEP");
    fit::Fitter fitter(std::move(backend), settings, start, target, 0);
    const double before = fitter.backend().evaluate(fitter.atoms(), nullptr);
    while (!fitter.finished()) fitter.step();
    const double after = fitter.backend().evaluate(fitter.atoms(), nullptr);
    qInfo("loss %g -> %g", before, after);
    QVERIFY2(after < 0.1 * before, qPrintable(QStringLiteral("loss %1 -> %2").arg(before).arg(after)));
    for (size_t i = 0; i < truth.atoms.size(); ++i) {
      const Atom& want = truth.atoms[i];
      const Atom& got = fitter.atoms().atoms[i];
      // Onset and attack trade off against each other (an earlier start with a slower
      // attack sounds alike), and so do f0 and inharmonicity: what is identifiable is
      // when the excitation peaks, t0 + (k - 1) theta, and where the partials lie.
      const double wantPeak = want.onset + (want.attackShape - 1) * want.attackScale;
      const double gotPeak = got.onset + (got.attackShape - 1) * got.attackScale;
      const QString detail = QStringLiteral("atom %1: peak %2 s (want %3), f0 %4 Hz (want %5), T60 %6 s (want %7), gain %8 (want %9)")
                                 .arg(i).arg(gotPeak).arg(wantPeak).arg(got.fundamental).arg(want.fundamental)
                                 .arg(got.decay).arg(want.decay).arg(got.gain).arg(want.gain);
      qInfo("%s", qPrintable(detail));
      QVERIFY2(std::abs(gotPeak - wantPeak) < 0.0002, qPrintable(detail));
      QVERIFY2(std::abs(std::log2(got.fundamental / want.fundamental)) < 0.002, qPrintable(detail));
      QVERIFY2(std::abs(std::log(got.decay / want.decay)) < 0.03, qPrintable(detail));
      QVERIFY2(std::abs(std::log(got.gain / want.gain)) < 0.03, qPrintable(detail));
    }
  }

  void rollsBackNonFiniteSteps_data() {
    QTest::addColumn<bool>("device");
    QTest::newRow("cpu reference") << false;
    QTest::newRow("vulkan, step on the device") << true;
  }
  void rollsBackNonFiniteSteps() {
    QFETCH(bool, device);
    AtomSet set = context();
    set.atoms = {tone(0.01, 300.0, 0.1, 1.0, 3)};
    std::vector<double> target = reference::renderSegment(set, 0, kLength);
    for (double& v : target) v *= 0.5;
    fit::FitSettings settings;
    settings.loss = fit::LossKind::Mrstft;
    settings.iterations = 3;
    fit::Fitter fitter(std::make_unique<PoisonedBackend>(2, false, device), settings, set, target, 0);
    QVERIFY(!fitter.step().rolledBack);
    // The gradient at the atoms the first step made is NaN: back to before that step.
    const fit::StepReport poisoned = fitter.step();
    QVERIFY(poisoned.rolledBack);
    QVERIFY2(poisoned.problem.find("atom 0") != std::string::npos &&
                 poisoned.problem.find("nan") != std::string::npos,
             poisoned.problem.c_str());
    QCOMPARE(fitter.atoms(), set);
    QCOMPARE(fitter.learningRateScale(), 0.5);
    QVERIFY(!fitter.step().rolledBack);
    QVERIFY(fitter.atoms() != set);
    for (const Atom& a : fitter.atoms().atoms) QVERIFY(isValid(a, kRate));
  }

  void aLastingNanStopsOnlyItsAtom_data() { rollsBackNonFiniteSteps_data(); }
  void aLastingNanStopsOnlyItsAtom() {
    QFETCH(bool, device);
    // Atom 0's gradient is NaN wherever it is: one roll-back, then atom 0 waits while atom 1
    // goes on fitting (the fit never freezes on one atom's trouble).
    AtomSet set = context();
    set.atoms = {tone(0.01, 300.0, 0.1, 1.0, 3), tone(0.05, 450.0, 0.1, 1.0, 4)};
    std::vector<double> target = reference::renderSegment(set, 0, kLength);
    for (double& v : target) v *= 0.5;
    fit::FitSettings settings;
    settings.loss = fit::LossKind::Mrstft;
    settings.iterations = 8;
    fit::Fitter fitter(std::make_unique<PoisonedBackend>(2, true, device), settings, set, target, 0);
    int rollBacks = 0;
    std::vector<AtomSet> history;
    while (!fitter.finished()) {
      rollBacks += fitter.step().rolledBack;
      history.push_back(fitter.atoms());
    }
    QCOMPARE(rollBacks, 1);
    const AtomSet& last = fitter.atoms();
    QCOMPARE(last.atoms[0], set.atoms[0]);  // rolled back to the start, then sat out
    QVERIFY(last.atoms[1].gain != history[2].atoms[1].gain);
    QVERIFY(last.atoms[1] != set.atoms[1]);
    for (const Atom& a : last.atoms) QVERIFY(isValid(a, kRate));
  }

  void longInactiveAtomsAreLeftOut() {
    AtomSet set = context();
    set.atoms = {tone(0.01, 300.0, 0.1, 1.0, 3), tone(0.05, 450.0, 0.1, 1e-4, 4)};
    AtomSet truth = set;
    truth.atoms.pop_back();
    const std::vector<double> target = reference::renderSegment(truth, 0, kLength);
    fit::FitSettings settings;
    settings.loss = fit::LossKind::Mrstft;
    settings.iterations = 10;
    settings.freezeInactiveAfter = 3;
    fit::Fitter fitter(std::make_unique<fit::CpuBackend>(1), settings, set, target, 0);
    std::vector<int> evaluated;
    Atom quiet;
    for (int i = 0; i < 6; ++i) {
      evaluated.push_back(fitter.step().evaluatedAtoms);
      if (i == 2) quiet = fitter.atoms().atoms[1];
    }
    // Atom 1 starts below the active gain: 3 steps later it is left out and stays put.
    QCOMPARE(evaluated, (std::vector<int>{2, 2, 2, 1, 1, 1}));
    QVERIFY(fitter.frozen(1) && !fitter.frozen(0));
    QCOMPARE(fitter.frozenAtoms(), 1);
    QCOMPARE(fitter.atoms().atoms[1], quiet);
    // An edit brings it back.
    fitter.setAtom(1, set.atoms[1]);
    QVERIFY(!fitter.frozen(1));
    QCOMPARE(fitter.step().evaluatedAtoms, 2);

    settings.freezeInactiveAfter = 0;  // never
    fit::Fitter never(std::make_unique<fit::CpuBackend>(1), settings, set, target, 0);
    for (int i = 0; i < 5; ++i) QCOMPARE(never.step().evaluatedAtoms, 2);
  }

  void pinnedAtomsStayAndEditsApply() {
    AtomSet set = context();
    set.atoms = {tone(0.01, 300.0, 0.1, 1.0, 3), tone(0.05, 450.0, 0.1, 1.0, 4)};
    std::vector<double> target(kLength, 0.0);
    target[100] = 1.0;
    fit::FitSettings settings;
    settings.loss = fit::LossKind::Mrstft;
    settings.iterations = 5;
    fit::Fitter fitter(std::make_unique<fit::CpuBackend>(), settings, set, target, 0);
    fitter.setPinned(1, true);
    fitter.step();
    fitter.step();
    QCOMPARE(fitter.atoms().atoms[1], set.atoms[1]);
    QVERIFY(fitter.atoms().atoms[0] != set.atoms[0]);

    fitter.addAtom(tone(0.02, 800.0, 0.2, 0.5, 9));
    QCOMPARE(fitter.atoms().atoms.size(), size_t(3));
    fitter.removeAtom(0);
    QCOMPARE(fitter.atoms().atoms[1].fundamental, 800.0);
    QVERIFY(fitter.pinned(0));
    fitter.step();
    QCOMPARE(fitter.lossHistory().size(), size_t(3));
  }

  void scheduleFallsLinearly() {
    fit::FitSettings s;
    s.iterations = 101;
    QCOMPARE(s.learningRate(0), 1e-2);
    QVERIFY(std::abs(s.learningRate(100) - 1e-4) < 1e-15);
    QVERIFY(std::abs(s.learningRate(50) - 0.00505) < 1e-12);
  }
};

QTEST_GUILESS_MAIN(TestFitter)
#include "test_fitter.moc"
