// Every kind of bad input gives an AudioError of the right kind with a message that names
// the file and the problem: never a crash, a hang or an allocation the data does not back.
#include <sys/stat.h>

#include <QTemporaryDir>
#include <QtTest>
#include <limits>

#include "audio/audio_error.h"
#include "audio/audio_file.h"
#include "audio_fixtures.h"
#include "testing.h"

using namespace audiosplat;
using Kind = audio::AudioError::Kind;

class TestAudioBadInput : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  QString path(const char* name) const { return dir_.filePath(name); }

  // Loads the file and checks the error's kind and that the message names the file and
  // contains `mentions`. Problems visible in the header are probe()'s too; those found
  // only by decoding the samples (and the length limit) are load()'s alone.
  enum class FoundBy { Header, Decoding };
  void expectError(const QString& file, Kind kind, const QString& mentions,
                   FoundBy foundBy = FoundBy::Header, const audio::LoadOptions& options = {}) {
    for (bool probeOnly : {true, false}) {
      if (probeOnly && foundBy == FoundBy::Decoding) continue;
      try {
        if (probeOnly)
          audio::probe(file.toStdString());
        else
          audio::load(file.toStdString(), options);
        QFAIL(qPrintable(file + ": no error"));
      } catch (const audio::AudioError& e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(e.kind() == kind, qPrintable(message));
        QVERIFY2(message.startsWith(file + ": "), qPrintable(message));
        QVERIFY2(message.contains(mentions), qPrintable(message));
      }
    }
  }

 private slots:
  void missingFile() { expectError(path("nothing-here.wav"), Kind::NotFound, "no such file"); }

  void directory() { expectError(dir_.path(), Kind::Unreadable, "directory"); }

  // Reading a FIFO with no writer would block forever.
  void fifoIsRefusedWithoutBlocking() {
    QCOMPARE(::mkfifo(path("pipe.wav").toLocal8Bit().constData(), 0600), 0);
    expectError(path("pipe.wav"), Kind::Unreadable, "not a regular file");
  }

  void emptyFile() {
    test::writeBytes(path("empty.wav"), {});
    expectError(path("empty.wav"), Kind::Malformed, "empty");
  }

  void headerWithoutAudio() {
    test::writeBytes(path("nodata.wav"), test::handMadeWav(22050, 1, 16, 0, 0));
    expectError(path("nodata.wav"), Kind::Malformed, "no audio");
  }

  void randomBytes() {
    QByteArray bytes;
    quint32 state = 12345;
    for (int i = 0; i < 10000; ++i)
      bytes.append(char((state = state * 1664525u + 1013904223u) >> 24));
    test::writeBytes(path("random.wav"), bytes);
    expectError(path("random.wav"), Kind::Unsupported, "not in an audio format");
  }

  void textFile() {
    test::writeBytes(path("notes.flac"), QByteArray("These are not audio samples.\n").repeated(50));
    expectError(path("notes.flac"), Kind::Unsupported, "not in an audio format");
  }

  // A real WAV cut in half (an interrupted copy): libsndfile alone would load the half.
  void truncatedWav() {
    test::writeSndfile(path("whole.wav"), test::sine(22050, 22050, 440, 0.5), 1, 22050,
                       SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    QFile whole(path("whole.wav"));
    QVERIFY(whole.open(QIODevice::ReadOnly));
    test::writeBytes(path("cut.wav"), whole.readAll().left(22094));
    expectError(path("cut.wav"), Kind::Malformed, "truncated: its header declares 44100 bytes");
  }

  void truncatedFlac() {
    test::writeSndfile(path("whole.flac"), test::sine(44100, 44100, 440, 0.5), 1, 44100,
                       SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    QFile whole(path("whole.flac"));
    QVERIFY(whole.open(QIODevice::ReadOnly));
    test::writeBytes(path("cut.flac"), whole.readAll().left(3000));
    expectError(path("cut.flac"), Kind::Malformed, "truncated", FoundBy::Decoding);
    QVERIFY(audio::probe(path("cut.flac").toStdString()).frames == 44100);
  }

  void absurdHeaders_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("2^31 frames") << test::handMadeWav(22050, 1, 16, 0x80000000u, 2000)
                                 << int(Kind::Malformed) << "declares 2147483648 bytes";
    QTest::newRow("0 Hz") << test::handMadeWav(0, 1, 16, 2000, 2000) << int(Kind::Malformed)
                          << "sample rate of 0 Hz";
    QTest::newRow("4.29 GHz") << test::handMadeWav(0xFFFFFFFFu, 1, 16, 2000, 2000)
                              << int(Kind::Malformed) << "sample rate of 4294967295 Hz";
    QTest::newRow("10000 channels") << test::handMadeWav(22050, 10000, 16, 20000, 20000)
                                    << int(Kind::Malformed) << "10000 channels";
    QTest::newRow("0 channels") << test::handMadeWav(22050, 0, 16, 2000, 2000)
                                << int(Kind::Malformed) << "0 channels";
    // Plausible headers at rates AudioSplat does not take.
    QTest::newRow("500 Hz") << test::handMadeWav(500, 1, 16, 2000, 2000) << int(Kind::Unsupported)
                            << "sample rate of 500 Hz";
    QTest::newRow("1 MHz") << test::handMadeWav(1000000, 1, 16, 2000, 2000)
                           << int(Kind::Unsupported) << "sample rate of 1000000 Hz";
    // 10 GHz does not fit the 32-bit field; what is left of it, 1.41 GHz, libsndfile takes.
    QTest::newRow("10 GHz (mod 2^32)")
        << test::handMadeWav(uint32_t(10000000000ull), 1, 16, 2000, 2000) << int(Kind::Unsupported)
        << "sample rate of 1410065408 Hz";
  }
  void absurdHeaders() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, kind);
    QFETCH(QString, mentions);
    test::writeBytes(path("absurd.wav"), bytes);
    expectError(path("absurd.wav"), Kind(kind), mentions);
  }

  void nonFiniteSamples() {
    std::vector<double> x = test::sine(22050, 4000, 440, 0.5);
    x[1000] = std::numeric_limits<double>::quiet_NaN();
    x[3000] = std::numeric_limits<double>::infinity();
    test::writeSndfile(path("nan.wav"), test::interleave({x, x}), 2, 22050,
                       SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    // Both channels of both frames: four samples, the first in frame 1000, channel 1.
    expectError(path("nan.wav"), Kind::Malformed, "4 samples are not finite", FoundBy::Decoding);
    expectError(path("nan.wav"), Kind::Malformed, "first is at 0.0453515 s (frame 1000, channel 1)",
                FoundBy::Decoding);
  }

  void longerThanTheLimit() {
    test::writeSndfile(path("long.wav"), std::vector<double>(22050, 0.1), 1, 22050,
                       SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    expectError(path("long.wav"), Kind::TooLarge, "is 1 s long; the limit is 0.5 s",
                FoundBy::Decoding, {.maxSeconds = 0.5});
    QCOMPARE(audio::load(path("long.wav").toStdString(), {.maxSeconds = 1.0}).samples.size(),
             size_t(22050));
  }

  // The command line maps the kinds to sysexits codes and says why on stderr.
  void commandLineExitCodes() {
    const QString reference = test::devAudio("10_snare_hit.wav");
    test::writeBytes(path("nodata.wav"), test::handMadeWav(22050, 1, 16, 0, 0));
    const struct {
      QString file;
      int exitCode;
    } cases[] = {{path("nothing-here.wav"), 66}, {dir_.path(), 66}, {path("nodata.wav"), 65}};
    for (const auto& c : cases) {
      const test::CliResult r = test::runCli({"eval", reference, c.file});
      QCOMPARE(r.exitCode, c.exitCode);
      QVERIFY(r.out.isEmpty());
      QVERIFY2(r.err.contains(c.file), qPrintable(r.err));
    }
  }
};

QTEST_GUILESS_MAIN(TestAudioBadInput)
#include "test_audio_bad_input.moc"
