// The display spectrogram (engine/analysis/spectrogram.h): levels, frame layout and the
// log-frequency rows the editor draws.
#include <QtTest>
#include <cmath>

#include "analysis/spectrogram.h"

using namespace audiosplat::analysis;

class TestSpectrogramAnalysis : public QObject {
  Q_OBJECT
 private slots:
  void sineReadsItsLevelAtItsFrequency() {
    const double fs = 22050, hz = 1000, amplitude = 0.5;
    std::vector<double> x(22050);
    for (size_t i = 0; i < x.size(); ++i) x[i] = amplitude * std::sin(2 * M_PI * hz * double(i) / fs);
    const Spectrogram s = spectrogram(x, fs);
    QCOMPARE(s.frames, int((x.size() - 1) / 256) + 1);
    QCOMPARE(s.bins, 1025);
    const int frame = s.frames / 2;
    int peak = 0;
    for (int b = 0; b < s.bins; ++b)
      if (s.at(frame, b) > s.at(frame, peak)) peak = b;
    QVERIFY(std::abs(peak * fs / 2048 - hz) < fs / 2048);
    // -6 dB for half scale, within the Hann window's scalloping loss.
    QVERIFY(std::abs(s.at(frame, peak) - 20 * std::log10(amplitude)) < 1.6);

    const LogSpectrogram log = logFrequency(s, 512, 30);
    QCOMPARE(log.frames, s.frames);
    QVERIFY(std::abs(log.rowHz(0) - 30) < 1e-9);
    QVERIFY(std::abs(log.rowHz(511) - fs / 2) < 1e-6);
    QVERIFY(std::abs(log.rowOf(log.rowHz(123.4)) - 123.4) < 1e-9);
    const int row = int(std::lround(log.rowOf(hz)));
    QVERIFY(std::abs(log.at(row, frame) - s.at(frame, peak)) < 1.6);
    QVERIFY(log.at(int(log.rowOf(200)), frame) < -60);  // far from the sine: quiet
  }

  void silenceIsTheFloor() {
    std::vector<double> x(5000, 0.0);
    const Spectrogram s = spectrogram(x, 22050, 1000);
    QCOMPARE(s.startSample, int64_t(1000));
    for (float v : s.db) QCOMPARE(v, kSpectrogramFloorDb);
    QVERIFY(std::abs(logFrequency(s).frameTime(2) - (1000 + 2 * 256) / 22050.0) < 1e-12);
  }

  void refusesBadSettings() {
    std::vector<double> x(100, 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectrogram(x, 22050, 0, {1000, 256}));
  }
};

QTEST_APPLESS_MAIN(TestSpectrogramAnalysis)
#include "test_spectrogram_analysis.moc"
