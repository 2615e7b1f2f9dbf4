// The full chain that a fit differentiates — atoms rendered, placed and scored by each
// loss — against central differences in double precision, for every continuous
// parameter of every atom, under both losses.
#include <QtTest>
#include <cmath>
#include <random>

#include "fit/cpu_backend.h"
#include "model/reference_renderer.h"

using namespace audiosplat;

namespace {
constexpr double kRate = 22050.0;
constexpr size_t kLength = 4096;
constexpr int64_t kStart = 512;

AtomSet randomSet(uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  AtomSet set;
  set.sampleRate = kRate;
  set.atomLength = 4096;
  Room room;
  room.impulse.resize(300);
  for (size_t i = 0; i < room.impulse.size(); ++i) room.impulse[i] = (u(rng) - 0.5) * std::exp(-double(i) / 60.0);
  set.rooms.push_back(room);
  for (int i = 0; i < 3; ++i) {
    Atom a;
    a.onset = (kStart + 100 + 2500 * u(rng)) / kRate;
    a.gain = 0.5 + u(rng);
    a.attackShape = 1.5 + 3 * u(rng);
    a.attackScale = 0.001 + 0.004 * u(rng);
    a.noiseCentre = 500 * std::pow(2.0, 3 * u(rng));
    a.noiseWidth = 0.5 + u(rng);
    a.fundamental = 110 * std::pow(2.0, 3 * u(rng));
    a.inharmonicity = 0.001 * u(rng);
    a.tilt = -3 - 6 * u(rng);
    a.decay = 0.05 + 0.2 * u(rng);
    a.dampingSlope = 0.3 + u(rng);
    a.tonalMix = 0.3 + 0.5 * u(rng);
    a.roomWet = 0.2 + 0.5 * u(rng);
    a.room = i == 2 ? 0 : -1;
    a.envelope = i == 1 ? Envelope::Gaussian : Envelope::Gamma;
    a.partials = 6;
    a.seed = uint32_t(rng());
    set.atoms.push_back(a);
  }
  return set;
}

std::vector<double> randomTarget(uint32_t seed) {
  // Another random set plus a little noise: nothing coincides with the estimate.
  AtomSet other = randomSet(seed + 1000);
  std::vector<double> t = reference::renderSegment(other, kStart, kLength);
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss(0.0, 0.01);
  for (double& v : t) v += gauss(rng);
  return t;
}

double stepFor(Param p, double value) {
  if (p == Param::Onset) return 1e-4 / kRate;
  if (p == Param::Inharmonicity) return 1e-7;
  if (p == Param::Tilt) return 1e-5;
  return 1e-6 * std::max(std::abs(value), 1e-3);
}

void checkLoss(fit::LossKind kind, uint32_t seed) {
  const AtomSet set = randomSet(seed);
  fit::CpuBackend backend(1);
  backend.setTarget(randomTarget(seed), kStart, kind);
  std::vector<ParamVector> analytic;
  backend.evaluate(set, &analytic);
  for (size_t i = 0; i < set.atoms.size(); ++i) {
    for (int k = 0; k < kParamCount; ++k) {
      const Param p = Param(k);
      if (p == Param::RoomWet && set.atoms[i].room < 0) continue;  // no effect without a room
      const double h = stepFor(p, set.atoms[i].get(p));
      AtomSet plus = set, minus = set;
      plus.atoms[i].set(p, set.atoms[i].get(p) + h);
      minus.atoms[i].set(p, set.atoms[i].get(p) - h);
      const double numeric = (backend.evaluate(plus, nullptr) - backend.evaluate(minus, nullptr)) / (2 * h);
      const double a = analytic[i][k];
      // L1 terms make the loss piecewise smooth: a few residuals change sign inside
      // [-h, h], so allow 1e-4 relative plus a floor well below any real gradient.
      const double allowed = 1e-4 * std::max(std::abs(numeric), std::abs(a)) + 1e-7;
      QVERIFY2(std::abs(a - numeric) <= allowed,
               qPrintable(QStringLiteral("%1 loss, atom %2, %3: analytic %4, finite difference %5")
                              .arg(kind == fit::LossKind::Multiband ? "multiband" : "mrstft")
                              .arg(i)
                              .arg(QString::fromUtf8(paramInfo(p).key.data(), int(paramInfo(p).key.size())))
                              .arg(a, 0, 'g', 10)
                              .arg(numeric, 0, 'g', 10)));
    }
  }
}
}  // namespace

class TestLossGradients : public QObject {
  Q_OBJECT
 private slots:
  void multiband() { checkLoss(fit::LossKind::Multiband, 11); }
  void mrstft() { checkLoss(fit::LossKind::Mrstft, 12); }
};

QTEST_GUILESS_MAIN(TestLossGradients)
#include "test_loss_gradients.moc"
