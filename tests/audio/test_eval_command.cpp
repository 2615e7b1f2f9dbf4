// audiosplat eval: one JSON object with exactly the four metrics, files at different
// rates compared at one rate, null (and a reason) for non-finite values, exit codes.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "audio/audio_file.h"
#include "audio/audio_writer.h"
#include "audio/resample.h"
#include "audio_fixtures.h"
#include "testing.h"

using namespace audiosplat;

namespace {

// Parses stdout, which must be one line holding one object with exactly the four keys.
QJsonObject metricsFrom(const test::CliResult& r) {
  if (r.exitCode != 0) qWarning() << r.err;
  if (!r.out.endsWith('\n') || r.out.count('\n') != 1) return {};
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
  if (error.error != QJsonParseError::NoError || !doc.isObject()) return {};
  QStringList keys = doc.object().keys();
  keys.sort();
  if (keys != QStringList{"lsd_db", "mrstft", "si_sdr_db", "snr_db"}) return {};
  return doc.object();
}

}  // namespace

class TestEvalCommand : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  const QString piano_ = test::devAudio("01_piano_C4_salamander.wav");

 private slots:
  void help() {
    const test::CliResult r = test::runCli({"eval", "--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("Usage: audiosplat eval REFERENCE ESTIMATE [--rate HZ]"));
    QVERIFY(test::runCli({"--help"}).out.contains("eval"));
  }

  void identicalFiles() {
    const test::CliResult r = test::runCli({"eval", piano_, piano_});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject m = metricsFrom(r);
    QCOMPARE(r.out.left(11), QString("{\"mrstft\": "));  // the documented key order
    QCOMPARE(m["mrstft"].toDouble(-1), 0.0);
    QCOMPARE(m["lsd_db"].toDouble(-1), 0.0);
    QVERIFY(m["snr_db"].isNull());
    QVERIFY(m["si_sdr_db"].isNull());
    QVERIFY2(
        r.err.contains("snr_db is +infinity, printed as null: the estimate equals the reference"),
        qPrintable(r.err));
    QVERIFY(r.err.contains("si_sdr_db is +infinity"));
  }

  // Half the level, stored as float (exact for 16-bit samples / 2): SNR is 20 log10 2.
  void halfGainCopy() {
    const audio::Audio piano = audio::load(piano_.toStdString(), {.targetRate = 0});
    std::vector<double> half(piano.samples);
    for (double& v : half) v *= 0.5;
    const std::string path = dir_.filePath("half.wav").toStdString();
    audio::writeAudio(path, half, piano.sampleRate, audio::SampleFormat::Float32);
    const QJsonObject m = metricsFrom(test::runCli({"eval", piano_, QString::fromStdString(path)}));
    QVERIFY(std::abs(m["snr_db"].toDouble() - 20 * std::log10(2.0)) < 1e-12);
    QVERIFY(m["si_sdr_db"].isNull());
    QVERIFY(std::abs(m["mrstft"].toDouble() - 0.5 - std::log(2.0)) < 0.1);
  }

  // An estimate stored at 44.1 kHz is brought to the reference's 22050 Hz; with --rate both
  // are converted. The round trip through 44.1 kHz changes little.
  void differentRates() {
    const audio::Audio piano = audio::load(piano_.toStdString(), {.targetRate = 0});
    const std::string path = dir_.filePath("piano44k.wav").toStdString();
    audio::writeAudio(path, audio::resample(piano.samples, 22050, 44100), 44100,
                      audio::SampleFormat::Float32);
    const QString estimate = QString::fromStdString(path);

    const test::CliResult r = test::runCli({"eval", piano_, estimate});
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));  // same length after conversion: no note
    const QJsonObject m = metricsFrom(r);
    QVERIFY2(m["snr_db"].toDouble() > 40, qPrintable(r.out));
    QVERIFY2(m["mrstft"].toDouble() < 0.2, qPrintable(r.out));

    const QJsonObject at16k =
        metricsFrom(test::runCli({"eval", piano_, estimate, "--rate", "16000"}));
    QVERIFY2(at16k["snr_db"].toDouble() > 40, qPrintable(QJsonDocument(at16k).toJson()));
    QVERIFY(at16k["snr_db"].toDouble() != m["snr_db"].toDouble());
    QCOMPARE(metricsFrom(test::runCli({"eval", piano_, estimate, "--rate=16000"})), at16k);
  }

  void silentReference() {
    const std::string path = dir_.filePath("silence.wav").toStdString();
    audio::writeAudio(path, std::vector<double>(22050, 0.0), 22050);
    const test::CliResult r = test::runCli({"eval", QString::fromStdString(path), piano_});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject m = metricsFrom(r);
    QVERIFY(m["mrstft"].isNull());
    QVERIFY(m["lsd_db"].isDouble());
    QVERIFY(m["snr_db"].isNull());
    QVERIFY(m["si_sdr_db"].isNull());
    QVERIFY2(r.err.contains("snr_db is -infinity, printed as null: the reference is silent"),
             qPrintable(r.err));
    QVERIFY(r.err.contains("note: the files differ in length by 2.0000 s"));
  }

  void usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("nothing") << QStringList{"eval"} << "exactly two files";
    QTest::newRow("one file") << QStringList{"eval", piano_} << "exactly two files";
    QTest::newRow("three files") << QStringList{"eval", piano_, piano_, piano_}
                                 << "exactly two files";
    QTest::newRow("rate missing") << QStringList{"eval", piano_, piano_, "--rate"}
                                  << "--rate needs a value";
    QTest::newRow("rate text") << QStringList{"eval", piano_, piano_, "--rate", "fast"}
                               << "--rate fast";
    QTest::newRow("rate too low") << QStringList{"eval", piano_, piano_, "--rate", "100"}
                                  << "--rate 100";
    QTest::newRow("unknown option")
        << QStringList{"eval", piano_, piano_, "--gain"} << "unknown option --gain";
  }
  void usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const test::CliResult r = test::runCli(args);
    QCOMPARE(r.exitCode, 64);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
  }

  void dataErrors() {
    test::writeBytes(dir_.filePath("noise.wav"), QByteArray(5000, '\x5a'));
    const test::CliResult notAudio = test::runCli({"eval", piano_, dir_.filePath("noise.wav")});
    QCOMPARE(notAudio.exitCode, 65);
    QVERIFY(notAudio.err.contains("is not in an audio format"));

    // 0.02 s is fewer than the 1025 samples the 2048-point STFT needs.
    const std::string tiny = dir_.filePath("tiny.wav").toStdString();
    audio::writeAudio(tiny, test::sine(22050, 441, 440, 0.5), 22050);
    const test::CliResult tooShort = test::runCli({"eval", piano_, QString::fromStdString(tiny)});
    QCOMPARE(tooShort.exitCode, 65);
    QVERIFY2(tooShort.err.contains("overlap for 441 samples"), qPrintable(tooShort.err));
    QVERIFY(tooShort.out.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestEvalCommand)
#include "test_eval_command.moc"
