// The multiband loss: its feature layout, where a sine lands, its values, and its
// hand-written gradients against central finite differences in double precision.
#include <QElapsedTimer>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "model/loss_multiband.h"
#include "gradient_check.h"
#include "model/noise.h"

using namespace audiosplat::loss;
using audiosplat::test::checkGradient;
using audiosplat::test::randomIndices;
using audiosplat::test::randomSignal;

namespace {

// x[n] = amplitude cos(2 pi q n / N + 0.3): exactly bin q of an N-point FFT.
std::vector<double> binSine(size_t n, size_t q, double amplitude) {
  std::vector<double> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = amplitude * std::cos(2.0 * M_PI * double(q * i % n) / double(n) + 0.3);
  return x;
}

double groupMax(const std::vector<double>& f, const FeatureLayout::Group& g) {
  return *std::max_element(f.begin() + long(g.offset), f.begin() + long(g.offset + g.size()));
}

// The feature at (frame t, bin k) of group g.
double at(const std::vector<double>& f, const FeatureLayout::Group& g, int t, int k) {
  return f[g.offset + size_t(t) * size_t(g.bins) + size_t(k)];
}

// sum_i <r, F(x)>: a scalar whose gradient is the features' VJP with r.
double projectedFeatures(const std::vector<double>& r, const std::vector<double>& x) {
  const std::vector<double> f = multibandFeatures(x);
  double sum = 0.0;
  for (size_t i = 0; i < f.size(); ++i) sum += r[i] * f[i];
  return sum;
}

}  // namespace

class TestLossMultiband : public QObject {
  Q_OBJECT
 private slots:
  void layoutOfAFullSegment() {
    const FeatureLayout layout = multibandLayout(1 << 15);
    QCOMPARE(layout.length, size_t(1) << 15);
    QCOMPARE(layout.groups.size(), size_t(22));  // 7 bands x 3 STFTs + the full band
    const int windows[3] = {128, 64, 16};
    size_t offset = 0;
    for (size_t g = 0; g < 21; ++g) {
      const auto& group = layout.groups[g];
      const int s = 512 << (g / 3), w = windows[g % 3];
      QCOMPARE(group.bandSize, s);
      QCOMPARE(group.window, w);
      QCOMPARE(group.hop, w / 2);
      QCOMPARE(group.frames, (s - w) / (w / 2) + 1);
      QCOMPARE(group.bins, w / 2 + 1);
      QCOMPARE(group.offset, offset);
      offset += group.size();
    }
    const auto& full = layout.groups.back();
    QCOMPARE(full.bandSize, 0);
    QCOMPARE(full.window, 2048);
    QCOMPARE(full.hop, 256);
    QCOMPARE(full.frames, 121);  // (32768 - 2048) / 256 + 1
    QCOMPARE(full.bins, 1025);
    QCOMPARE(full.offset, offset);
    // By hand: each band s holds 65 (s/64 - 1) + 33 (s/32 - 1) + 9 (s/8 - 1) features.
    QCOMPARE(layout.groups[0].size(), size_t(7 * 65));
    QCOMPARE(layout.total, size_t(205499 + 121 * 1025));
    QCOMPARE(multibandFeatures(randomSignal(1, 1 << 15)).size(), layout.total);
  }

  void layoutOfTheSmallestSegment() {
    const FeatureLayout layout = multibandLayout(2048);
    QCOMPARE(layout.groups.size(), size_t(10));
    QCOMPARE(layout.groups.back().frames, 1);
    QCOMPARE(layout.total, size_t(11047 + 1025));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, multibandLayout(1024));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, multibandLayout(3000));
  }

  void sineLandsOnlyInItsBand_data() {
    QTest::addColumn<int>("bin");
    QTest::addColumn<int>("band");  // 0: in no band (X's Nyquist bin)
    QTest::newRow("990.5 Hz at 22050") << 1472 << 4096;
    QTest::newRow("lower edge is in") << 1024 << 4096;
    QTest::newRow("upper edge is out") << 1023 << 2048;
    QTest::newRow("below the smallest band's top") << 255 << 512;
    QTest::newRow("DC") << 0 << 512;
    QTest::newRow("above the smallest band") << 256 << 1024;
    QTest::newRow("top band") << 16383 << 32768;
    QTest::newRow("Nyquist is dropped") << 16384 << 0;
  }
  void sineLandsOnlyInItsBand() {
    QFETCH(int, bin);
    QFETCH(int, band);
    const size_t n = 1 << 15;
    const FeatureLayout layout = multibandLayout(n);
    const std::vector<double> f = multibandFeatures(binSine(n, size_t(bin), 0.5));
    for (const auto& g : layout.groups) {
      const double peak = groupMax(f, g);
      if (g.bandSize == band || g.bandSize == 0)
        QVERIFY2(peak > 1.0, qPrintable(QString("band %1 window %2: %3").arg(g.bandSize).arg(g.window).arg(peak)));
      else
        QVERIFY2(peak < 1e-8, qPrintable(QString("band %1 window %2: %3").arg(g.bandSize).arg(g.window).arg(peak)));
    }
  }

  void sineHasItsOrthonormalAmplitude() {
    // Bin 1472 of N = 2^15 (990.5 Hz at 22050 Hz) lies in band 4096, where it is a sine of
    // amplitude A sqrt(N/s) (orthonormal transforms keep its energy) at 1472/4096 cycles per
    // sample: exactly bin 46 of the 128-point STFT and bin 23 of the 64-point one. A
    // periodic Hann window turns an exact-bin sine of amplitude a into a W/4 at the bin,
    // a W/8 at both neighbours and 0 elsewhere.
    const size_t n = 1 << 15;
    const double amplitude = 0.5, a = amplitude * std::sqrt(8.0);
    const FeatureLayout layout = multibandLayout(n);
    const std::vector<double> f = multibandFeatures(binSine(n, 1472, amplitude));
    struct Expect {
      size_t group;
      int bandSize, window, bin;
      double peak;
    };
    // The full band sees x itself: bin 92 of 2048, amplitude A.
    for (const Expect& e : {Expect{9, 4096, 128, 46, a * 32}, Expect{10, 4096, 64, 23, a * 16},
                            Expect{21, 0, 2048, 92, amplitude * 512}}) {
      const auto& g = layout.groups[e.group];
      QCOMPARE(g.bandSize, e.bandSize);
      QCOMPARE(g.window, e.window);
      for (int t = 0; t < g.frames; ++t)
        for (int k = 0; k < g.bins; ++k) {
          const double expected = k == e.bin ? e.peak : std::abs(k - e.bin) == 1 ? e.peak / 2 : 0.0;
          QVERIFY2(std::abs(at(f, g, t, k) - expected) < 1e-9 * e.peak,
                   qPrintable(QString("group %1 frame %2 bin %3: %4 vs %5")
                                  .arg(e.group).arg(t).arg(k).arg(at(f, g, t, k)).arg(expected)));
        }
    }
  }

  void lossValues() {
    const size_t n = 4096;
    const FeatureLayout layout = multibandLayout(n);
    const std::vector<double> x1 = randomSignal(1, n), x2 = randomSignal(2, n, 0.3);
    const std::vector<double> f1 = multibandFeatures(x1), f2 = multibandFeatures(x2);
    // The target is exactly the sum of the atoms' features: loss and gradient are 0.
    std::vector<double> target(layout.total);
    for (size_t i = 0; i < target.size(); ++i) target[i] = f1[i] + f2[i];
    std::vector<std::vector<double>> grads;
    QCOMPARE(multibandLossForAtoms(target, {x1, x2}, &grads), 0.0);
    QCOMPARE(grads.size(), size_t(2));
    for (const auto& g : grads) QVERIFY(std::all_of(g.begin(), g.end(), [](double v) { return v == 0.0; }));
    // A residual of -1 everywhere: each group's mean is 1, the gradient -1 / group size.
    std::vector<double> shifted(f1);
    for (double& v : shifted) v += 1.0;
    std::vector<double> gradFeatures;
    QCOMPARE(multibandLoss(shifted, f1, layout, &gradFeatures), double(layout.groups.size()));
    for (const auto& g : layout.groups) {
      QCOMPARE(gradFeatures[g.offset], -1.0 / double(g.size()));
      QCOMPARE(gradFeatures[g.offset + g.size() - 1], -1.0 / double(g.size()));
    }
    // One atom against its own features: 0; against another signal's: positive.
    QCOMPARE(multibandLossForAtoms(f1, {x1}, nullptr), 0.0);
    QVERIFY(multibandLossForAtoms(f1, {x2}, nullptr) > 0.0);
  }

  void featureVjpMatchesFiniteDifferences_data() {
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("indices");
    QTest::newRow("2^11") << 2048 << 20;
    QTest::newRow("2^12") << 4096 << 20;
    QTest::newRow("2^13") << 8192 << 20;
  }
  void featureVjpMatchesFiniteDifferences() {
    QFETCH(int, length);
    QFETCH(int, indices);
    const size_t n = size_t(length);
    const std::vector<double> x = randomSignal(10, n);
    const std::vector<double> r = randomSignal(11, multibandLayout(n).total);
    const std::vector<double> grad = multibandFeaturesBackward(x, r);
    const auto f = [&](const std::vector<double>& v) { return projectedFeatures(r, v); };
    // Features are smooth (the 1e-18 floor), so a larger step and a tighter match.
    const QString failure = checkGradient(f, x, grad, randomIndices(12, n, size_t(indices)), 1e-5, 1e-6);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }

  void atomSumLossGradientMatchesFiniteDifferences() {
    // Three atoms against a target that is half or 1.5 times their summed features, at
    // random: residuals of both signs, each half a feature away from its kink, so no step
    // crosses one.
    const size_t n = 4096;
    std::vector<std::vector<double>> atoms{randomSignal(21, n), randomSignal(22, n, 0.5), randomSignal(23, n, 0.1)};
    std::vector<double> target(multibandLayout(n).total, 0.0);
    for (const auto& atom : atoms) {
      const std::vector<double> f = multibandFeatures(atom);
      for (size_t i = 0; i < f.size(); ++i) target[i] += f[i];
    }
    for (uint32_t i = 0; i < target.size(); ++i) target[i] *= (audiosplat::noise::hash(20, i) & 1) ? 1.5 : 0.5;
    std::vector<std::vector<double>> grads;
    multibandLossForAtoms(target, atoms, &grads);
    QCOMPARE(grads.size(), atoms.size());
    for (size_t a : {size_t(0), size_t(2)}) {
      const auto f = [&](const std::vector<double>& v) {
        std::vector<std::vector<double>> perturbed = atoms;
        perturbed[a] = v;
        return multibandLossForAtoms(target, perturbed, nullptr);
      };
      const QString failure = checkGradient(f, atoms[a], grads[a], randomIndices(uint32_t(30 + a), n, 20), 1e-5, 1e-5);
      QVERIFY2(failure.isEmpty(), qPrintable(QString("atom %1: %2").arg(a).arg(failure)));
    }
  }

  void fullSegmentGradientAndTiming() {
    // N = 2^15, the default segment: a few indices, and the cost of one atom's features and
    // backward (the fit runs them for each of its atoms).
    const size_t n = 1 << 15;
    const std::vector<double> x = randomSignal(40, n);
    const std::vector<double> r = randomSignal(41, multibandLayout(n).total);
    multibandFeatures(x);  // plans the FFTs outside the timing
    QElapsedTimer timer;
    timer.start();
    const std::vector<double> features = multibandFeatures(x);
    const qint64 forwardNs = timer.nsecsElapsed();
    timer.restart();
    const std::vector<double> grad = multibandFeaturesBackward(x, r);
    const qint64 backwardNs = timer.nsecsElapsed();
    qInfo("multiband N = 2^15: features %.2f ms, backward %.2f ms", forwardNs * 1e-6, backwardNs * 1e-6);
    QCOMPARE(features.size(), r.size());
    const auto f = [&](const std::vector<double>& v) { return projectedFeatures(r, v); };
    const QString failure = checkGradient(f, x, grad, randomIndices(42, n, 5), 1e-5, 1e-6);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }
};

QTEST_GUILESS_MAIN(TestLossMultiband)
#include "test_loss_multiband.moc"
