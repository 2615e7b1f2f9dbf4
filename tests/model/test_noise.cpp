// The noise generator defines every atom's sound: pin its statistics and its values.
#include <QtTest>
#include <cmath>
#include <vector>

#include "model/noise.h"

class TestNoise : public QObject {
  Q_OBJECT
 private slots:
  void counterBasedAndDeterministic() {
    std::vector<double> a(1000), b(1000);
    audiosplat::noise::fill(7, a);
    audiosplat::noise::fill(7, b);
    QCOMPARE(a, b);
    // Sample n does not depend on which other samples were drawn.
    QCOMPARE(audiosplat::noise::gaussian(7, 500), a[500]);
    audiosplat::noise::fill(8, b);
    QVERIFY(a != b);
  }
  void pinnedValues() {
    // These values define the sound of every saved atom: changing them breaks files.
    QCOMPARE(audiosplat::noise::hash(0, 0), 0x7BA971DFu);
    QCOMPARE(audiosplat::noise::hash(42, 1000), 0x2E088186u);
    QCOMPARE(audiosplat::noise::gaussian(42, 3), -2.3796799556881334);
  }
  void standardNormalStatistics() {
    std::vector<double> z(1 << 18);
    audiosplat::noise::fill(12345, z);
    double mean = 0, var = 0, kurt = 0;
    for (double v : z) mean += v;
    mean /= z.size();
    for (double v : z) {
      var += (v - mean) * (v - mean);
      kurt += std::pow(v - mean, 4);
    }
    var /= z.size();
    kurt = kurt / z.size() / (var * var);
    QVERIFY(std::abs(mean) < 0.01);
    QVERIFY(std::abs(var - 1.0) < 0.01);
    QVERIFY(std::abs(kurt - 3.0) < 0.05);
    // Lag-1 correlation of a white sequence is ~0.
    double c = 0;
    for (size_t i = 1; i < z.size(); ++i) c += (z[i] - mean) * (z[i - 1] - mean);
    QVERIFY(std::abs(c / z.size() / var) < 0.01);
  }
};

QTEST_GUILESS_MAIN(TestNoise)
#include "test_noise.moc"
