// The quality metrics of shared/design/measuring.md: exact values where the definitions
// give them analytically, values pinned from an independent numpy implementation
// (scripts/check_eval.py) where they do not, and every way the definitions divide by zero.
#include <QtTest>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/metrics.h"

using audiosplat::analysis::evaluate;
using audiosplat::analysis::Metrics;

namespace {

// Deterministic white noise, uniform in [-amplitude, amplitude].
std::vector<double> whiteNoise(size_t length, double amplitude, uint32_t seed) {
  std::vector<double> x(length);
  for (double& v : x) {
    seed = seed * 1664525u + 1013904223u;
    v = amplitude * (double(seed) / 4294967296.0 * 2 - 1);
  }
  return x;
}

std::vector<double> scaled(const std::vector<double>& x, double gain) {
  std::vector<double> y(x);
  for (double& v : y) v *= gain;
  return y;
}

double energy(const std::vector<double>& x) {
  double e = 0;
  for (double v : x) e += v * v;
  return e;
}

bool close(double a, double b, double tolerance) { return std::abs(a - b) <= tolerance; }

}  // namespace

class TestMetrics : public QObject {
  Q_OBJECT
 private slots:
  void identicalSignals() {
    const auto x = whiteNoise(22050, 0.3, 1);
    const Metrics m = evaluate(x, x);
    QCOMPARE(m.mrstft, 0.0);
    QCOMPARE(m.lsdDb, 0.0);
    QVERIFY(std::isinf(m.snrDb) && m.snrDb > 0);
    QVERIFY(std::isinf(m.siSdrDb) && m.siSdrDb > 0);
  }

  // est = ref / 2: SNR = 20 log10 2; SI-SDR finds the exact scale, so +inf. Spectral
  // convergence is exactly 1/2 and, where the spectra are far above the epsilons, the
  // log-magnitude and log-power differences are ln 2 and 10 log10 4.
  void halfGain() {
    const auto ref = whiteNoise(44100, 0.5, 2);
    const Metrics m = evaluate(ref, scaled(ref, 0.5));
    QVERIFY(close(m.snrDb, 20 * std::log10(2.0), 1e-12));
    QVERIFY(std::isinf(m.siSdrDb) && m.siSdrDb > 0);
    QVERIFY2(close(m.mrstft, 0.5 + std::log(2.0), 1e-4),
             qPrintable(QString::number(m.mrstft, 'g', 12)));
    QVERIFY2(close(m.lsdDb, 10 * std::log10(4.0), 1e-4),
             qPrintable(QString::number(m.lsdDb, 'g', 12)));
  }

  // Polarity is invisible to magnitude spectra and to SI-SDR, not to SNR: |2 ref|^2 / |ref|^2.
  void invertedPolarity() {
    const auto ref = whiteNoise(8000, 0.5, 3);
    const Metrics m = evaluate(ref, scaled(ref, -1));
    QCOMPARE(m.mrstft, 0.0);
    QCOMPARE(m.lsdDb, 0.0);
    QVERIFY(close(m.snrDb, -10 * std::log10(4.0), 1e-12));
    QVERIFY(std::isinf(m.siSdrDb) && m.siSdrDb > 0);
  }

  // est = g ref + e with e orthogonal to ref: SI-SDR = 10 log10(g^2 |ref|^2 / |e|^2) and
  // SNR = 10 log10(|ref|^2 / ((1-g)^2 |ref|^2 + |e|^2)).
  void scaleAndOrthogonalNoise() {
    const auto ref = whiteNoise(30000, 0.5, 4);
    auto e = whiteNoise(30000, 0.1, 5);
    double projection = 0;
    for (size_t n = 0; n < ref.size(); ++n) projection += e[n] * ref[n];
    projection /= energy(ref);
    for (size_t n = 0; n < ref.size(); ++n) e[n] -= projection * ref[n];
    const double g = 0.8;
    std::vector<double> est(ref.size());
    for (size_t n = 0; n < ref.size(); ++n) est[n] = g * ref[n] + e[n];
    const Metrics m = evaluate(ref, est);
    QVERIFY(close(m.siSdrDb, 10 * std::log10(g * g * energy(ref) / energy(e)), 1e-9));
    QVERIFY(close(m.snrDb,
                  10 * std::log10(energy(ref) / ((1 - g) * (1 - g) * energy(ref) + energy(e))),
                  1e-9));
  }

  // A decaying tone against a quieter, slightly detuned copy; 3001 samples is no multiple
  // of any hop, so frame counts and reflect padding at both ends matter. The values come
  // from scripts/check_eval.py's numpy functions on the same signals.
  void pinnedByIndependentImplementation() {
    const size_t length = 3001;
    std::vector<double> ref(length), est(length);
    for (size_t i = 0; i < length; ++i) {
      const double n = double(i);
      ref[i] = std::sin(2 * M_PI * 440 * n / 22050) * std::exp(-n / 5000) +
               0.1 * std::sin(2 * M_PI * 3000 * n / 22050);
      est[i] = 0.8 * ref[i] + 0.05 * std::cos(2 * M_PI * 1234.5 * n / 22050);
    }
    const Metrics m = evaluate(ref, est);
    QVERIFY2(close(m.mrstft, 0.5512406516104654, 1e-10),
             qPrintable(QString::number(m.mrstft, 'g', 17)));
    QVERIFY2(close(m.lsdDb, 5.35076204419637, 1e-9), qPrintable(QString::number(m.lsdDb, 'g', 17)));
    QVERIFY2(close(m.snrDb, 13.542799080207747, 1e-10),
             qPrintable(QString::number(m.snrDb, 'g', 17)));
    QVERIFY2(close(m.siSdrDb, 21.80937754799863, 1e-10),
             qPrintable(QString::number(m.siSdrDb, 'g', 17)));
  }

  // Noise against silence: SNR is exactly 0 dB and SI-SDR has no scale (0/0). The spectral
  // terms measure the distance down to the epsilon floors (SC is exactly 1 of the 18.55);
  // the values come from scripts/check_eval.py on the same noise.
  void noiseAgainstSilence() {
    const auto ref = whiteNoise(10000, 0.5, 6);
    const Metrics m = evaluate(ref, std::vector<double>(ref.size(), 0.0));
    QCOMPARE(m.snrDb, 0.0);
    QVERIFY(std::isnan(m.siSdrDb));
    QVERIFY2(close(m.mrstft, 18.55425295210033, 1e-9),
             qPrintable(QString::number(m.mrstft, 'g', 17)));
    QVERIFY2(close(m.lsdDb, 115.62891543071844, 1e-9),
             qPrintable(QString::number(m.lsdDb, 'g', 17)));
  }

  void silentReference() {
    const auto est = whiteNoise(10000, 0.5, 7);
    const Metrics m = evaluate(std::vector<double>(est.size(), 0.0), est);
    QVERIFY(std::isinf(m.mrstft));
    QVERIFY(std::isinf(m.snrDb) && m.snrDb < 0);
    QVERIFY(std::isnan(m.siSdrDb));
    QVERIFY(std::isfinite(m.lsdDb));
  }

  void bothSilent() {
    const std::vector<double> silence(5000, 0.0);
    const Metrics m = evaluate(silence, silence);
    QVERIFY(std::isnan(m.mrstft));
    QCOMPARE(m.lsdDb, 0.0);
    QVERIFY(std::isnan(m.snrDb));
    QVERIFY(std::isnan(m.siSdrDb));
  }

  // The longer signal is cut to the shorter; what lies beyond is ignored.
  void truncatesToTheShorter() {
    const auto ref = whiteNoise(6000, 0.5, 8);
    auto est = scaled(ref, 0.9);
    const Metrics exact = evaluate(ref, est);
    est.resize(9000, 1.0);
    const Metrics longerEstimate = evaluate(ref, est);
    QCOMPARE(longerEstimate.mrstft, exact.mrstft);
    QCOMPARE(longerEstimate.lsdDb, exact.lsdDb);
    QCOMPARE(longerEstimate.snrDb, exact.snrDb);
    QCOMPARE(longerEstimate.siSdrDb, exact.siSdrDb);
    auto longerRef = ref;
    longerRef.resize(7000, -1.0);
    QCOMPARE(evaluate(longerRef, scaled(ref, 0.9)).snrDb, exact.snrDb);
  }

  // Reflect padding by 1024 needs 1025 samples.
  void shortestSignal() {
    const auto x = whiteNoise(audiosplat::analysis::kMinEvaluateLength, 0.5, 9);
    QCOMPARE(audiosplat::analysis::kMinEvaluateLength, size_t(1025));
    QVERIFY(close(evaluate(x, scaled(x, 0.5)).snrDb, 20 * std::log10(2.0), 1e-12));
    const std::vector<double> shorter(x.begin(), x.end() - 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, evaluate(shorter, shorter));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, evaluate(x, shorter));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, evaluate({}, {}));
  }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
