// Writing WAV and FLAC: round trips within one quantisation step, clipping instead of
// wrap-around, refusals, and atomicity: no temporary file left behind and an existing
// target untouched when a write fails.
#include <sys/resource.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <csignal>
#include <limits>

#include "audio/audio_error.h"
#include "audio/audio_file.h"
#include "audio/audio_writer.h"
#include "audio_fixtures.h"
#include "testing.h"

using namespace audiosplat;
using audio::SampleFormat;
using Kind = audio::AudioError::Kind;

namespace {

// A test signal that uses the whole range: a loud sine plus a quiet one.
std::vector<double> testSignal() {
  auto x = test::sine(44100, 44100, 441, 0.9);
  const auto quiet = test::sine(44100, 44100, 5000, 0.05);
  for (size_t n = 0; n < x.size(); ++n) x[n] += quiet[n];
  return x;
}

double maxDifference(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (size_t n = 0; n < a.size(); ++n) d = std::max(d, std::abs(a[n] - b[n]));
  return d;
}

QByteArray contents(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestAudioWriter : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  std::string temp(const QString& name) const { return dir_.filePath(name).toStdString(); }

  // The folder holds exactly these names (no ".tmp-" leftovers).
  void expectFolderHolds(const QStringList& names) {
    QStringList entries =
        QDir(dir_.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    QStringList expected = names;
    entries.sort();
    expected.sort();
    QCOMPARE(entries, expected);
  }

  void expectWriteError(const std::string& path, std::span<const double> x, double rate,
                        SampleFormat format, Kind kind, const QString& mentions) {
    try {
      audio::writeAudio(path, x, rate, format);
      QFAIL("no error");
    } catch (const audio::AudioError& e) {
      QVERIFY2(e.kind() == kind, e.what());
      QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path) + ": "), e.what());
      QVERIFY2(QString(e.what()).contains(mentions), e.what());
    }
  }

 private slots:
  void init() {
    for (const QString& name : QDir(dir_.path()).entryList(QDir::Files | QDir::Hidden))
      QFile::remove(dir_.filePath(name));
  }

  // libsndfile writes x * 2^(bits-1) rounded and reads back /2^(bits-1): one step at most.
  void roundTrip_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("wav 16") << "a.wav" << int(SampleFormat::Pcm16) << "Signed 16 bit PCM"
                            << std::ldexp(1.0, -15);
    QTest::newRow("wav 24") << "a.wav" << int(SampleFormat::Pcm24) << "Signed 24 bit PCM"
                            << std::ldexp(1.0, -23);
    QTest::newRow("wav float") << "a.wav" << int(SampleFormat::Float32) << "32 bit float" << 6e-8;
    QTest::newRow("flac 16") << "a.flac" << int(SampleFormat::Pcm16) << "Signed 16 bit PCM"
                             << std::ldexp(1.0, -15);
    QTest::newRow("flac 24") << "a.FLAC" << int(SampleFormat::Pcm24) << "Signed 24 bit PCM"
                             << std::ldexp(1.0, -23);
  }
  void roundTrip() {
    QFETCH(QString, name);
    QFETCH(int, format);
    QFETCH(QString, encoding);
    QFETCH(double, tolerance);
    const auto x = testSignal();
    audio::writeAudio(temp(name), x, 44100, SampleFormat(format));
    const audio::AudioInfo info = audio::probe(temp(name));
    QCOMPARE(info.sampleRate, 44100.0);
    QCOMPARE(info.channels, 1);
    QCOMPARE(QString::fromStdString(info.encoding), encoding);
    const audio::Audio back = audio::load(temp(name), {.targetRate = 0});
    QCOMPARE(back.samples.size(), x.size());
    const double error = maxDifference(x, back.samples);
    QVERIFY2(error <= tolerance, qPrintable(QString::number(error)));
    QVERIFY(error > 0);  // it really was quantised, so the tolerance is the one that matters
    expectFolderHolds({name});
  }

  // Out-of-range samples saturate; wrap-around would turn +1.5 into a negative sample.
  void pcmClipsInsteadOfWrapping() {
    const std::vector<double> x = {1.5, -1.5, 3.0, -7.0, 0.5};
    for (const char* name : {"clip.wav", "clip.flac"})
      for (SampleFormat format : {SampleFormat::Pcm16, SampleFormat::Pcm24}) {
        audio::writeAudio(temp(name), x, 8000, format);
        std::vector<double> back(x.size());
        SF_INFO info{};
        SNDFILE* f = sf_open(temp(name).c_str(), SFM_READ, &info);
        QVERIFY(f);
        QCOMPARE(sf_read_double(f, back.data(), sf_count_t(back.size())), sf_count_t(x.size()));
        sf_close(f);
        const double top = format == SampleFormat::Pcm16 ? 32767.0 / 32768 : 8388607.0 / 8388608;
        QCOMPARE(back, (std::vector<double>{top, -1.0, top, -1.0, 0.5}));
      }
  }

  void overwritesAnExistingFile() {
    audio::writeAudio(temp("a.wav"), std::vector<double>(1000, 0.25), 22050);
    audio::writeAudio(temp("a.wav"), std::vector<double>(500, -0.5), 22050);
    const audio::Audio back = audio::load(temp("a.wav"), {.targetRate = 0});
    QCOMPARE(back.samples, std::vector<double>(500, -0.5));
    expectFolderHolds({"a.wav"});
  }

  void refusals() {
    const std::string target = temp("keep.flac");
    audio::writeAudio(target, std::vector<double>(1000, 0.25), 22050);
    const QByteArray before = contents(dir_.filePath("keep.flac"));
    std::vector<double> x(2000, 0.1);
    expectWriteError(target, x, 22050, SampleFormat::Float32, Kind::Unsupported,
                     "FLAC stores integer");
    expectWriteError(target, x, 500, SampleFormat::Pcm16, Kind::Unsupported, "500 Hz");
    expectWriteError(target, x, 22050.5, SampleFormat::Pcm16, Kind::Unsupported, "22050.5 Hz");
    expectWriteError(temp("out.mp3"), x, 22050, SampleFormat::Pcm16, Kind::Unsupported, "'.mp3'");
    x[700] = std::numeric_limits<double>::quiet_NaN();
    x[900] = -std::numeric_limits<double>::infinity();
    expectWriteError(
        target, x, 22050, SampleFormat::Pcm16, Kind::Malformed,
        "2 of the samples are not finite numbers (NaN or infinity), the first at sample 700");
    QCOMPARE(contents(dir_.filePath("keep.flac")), before);
    expectFolderHolds({"keep.flac"});
  }

  // The disk "fills up" mid-write (a file size limit): the old file survives whole and
  // the partial temporary file is removed.
  void failedWriteKeepsTheOldFile_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("wav") << "keep.wav";
    QTest::newRow("flac") << "keep.flac";
  }
  void failedWriteKeepsTheOldFile() {
    QFETCH(QString, name);
    const std::string target = temp(name);
    audio::writeAudio(target, std::vector<double>(1000, 0.25), 22050);
    const QByteArray before = contents(dir_.filePath(name));

    rlimit saved{};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);  // get EFBIG, not a signal
    rlimit small = saved;
    small.rlim_cur = 16384;  // the 24-bit signal needs well over 100 kB, even as FLAC
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
    QString error;
    try {
      audio::writeAudio(target, testSignal(), 44100, SampleFormat::Pcm24);
    } catch (const audio::AudioError& e) {
      if (e.kind() == Kind::WriteFailed) error = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previousHandler);

    QVERIFY2(error.contains("could not be written completely (System error : File too large"),
             qPrintable(error));
    QCOMPARE(contents(dir_.filePath(name)), before);
    expectFolderHolds({name});
  }

  // The final rename fails (the target is a folder): nothing is left behind.
  void failedRenameLeavesNoTemporary() {
    QVERIFY(QDir(dir_.path()).mkdir("taken.wav"));
    QVERIFY(QFile::copy(test::devAudio("ir4_street.wav"), dir_.filePath("taken.wav/inside.wav")));
    expectWriteError(temp("taken.wav"), std::vector<double>(1000, 0.1), 22050, SampleFormat::Pcm16,
                     Kind::WriteFailed, "cannot be replaced");
    QVERIFY(QFile::exists(dir_.filePath("taken.wav/inside.wav")));
    expectFolderHolds({"taken.wav"});
    QDir(dir_.filePath("taken.wav")).removeRecursively();
  }

  void missingFolder() {
    expectWriteError(temp("no/such/folder/x.wav"), std::vector<double>(10, 0.0), 22050,
                     SampleFormat::Pcm16, Kind::WriteFailed, "cannot create a file in its folder");
  }
};

QTEST_GUILESS_MAIN(TestAudioWriter)
#include "test_audio_writer.moc"
