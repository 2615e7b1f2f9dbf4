// Rooms from real impulse-response files: loaded at the working rate, hashed, and
// audible in a render exactly as the model says (dry/wet mix with the normalised IR).
#include <QtTest>
#include <cmath>

#include "dsp/fft.h"
#include "io/room_file.h"
#include "model/reference_renderer.h"
#include "testing.h"

using namespace audiosplat;

class TestRoomFile : public QObject {
  Q_OBJECT
 private slots:
  void loadsRealImpulse() {
    const Room room = io::loadRoom(test::devAudio("ir4_street.wav").toStdString(), 22050.0);
    QCOMPARE(room.name, std::string("ir4_street.wav"));
    QCOMPARE(room.impulse.size(), size_t(8567));  // 0.39 s at 22050 Hz, as SOURCES.md says
    QCOMPARE(room.sha256, impulseHash(room.impulse));
    QVERIFY(room.norm() > 0.1);
    // At another working rate the impulse is resampled: about half as many samples.
    const Room half = io::loadRoom(test::devAudio("ir4_street.wav").toStdString(), 11025.0);
    QVERIFY(std::abs(double(half.impulse.size()) - 8567 / 2.0) <= 1.0);
  }

  void fullyWetAtomIsTheConvolution() {
    AtomSet set;
    set.atomLength = 4096;
    set.rooms.push_back(io::loadRoom(test::devAudio("ir4_street.wav").toStdString(), 22050.0));
    Atom atom;
    atom.room = 0;
    atom.roomWet = 1.0;
    Atom dry = atom;
    dry.room = -1;
    const std::vector<double> wet = reference::renderAtomLocal(atom, set);
    const std::vector<double> expected = dsp::convolve(reference::renderAtomLocal(dry, set), set.rooms[0].impulse);
    QCOMPARE(wet.size(), expected.size());
    double maxError = 0.0;
    for (size_t i = 0; i < wet.size(); ++i)
      maxError = std::max(maxError, std::abs(wet[i] - expected[i] / set.rooms[0].norm()));
    QVERIFY(maxError < 1e-12);
  }

  void refusesMissingFile() {
    QVERIFY_THROWS_EXCEPTION(std::exception, io::loadRoom("/nonexistent/ir.wav", 22050.0));
  }
};

QTEST_GUILESS_MAIN(TestRoomFile)
#include "test_room_file.moc"
