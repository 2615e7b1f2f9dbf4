// The optimizer's raw coordinates: a round trip returns the atom, the chain-rule
// factor matches central differences, and clamping keeps every atom valid.
#include <QtTest>
#include <cmath>
#include <random>

#include "fit/raw_params.h"

using namespace audiosplat;

class TestRawParams : public QObject {
  Q_OBJECT
 private slots:
  void roundTrip() {
    Atom a;
    a.onset = 0.731;
    a.gain = 0.02;
    a.attackShape = 3.5;
    a.noiseCentre = 3100;
    a.inharmonicity = 0.0004;
    a.tilt = -9.5;
    a.tonalMix = 0.93;
    a.roomWet = 0.1;
    const Atom back = fit::fromRaw(fit::toRaw(a, 22050), a, 22050);
    for (int i = 0; i < kParamCount; ++i)
      QVERIFY2(std::abs(back.get(Param(i)) - a.get(Param(i))) <= 1e-9 * std::max(1.0, std::abs(a.get(Param(i)))),
               paramInfo(Param(i)).key.data());
  }

  void chainRuleFactorMatchesDifferences() {
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(0.05, 0.95);
    for (int trial = 0; trial < 20; ++trial) {
      // A random atom well inside every range, so no coordinate is clamped.
      Atom a;
      for (int i = 0; i < kParamCount; ++i) {
        const ParamInfo& info = paramInfo(Param(i));
        const double hi = (Param(i) == Param::NoiseCentre || Param(i) == Param::Fundamental) ? 11025.0
                          : Param(i) == Param::Onset                                         ? 10.0
                                                                                             : info.max;
        const double lo = Param(i) == Param::Onset ? -10.0 : info.min;
        a.set(Param(i), lo + (hi - lo) * u(rng));
      }
      const ParamVector raw = fit::toRaw(a, 22050);
      const ParamVector d = fit::physicalPerRaw(raw, 22050);
      for (int i = 0; i < kParamCount; ++i) {
        const double h = 1e-6;
        ParamVector plus = raw, minus = raw;
        plus[i] += h;
        minus[i] -= h;
        const double numeric = (fit::fromRaw(plus, Atom{}, 22050).get(Param(i)) -
                                fit::fromRaw(minus, Atom{}, 22050).get(Param(i))) / (2 * h);
        QVERIFY(std::abs(numeric - d[i]) <= 1e-6 * std::max(1.0, std::abs(d[i])));
      }
    }
  }

  void clampingKeepsAtomsValid() {
    ParamVector raw{};
    for (double& r : raw) r = 1e6;
    fit::clampRaw(raw, 22050);
    QVERIFY(isValid(fit::fromRaw(raw, Atom{}, 22050), 22050));
    for (double& r : raw) r = -1e6;
    fit::clampRaw(raw, 22050);
    QVERIFY(isValid(fit::fromRaw(raw, Atom{}, 22050), 22050));
    // fc and f0 stay below the working rate's Nyquist frequency.
    for (double& r : raw) r = 1e6;
    fit::clampRaw(raw, 8000);
    const Atom a = fit::fromRaw(raw, Atom{}, 8000);
    QVERIFY(a.fundamental <= 4000.0 && a.noiseCentre <= 4000.0);
  }
};

QTEST_GUILESS_MAIN(TestRawParams)
#include "test_raw_params.moc"
