// A saved document sounds exactly like the one in memory: render, save, load, render
// gives the same samples bit for bit, rooms included.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>

#include "io/atom_file.h"
#include "model/reference_renderer.h"
#include "random_atom_set.h"

using namespace audiosplat;

class TestAtomFileRender : public QObject {
  Q_OBJECT
 private slots:
  void renderSurvivesSaveAndLoad() {
    AtomSet set = test::randomAtomSet(11, 24, /*wideOnsets=*/false);
    // Audible gains, so the comparison covers real signal rather than denormal dust.
    for (size_t i = 0; i < set.atoms.size(); i += 2) set.atoms[i].gain = 0.1 + 0.01 * double(i);
    const std::vector<double> before = reference::render(set);
    QCOMPARE(before.size(), size_t(set.length));
    double peak = 0.0;
    for (double v : before) {
      QVERIFY(std::isfinite(v));
      peak = std::max(peak, std::abs(v));
    }
    QVERIFY(peak > 1e-3);

    QTemporaryDir dir;
    const std::string path = dir.filePath("render.atoms.json").toStdString();
    io::writeAtomFile(path, set);
    const std::vector<double> after = reference::render(io::readAtomFile(path));
    QCOMPARE(after.size(), before.size());
    QVERIFY(std::memcmp(after.data(), before.data(), before.size() * sizeof(double)) == 0);
  }
};

QTEST_GUILESS_MAIN(TestAtomFileRender)
#include "test_atom_file_render.moc"
