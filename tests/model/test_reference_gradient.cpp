// Every continuous parameter's hand-written gradient of the reference renderer agrees
// with central finite differences in double precision, on random atoms and at the
// edges of the parameter space. The loss here is a random linear functional of the
// rendered segment, so the check covers the renderer's vector-Jacobian product exactly;
// test_loss_gradients.cpp composes it with the real losses.
#include <QtTest>
#include <cmath>
#include <random>

#include "model/reference_renderer.h"

using namespace audiosplat;

namespace {
constexpr double kRate = 22050.0;
constexpr int kAtomLength = 4096;
constexpr int64_t kSegmentStart = 1000;
constexpr size_t kSegmentLength = 6000;

AtomSet context() {
  AtomSet set;
  set.sampleRate = kRate;
  set.atomLength = kAtomLength;
  Room room;
  room.name = "synthetic";
  std::mt19937 rng(3);
  std::normal_distribution<double> gauss;
  room.impulse.resize(700);
  for (size_t i = 0; i < room.impulse.size(); ++i) room.impulse[i] = gauss(rng) * std::exp(-double(i) / 150.0);
  set.rooms.push_back(room);
  return set;
}

Atom randomAtom(std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Atom a;
  a.onset = (kSegmentStart + 200 + u(rng) * 3000) / kRate;
  a.gain = 0.3 + 2.0 * u(rng);
  a.attackShape = 1.2 + 8.0 * u(rng);
  a.attackScale = 0.0005 + 0.01 * u(rng);
  a.noiseCentre = 300.0 * std::pow(2.0, 4.0 * u(rng));
  a.noiseWidth = 0.3 + 2.0 * u(rng);
  a.fundamental = 80.0 * std::pow(2.0, 3.0 * u(rng));
  a.inharmonicity = 0.0005 + 0.003 * u(rng);
  a.tilt = -12.0 + 10.0 * u(rng);
  a.decay = 0.05 + 0.5 * u(rng);
  a.dampingSlope = 0.2 + 1.5 * u(rng);
  a.tonalMix = 0.2 + 0.6 * u(rng);
  a.roomWet = 0.2 + 0.6 * u(rng);
  a.room = u(rng) < 0.5 ? 0 : -1;
  a.envelope = u(rng) < 0.5 ? Envelope::Gamma : Envelope::Gaussian;
  a.partials = 4 + int(12 * u(rng));
  a.seed = uint32_t(rng());
  return a;
}

std::vector<double> randomWeights(uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss;
  std::vector<double> w(kSegmentLength);
  for (double& v : w) v = gauss(rng);
  return w;
}

double functional(const Atom& atom, const AtomSet& set, const std::vector<double>& weights) {
  std::vector<double> x(kSegmentLength, 0.0);
  reference::addAtom(atom, set, kSegmentStart, x);
  double sum = 0.0;
  for (size_t i = 0; i < x.size(); ++i) sum += weights[i] * x[i];
  return sum;
}

// The size that the functional's rounding error scales with: the atom's whole signal
// (FFT convolutions spread rounding over every sample) times the largest weight.
double roundingScale(const Atom& atom, const AtomSet& set, const std::vector<double>& weights) {
  double l1 = 0.0, wMax = 0.0;
  for (double v : reference::renderAtomLocal(atom, set)) l1 += std::abs(v);
  for (double w : weights) wMax = std::max(wMax, std::abs(w));
  return l1 * wMax;
}

double stepFor(Param p, double value) {
  if (p == Param::Onset) return 1e-4 / kRate;
  if (p == Param::Inharmonicity) return 1e-7;
  if (p == Param::Tilt) return 1e-5;
  return 1e-6 * std::max(std::abs(value), 1e-3);
}

// Compares the analytic gradient with central differences, allowing the relative
// tolerance plus the differences' own rounding error (1e-13 of the signal's size over 2h).
void checkAtom(const Atom& atom, const AtomSet& set, uint32_t weightSeed, double tolerance) {
  const std::vector<double> weights = randomWeights(weightSeed);
  const ParamVector analytic = reference::atomGradient(atom, set, kSegmentStart, weights);
  const double magnitude = roundingScale(atom, set, weights);
  for (int i = 0; i < kParamCount; ++i) {
    const Param p = Param(i);
    const double h = stepFor(p, atom.get(p));
    Atom plus = atom, minus = atom;
    plus.set(p, atom.get(p) + h);
    minus.set(p, atom.get(p) - h);
    const double numeric = (functional(plus, set, weights) - functional(minus, set, weights)) / (2 * h);
    const double diff = std::abs(analytic[i] - numeric);
    const double allowed = tolerance * std::abs(numeric) + 1e-13 * magnitude / (2 * h);
    if (!(diff <= allowed))
      QFAIL(qPrintable(QStringLiteral("%1: analytic %2, finite difference %3 (diff %4 > %5)")
                           .arg(QString::fromUtf8(paramInfo(p).key.data(), int(paramInfo(p).key.size())))
                           .arg(analytic[i], 0, 'g', 10)
                           .arg(numeric, 0, 'g', 10)
                           .arg(diff, 0, 'g', 3)
                           .arg(allowed, 0, 'g', 3)));
  }
}
}  // namespace

class TestReferenceGradient : public QObject {
  Q_OBJECT
 private slots:
  void randomAtoms() {
    const AtomSet set = context();
    std::mt19937 rng(2024);
    for (int trial = 0; trial < 6; ++trial) checkAtom(randomAtom(rng), set, 100 + trial, 2e-5);
  }

  void edges_data() {
    QTest::addColumn<int>("edge");
    QTest::newRow("very short decay") << 0;
    QTest::newRow("very long decay") << 1;
    QTest::newRow("f0 near Nyquist") << 2;
    QTest::newRow("partials fading at Nyquist") << 3;
    QTest::newRow("onset before the segment") << 4;
    QTest::newRow("onset at the segment's end") << 5;
    QTest::newRow("tiny gain") << 6;
    QTest::newRow("integer onset") << 7;
    QTest::newRow("pure noise, gamma k=1.001") << 8;
    QTest::newRow("fully tonal, narrow band") << 9;
  }
  void edges() {
    QFETCH(int, edge);
    const AtomSet set = context();
    std::mt19937 rng(77 + edge);
    Atom a = randomAtom(rng);
    switch (edge) {
      case 0: a.decay = 0.005; break;
      case 1: a.decay = 10.0; break;
      case 2: a.fundamental = 0.97 * kRate / 2; a.partials = 1; break;
      case 3: a.fundamental = 2200.0; a.partials = 5; break;  // partial 5 in the fade band
      case 4: a.onset = (kSegmentStart - 1500.3) / kRate; break;
      case 5: a.onset = (kSegmentStart + kSegmentLength - 3.7) / kRate; break;
      case 6: a.gain = 1e-6; break;
      case 7: a.onset = (kSegmentStart + 333) / kRate; break;
      case 8: a.tonalMix = 0.0; a.attackShape = 1.001; a.envelope = Envelope::Gamma; break;
      case 9: a.tonalMix = 1.0; a.noiseWidth = 0.05; break;
    }
    checkAtom(a, set, 500 + edge, 2e-5);
  }
};

QTEST_GUILESS_MAIN(TestReferenceGradient)
#include "test_reference_gradient.moc"
