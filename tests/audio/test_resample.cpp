// Resampling keeps frequencies, levels and timing, removes what the new rate cannot carry
// and gives predictable lengths.
#include <QtTest>
#include <cmath>
#include <stdexcept>

#include "audio/resample.h"
#include "audio_fixtures.h"

using namespace audiosplat;

class TestResample : public QObject {
  Q_OBJECT
 private slots:
  void equalRatesCopyExactly() {
    const auto x = test::sine(22050, 1000, 123.4, 0.8);
    QCOMPARE(audio::resample(x, 22050, 22050), x);
  }

  void lengths_data() {
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<int>("inLength");
    QTest::addColumn<int>("outLength");
    QTest::newRow("44100 -> 22050") << 44100.0 << 22050.0 << 44100 << 22050;
    QTest::newRow("48000 -> 22050") << 48000.0 << 22050.0 << 48001 << 22050;  // 22050.46
    QTest::newRow("22050 -> 44100") << 22050.0 << 44100.0 << 1001 << 2002;
    QTest::newRow("8000 -> 22050") << 8000.0 << 22050.0 << 333 << 918;             // 917.83
    QTest::newRow("long, many blocks") << 96000.0 << 22050.0 << 500000 << 114844;  // 114843.75
    QTest::newRow("empty") << 44100.0 << 22050.0 << 0 << 0;
  }
  void lengths() {
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(int, inLength);
    QFETCH(int, outLength);
    const auto x = test::sine(from, size_t(inLength), 300, 0.5);
    QCOMPARE(audio::resample(x, from, to).size(), size_t(outLength));
  }

  // The output matches the same sine sampled at the new rate, sample for sample: the
  // converter's delay is compensated and the passband is flat.
  void sineIsResampledInTime_data() {
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<double>("frequency");
    QTest::newRow("down 44100 -> 22050") << 44100.0 << 22050.0 << 1000.0;
    QTest::newRow("down 48000 -> 22050") << 48000.0 << 22050.0 << 7000.0;
    QTest::newRow("up 22050 -> 48000") << 22050.0 << 48000.0 << 3000.0;
  }
  void sineIsResampledInTime() {
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(double, frequency);
    const auto x = test::sine(from, size_t(from), frequency, 0.7);
    const auto y = audio::resample(x, from, to);
    const auto expected = test::sine(to, y.size(), frequency, 0.7);
    double error = 0;
    for (size_t n = y.size() / 4; n < 3 * y.size() / 4; ++n)
      error = std::max(error, std::abs(y[n] - expected[n]));
    QVERIFY2(error < 1e-4, qPrintable(QString::number(error)));
  }

  // 15 kHz cannot exist at 22050 Hz; it must not fold down to 7050 Hz.
  void removesWhatTheNewRateCannotCarry() {
    const auto x = test::sine(44100, 44100, 15000, 0.7);
    const auto y = test::middle(audio::resample(x, 44100, 22050));
    QVERIFY2(test::sineAmplitude(y) < 1e-4, qPrintable(QString::number(test::sineAmplitude(y))));
  }

  void refusesImpossibleRates() {
    const std::vector<double> x(100, 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, audio::resample(x, 0, 22050));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, audio::resample(x, 22050, -1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, audio::resample(x, 22050, NAN));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, audio::resample(x, 1000, 768000));  // ratio 768
  }
};

QTEST_GUILESS_MAIN(TestResample)
#include "test_resample.moc"
