// `audiosplat render` and `audiosplat info` on files the test writes: exit codes,
// outputs with the right rate and length, and messages for bad input.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "audio/audio_file.h"
#include "io/atom_file.h"
#include "random_atom_set.h"
#include "testing.h"

using namespace audiosplat;
using test::runCli;

class TestCliRenderInfo : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString atoms_;  // a valid atom file of 12 atoms, 1 s at 44.1 kHz
  AtomSet set_;

  QString path(const QString& name) const { return dir_.filePath(name); }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    set_ = test::randomAtomSet(21, 12, /*wideOnsets=*/false);
    for (Atom& a : set_.atoms) a.gain = 0.05;
    // Named .wav on purpose: info must go by content, not by extension.
    atoms_ = path("atoms.wav");
    io::writeAtomFile(atoms_.toStdString(), set_);
  }

  void helpExitsZero() {
    for (const char* command : {"render", "info"}) {
      const test::CliResult r = runCli({command, "--help"});
      QCOMPARE(r.exitCode, 0);
      QVERIFY(r.out.contains(QString("Usage: audiosplat ") + command));
    }
    QCOMPARE(runCli({"--help"}).exitCode, 0);
    QVERIFY(runCli({"--help"}).out.contains("render"));
  }

  void renderWritesTheDocument() {
    const QString out = path("out.wav");
    const test::CliResult r = runCli({"render", atoms_, "-o", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.err.contains("12 atoms, 1.000 s at 44100 Hz, peak"));
    const audio::AudioInfo info = audio::probe(out.toStdString());
    QCOMPARE(info.sampleRate, 44100.0);
    QCOMPARE(info.channels, 1);
    QCOMPARE(info.frames, set_.length);
    QCOMPARE(info.encoding, std::string("Signed 16 bit PCM"));
  }

  void renderFlacAndFormats() {
    const QString flac = path("out.flac");
    QCOMPARE(runCli({"render", atoms_, "--output=" + flac, "--format", "pcm24"}).exitCode, 0);
    const audio::AudioInfo info = audio::probe(flac.toStdString());
    QVERIFY(QString::fromStdString(info.container).contains("FLAC"));
    QCOMPARE(info.frames, set_.length);
    QCOMPARE(info.encoding, std::string("Signed 24 bit PCM"));
    // FLAC holds no floats: a usage error, and nothing written.
    const QString bad = path("float.flac");
    QCOMPARE(runCli({"render", atoms_, "-o", bad, "--format=float"}).exitCode, 64);
    QVERIFY(!QFile::exists(bad));
  }

  void renderWarnsAboutClippingUnlessNormalized() {
    AtomSet loud = set_;
    for (Atom& a : loud.atoms) a.gain = 50.0;
    const QString file = path("loud.atoms.json");
    io::writeAtomFile(file.toStdString(), loud);
    test::CliResult r = runCli({"render", file, "-o", path("loud.wav")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("warning") && r.err.contains("clips"), qPrintable(r.err));
    r = runCli({"render", file, "-o", path("loud-normalized.wav"), "--normalize"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(!r.err.contains("warning"), qPrintable(r.err));
    QVERIFY2(r.err.contains("peak -1.00 dBFS (normalized from +"), qPrintable(r.err));
    const audio::Audio a = audio::load(path("loud-normalized.wav").toStdString(), {.targetRate = 0});
    double peak = 0;
    for (double v : a.samples) peak = std::max(peak, std::abs(v));
    QVERIFY(std::abs(20 * std::log10(peak) + 1.0) < 0.01);
  }

  void renderUsageAndInputErrors() {
    QCOMPARE(runCli({"render", atoms_}).exitCode, 64);                                  // no -o
    QCOMPARE(runCli({"render", atoms_, "-o", path("x.wav"), "--format", "mp3"}).exitCode, 64);
    QCOMPARE(runCli({"render", atoms_, "-o", path("x.wav"), "--bogus"}).exitCode, 64);
    QCOMPARE(runCli({"render", path("missing.json"), "-o", path("x.wav")}).exitCode, 66);
    QCOMPARE(runCli({"render", atoms_, "-o", path("no/such/dir/x.wav")}).exitCode, 73);
  }

  void infoDescribesAtomFiles() {
    test::CliResult r = runCli({"info", atoms_});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("atom file (version 1)"));
    QVERIFY(r.out.contains("atoms        12, 12 active"));
    QVERIFY(r.out.contains("gain_db"));
    QVERIFY(r.out.contains("decay_t60_s"));

    r = runCli({"info", atoms_, "--json"});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o["kind"].toString(), QString("atoms"));
    QCOMPARE(o["atoms"].toInt(), 12);
    QCOMPARE(o["sample_rate_hz"].toDouble(), 44100.0);
    QCOMPARE(o["rooms"].toArray().size(), 2);
    const QJsonObject gain = o["parameters"].toObject()["gain_db"].toObject();
    QVERIFY(std::abs(gain["median"].toDouble() - 20 * std::log10(0.05)) < 1e-9);
  }

  void infoDescribesAudioFiles() {
    const QString wav = path("info.wav");
    QCOMPARE(runCli({"render", atoms_, "-o", wav}).exitCode, 0);
    const test::CliResult r = runCli({"info", wav, "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o["kind"].toString(), QString("audio"));
    QCOMPARE(o["sample_rate_hz"].toDouble(), 44100.0);
    QCOMPARE(o["frames"].toInteger(), set_.length);
    QCOMPARE(o["channels"].toInt(), 1);
    QVERIFY(o["peak_dbfs"].toDouble() <= 0.0);
    QVERIFY(o["rms_dbfs"].toDouble() < o["peak_dbfs"].toDouble());
    QVERIFY(runCli({"info", wav}).out.contains("sample rate  44100 Hz"));
  }

  void infoRejectsMalformedAtomFiles() {
    const QString bad = path("bad.atoms.json");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(io::atomSetToJson(set_).replace("\"version\": 1", "\"version\": 7"));
    file.close();
    const test::CliResult r = runCli({"info", bad});
    QCOMPARE(r.exitCode, 65);
    QVERIFY2(r.err.contains("version 7 is newer than this build reads"), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    QCOMPARE(runCli({"render", bad, "-o", path("bad.wav")}).exitCode, 65);
  }

  void infoInputErrors() {
    QCOMPARE(runCli({"info", path("missing.wav")}).exitCode, 66);
    QCOMPARE(runCli({"info"}).exitCode, 64);
    QCOMPARE(runCli({"info", atoms_, "--bogus"}).exitCode, 64);
  }
};

QTEST_GUILESS_MAIN(TestCliRenderInfo)
#include "test_cli_render_info.moc"
