// The STFT behind both losses: its frame convention, its values against a direct DFT,
// and its adjoint and magnitude gradient.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

#include "model/noise.h"
#include "model/stft.h"

using audiosplat::loss::Complex;
using audiosplat::loss::Stft;

namespace {

std::vector<double> randomSignal(uint32_t seed, size_t n) {
  std::vector<double> x(n);
  audiosplat::noise::fill(seed, x);
  return x;
}

double hann(int j, int window) { return 0.5 - 0.5 * std::cos(2.0 * M_PI * j / window); }

}  // namespace

class TestStft : public QObject {
  Q_OBJECT
 private slots:
  void frameCounts() {
    // pad 0: frames that lie inside x; pad W/2: one frame centred on every hop, N/H + 1.
    QCOMPARE(Stft(512, 128, 64, 0).frames(), 7);
    QCOMPARE(Stft(512, 16, 8, 0).frames(), 63);
    QCOMPARE(Stft(32768, 2048, 256, 0).frames(), 121);
    QCOMPARE(Stft(2048, 2048, 256, 0).frames(), 1);
    for (int window : {2048, 1024, 512, 256, 128}) {
      const Stft stft(4096, window, window / 4, window / 2);
      QCOMPARE(stft.frames(), 4096 / (window / 4) + 1);
      QCOMPARE(stft.bins(), window / 2 + 1);
      QCOMPARE(stft.size(), size_t(stft.frames()) * size_t(window / 2 + 1));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Stft(1024, 2048, 256, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Stft(1024, 15, 8, 0));
  }

  void centredImpulseAtSampleZeroIsInFrameZero() {
    for (int window : {2048, 1024, 512, 256, 128}) {
      const int hop = window / 4;
      const Stft stft(4096, window, hop, window / 2);
      std::vector<double> x(4096, 0.0);
      x[0] = 1.0;
      std::vector<double> mags(stft.size());
      stft.magnitudes(x, mags);
      const size_t bins = size_t(stft.bins());
      // Frame 0 is centred on sample 0 (Hann = 1 there): a flat spectrum of 1. Frame 1 sees
      // it a quarter window in (Hann = 0.5); frame 2 at its first sample (Hann = 0).
      for (size_t k = 0; k < bins; ++k) {
        QVERIFY(std::abs(mags[k] - 1.0) < 1e-12);
        QVERIFY(std::abs(mags[bins + k] - 0.5) < 1e-12);
        QVERIFY(mags[2 * bins + k] < 2e-9);
      }
      // The last frame, t = N/H, is centred on sample N: it sees sample N - 1.
      x[0] = 0.0;
      x[4095] = 1.0;
      stft.magnitudes(x, mags);
      const size_t last = size_t(stft.frames() - 1) * bins;
      for (size_t k = 0; k < bins; ++k)
        QVERIFY(std::abs(mags[last + k] - hann(window / 2 - 1, window)) < 1e-12);
    }
  }

  void uncentredFramesStartAtSampleZero() {
    const Stft stft(512, 128, 64, 0);
    std::vector<double> x(512, 0.0), mags(stft.size());
    x[64 * 3 + 64] = 1.0;  // the middle of frame 3, the edges of frames 2 and 4
    stft.magnitudes(x, mags);
    for (int t = 0; t < stft.frames(); ++t) {
      const double expected = t == 3 ? 1.0 : 0.0;
      for (int k = 0; k < stft.bins(); ++k)
        QVERIFY(std::abs(mags[size_t(t * stft.bins() + k)] - expected) < 2e-9);
    }
  }

  void matchesDirectDft() {
    for (int pad : {0, 32}) {
      const size_t n = 300;
      const Stft stft(n, 64, 16, pad);
      const std::vector<double> x = randomSignal(1, n);
      std::vector<Complex> spectra(stft.size());
      stft.spectra(x, spectra);
      double maxError = 0.0;
      for (int t = 0; t < stft.frames(); ++t)
        for (int k = 0; k < stft.bins(); ++k) {
          Complex direct(0.0);
          for (int j = 0; j < 64; ++j) {
            const long i = long(t) * 16 - pad + j;
            if (i < 0 || i >= long(n)) continue;
            direct += hann(j, 64) * x[size_t(i)] * std::polar(1.0, -2.0 * M_PI * k * j / 64);
          }
          maxError = std::max(maxError, std::abs(direct - spectra[size_t(t * stft.bins() + k)]));
        }
      QVERIFY2(maxError < 1e-12, qPrintable(QString::number(maxError)));
    }
  }

  void adjointSatisfiesDotProductIdentity() {
    // <S x, g> = <x, S^T g> over the reals (a complex value is a pair of reals).
    const size_t n = 1000;
    const Stft stft(n, 128, 32, 64);
    const std::vector<double> x = randomSignal(2, n);
    const std::vector<double> re = randomSignal(3, stft.size()), im = randomSignal(4, stft.size());
    std::vector<Complex> g(stft.size()), sx(stft.size());
    for (size_t i = 0; i < g.size(); ++i) g[i] = Complex(re[i], im[i]);
    stft.spectra(x, sx);
    std::vector<double> adj(n, 0.0);
    stft.addSpectraAdjoint(g, adj);
    double lhs = 0.0, rhs = 0.0;
    for (size_t i = 0; i < g.size(); ++i) lhs += sx[i].real() * g[i].real() + sx[i].imag() * g[i].imag();
    for (size_t i = 0; i < n; ++i) rhs += x[i] * adj[i];
    QVERIFY2(std::abs(lhs - rhs) < 1e-12 * std::abs(lhs), qPrintable(QString("%1 vs %2").arg(lhs).arg(rhs)));
  }

  void magnitudeGradientMatchesFiniteDifferences() {
    // At every sample: magnitudes are smooth (the 1e-18 floor), so the match is tight.
    const size_t n = 1024;
    const Stft stft(n, 128, 32, 64);
    std::vector<double> x = randomSignal(5, n);
    const std::vector<double> gm = randomSignal(6, stft.size());
    std::vector<double> grad(n, 0.0);
    stft.addMagnitudesBackward(x, gm, grad);
    std::vector<double> plus(stft.size()), minus(stft.size());
    double error2 = 0.0, grad2 = 0.0;
    for (size_t i = 0; i < n; ++i) {
      const double x0 = x[i];
      x[i] = x0 + 1e-6;
      stft.magnitudes(x, plus);
      x[i] = x0 - 1e-6;
      stft.magnitudes(x, minus);
      const double step = (x0 + 1e-6) - (x0 - 1e-6);
      x[i] = x0;
      double fd = 0.0;
      for (size_t k = 0; k < plus.size(); ++k) fd += gm[k] * (plus[k] - minus[k]);
      fd /= step;
      error2 += (fd - grad[i]) * (fd - grad[i]);
      grad2 += grad[i] * grad[i];
    }
    QVERIFY2(std::sqrt(error2) < 1e-7 * std::sqrt(grad2),
             qPrintable(QString("%1 vs %2").arg(std::sqrt(error2)).arg(std::sqrt(grad2))));
  }
};

QTEST_GUILESS_MAIN(TestStft)
#include "test_stft.moc"
