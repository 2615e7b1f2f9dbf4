// The mrstft loss: values computed by hand and its hand-written gradient against central
// finite differences in double precision.
#include <QElapsedTimer>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "model/loss_mrstft.h"
#include "gradient_check.h"
#include "model/noise.h"

using namespace audiosplat::loss;
using audiosplat::test::checkGradient;
using audiosplat::test::randomIndices;
using audiosplat::test::randomSignal;

namespace {

std::vector<double> scaled(std::vector<double> x, double factor) {
  for (double& v : x) v *= factor;
  return x;
}

}  // namespace

class TestLossMrstft : public QObject {
  Q_OBJECT
 private slots:
  void identicalSignalsGiveZero() {
    const std::vector<double> x = randomSignal(1, 4096);
    std::vector<double> grad;
    QCOMPARE(mrstftLoss(x, x, &grad), 0.0);
    QCOMPARE(grad.size(), x.size());
    QVERIFY(std::all_of(grad.begin(), grad.end(), [](double v) { return v == 0.0; }));
  }

  void scaledCopiesByHand() {
    // X = 2Y: SC = |Y - 2Y| / |Y| = 1, LM = ln 2 in every bin (up to the 1e-7 and 1e-18
    // floors). Y = 2X: SC = 1/2, LM = ln 2. Two equations pin SC and LM separately.
    const std::vector<double> x = randomSignal(2, 4096);
    const double twice = mrstftLoss(x, scaled(x, 2.0), nullptr);
    const double half = mrstftLoss(scaled(x, 2.0), x, nullptr);
    QVERIFY2(std::abs(twice - (1.0 + std::log(2.0))) < 1e-6, qPrintable(QString::number(twice, 'g', 12)));
    QVERIFY2(std::abs(half - (0.5 + std::log(2.0))) < 1e-6, qPrintable(QString::number(half, 'g', 12)));
    // Against silence, SC = 1 and every log residual is ln((Y + 1e-7) / (1e-9 + 1e-7)).
    QVERIFY(mrstftLoss(x, std::vector<double>(4096, 0.0), nullptr) > 1.0 + std::log(1e3));
  }

  void impulseAtSampleZeroByHand() {
    // Target an impulse at sample 0, estimate twice it. Frame 0 of every size is centred on
    // sample 0 (Hann 1), frame 1 sees it a quarter window in (Hann 0.5), later frames not at
    // all (Hann 0 at a frame's first sample): X = 2Y in the bins of those two frames and X = Y
    // elsewhere. So SC = 1 and LM = 2 bins ln 2 / (frames bins), with N/H + 1 frames.
    const size_t n = 4096;
    std::vector<double> target(n, 0.0);
    target[0] = 1.0;
    double expected = 0.0;
    for (int window : kMrstftWindows) expected += 1.0 + 2.0 * std::log(2.0) / double(n / size_t(window / 4) + 1);
    expected /= double(kMrstftWindows.size());
    const double loss = mrstftLoss(target, scaled(target, 2.0), nullptr);
    QVERIFY2(std::abs(loss - expected) < 1e-6, qPrintable(QString("%1 vs %2").arg(loss, 0, 'g', 12).arg(expected, 0, 'g', 12)));
  }

  void lengthsMustMatch() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mrstftLoss(std::vector<double>(4096), std::vector<double>(2048), nullptr));
  }

  void fullGradientAtTheSmallestSegment() {
    // Every sample of N = 2048, the edges included (the centred frames reach past both ends).
    const size_t n = 2048;
    const std::vector<double> target = randomSignal(3, n), estimate = randomSignal(4, n, 0.5);
    std::vector<double> grad;
    mrstftLoss(target, estimate, &grad);
    std::vector<size_t> all(n);
    for (size_t i = 0; i < n; ++i) all[i] = i;
    const auto f = [&](const std::vector<double>& v) { return mrstftLoss(target, v, nullptr); };
    // Independent signals: log residuals of both signs, a few close to their kink, so a small
    // step (the loss's rounding limits it from below: 1 ulp / 2h ~ 1e-10 here).
    const QString failure = checkGradient(f, estimate, grad, all, 1e-6, 1e-5);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }

  void gradientMatchesFiniteDifferences_data() {
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("indices");
    QTest::newRow("2^12") << 4096 << 20;
    QTest::newRow("2^13") << 8192 << 20;
    QTest::newRow("2^14") << 16384 << 10;
  }
  void gradientMatchesFiniteDifferences() {
    QFETCH(int, length);
    QFETCH(int, indices);
    const size_t n = size_t(length);
    const std::vector<double> target = randomSignal(5, n), estimate = randomSignal(6, n, 0.5);
    std::vector<double> grad;
    mrstftLoss(target, estimate, &grad);
    const auto f = [&](const std::vector<double>& v) { return mrstftLoss(target, v, nullptr); };
    const QString failure = checkGradient(f, estimate, grad, randomIndices(7, n, size_t(indices)), 1e-6, 1e-5);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }

  void fullSegmentGradientAndTiming() {
    // At N = 2^15 the loss (~1) is a mean over ~10^5 bins, so gradient coordinates are ~1e-5
    // and a 1e-6 step would leave the difference within a few ulps of the loss: a step of
    // 1e-5 instead, on an estimate whose log residuals are all ln 2, far from their kink.
    const size_t n = 1 << 15;
    const std::vector<double> target = randomSignal(8, n), estimate = scaled(target, 0.5);
    std::vector<double> grad;
    mrstftLoss(target, estimate, nullptr);  // plans the FFTs outside the timing
    QElapsedTimer timer;
    timer.start();
    mrstftLoss(target, estimate, nullptr);
    const qint64 lossNs = timer.nsecsElapsed();
    timer.restart();
    mrstftLoss(target, estimate, &grad);
    const qint64 gradNs = timer.nsecsElapsed();
    qInfo("mrstft N = 2^15: loss %.2f ms, loss and gradient %.2f ms", lossNs * 1e-6, gradNs * 1e-6);
    const auto f = [&](const std::vector<double>& v) { return mrstftLoss(target, v, nullptr); };
    const QString failure = checkGradient(f, estimate, grad, randomIndices(10, n, 5), 1e-5, 1e-5);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }
};

QTEST_GUILESS_MAIN(TestLossMrstft)
#include "test_loss_mrstft.moc"
