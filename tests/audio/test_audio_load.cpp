// Loading real recordings and files in every format the editor accepts: rates, channel
// mixing, resampling and normalisation, checked on known signals.
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "audio/audio_file.h"
#include "audio_fixtures.h"
#include "testing.h"

using namespace audiosplat;
using audiosplat::test::devAudio;

namespace {

double peak(const std::vector<double>& x) {
  double p = 0;
  for (double v : x) p = std::max(p, std::abs(v));
  return p;
}

}  // namespace

class TestAudioLoad : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  std::string temp(const char* name) const { return dir_.filePath(name).toStdString(); }

 private slots:
  void devClips_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("seconds");
    QTest::newRow("piano") << "01_piano_C4_salamander.wav" << 3.0;
    QTest::newRow("guitar") << "04_guitar_nylon_E3.wav" << 2.5;
    QTest::newRow("cello") << "06_cello_C3.wav" << 3.0;
    QTest::newRow("snare") << "10_snare_hit.wav" << 1.0;
    QTest::newRow("quartet") << "12_quartet_phrase_fluidr3.wav" << 3.0;
    QTest::newRow("great hall IR") << "ir1_greathall.wav" << 2.345;
    QTest::newRow("street IR") << "ir4_street.wav" << 0.3885;
  }
  void devClips() {
    QFETCH(QString, name);
    QFETCH(double, seconds);
    const std::string path = devAudio(name).toStdString();

    const audio::AudioInfo info = audio::probe(path);
    QCOMPARE(info.sampleRate, 22050.0);
    QCOMPARE(info.channels, 1);
    QVERIFY(std::abs(info.durationSeconds - seconds) < 1e-3);
    QCOMPARE(info.container, std::string("WAV (Microsoft)"));
    QCOMPARE(info.encoding, std::string("Signed 16 bit PCM"));

    // At its own rate the clip is its 16-bit samples, exactly.
    const audio::Audio native = audio::load(path);
    QCOMPARE(native.sampleRate, 22050.0);
    QCOMPARE(int64_t(native.samples.size()), info.frames);
    for (double v : native.samples) QCOMPARE(v * 32768, std::round(v * 32768));
    // SOURCES.md: every clip was normalised to -1 dBFS (29205 / 32768).
    QCOMPARE(peak(native.samples), 29205.0 / 32768.0);

    const audio::Audio doubled = audio::load(path, {.targetRate = 44100});
    QCOMPARE(doubled.sampleRate, 44100.0);
    QCOMPARE(doubled.samples.size(), 2 * native.samples.size());

    const audio::Audio normalised = audio::load(path, {.targetRate = 0, .normalizePeak = true});
    QCOMPARE(peak(normalised.samples), 1.0);
    QCOMPARE(normalised.samples.size(), native.samples.size());
  }

  // Left and right carry the same 440 Hz sine at amplitudes 0.5 and 0.3: the mono mix
  // is the same sine at 0.4, at 22050 Hz with half the samples.
  void stereoFlac44100() {
    const auto left = test::sine(44100, 88200, 440, 0.5),
               right = test::sine(44100, 88200, 440, 0.3);
    test::writeSndfile(dir_.filePath("stereo.flac"), test::interleave({left, right}), 2, 44100,
                       SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
    const audio::AudioInfo info = audio::probe(temp("stereo.flac"));
    QCOMPARE(info.channels, 2);
    QCOMPARE(info.sampleRate, 44100.0);
    QCOMPARE(info.frames, int64_t(88200));
    QCOMPARE(info.container, std::string("FLAC (Free Lossless Audio Codec)"));

    const audio::Audio a = audio::load(temp("stereo.flac"));
    QCOMPARE(a.sampleRate, 22050.0);
    QCOMPARE(a.samples.size(), size_t(44100));
    const auto mid = test::middle(a.samples);
    QVERIFY(std::abs(test::measuredFrequency(mid, 22050) - 440) < 0.01);
    QVERIFY(std::abs(test::sineAmplitude(mid) - 0.4) < 1e-3);
  }

  // Opposite channels cancel: the mix is the mean, not the sum or the left channel.
  void channelsAreAveraged() {
    const auto x = test::sine(22050, 22050, 300, 0.5);
    std::vector<double> negated(x.size()), third(x.size(), 0.25);
    std::transform(x.begin(), x.end(), negated.begin(), [](double v) { return -v; });
    test::writeSndfile(dir_.filePath("three.wav"), test::interleave({x, negated, third}), 3, 22050,
                       SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const audio::Audio a = audio::load(temp("three.wav"));
    for (double v : a.samples) QVERIFY(std::abs(v - 0.25 / 3) < 1e-7);
  }

  void floatWav48k() {
    test::writeSndfile(dir_.filePath("float.wav"), test::sine(48000, 72000, 1000, 0.7), 1, 48000,
                       SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    QCOMPARE(audio::probe(temp("float.wav")).encoding, std::string("32 bit float"));
    const audio::Audio a = audio::load(temp("float.wav"));
    QCOMPARE(a.samples.size(), size_t(33075));  // 1.5 s at 22050 Hz
    const auto mid = test::middle(a.samples);
    QVERIFY(std::abs(test::measuredFrequency(mid, 22050) - 1000) < 0.01);
    QVERIFY(std::abs(test::sineAmplitude(mid) - 0.7) < 1e-3);
    // targetRate 0 keeps the file's rate and samples.
    const audio::Audio native = audio::load(temp("float.wav"), {.targetRate = 0});
    QCOMPARE(native.sampleRate, 48000.0);
    QCOMPARE(native.samples.size(), size_t(72000));
    QVERIFY(std::abs(native.samples[12] - 0.7 * std::sin(2 * M_PI * 1000 * 12 / 48000.0)) < 1e-7);
  }

  void reportsProgressAndCancels() {
    test::writeSndfile(dir_.filePath("long.wav"), test::sine(48000, 300000, 440, 0.5), 1, 48000,
                       SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    std::vector<double> fractions;
    audio::LoadOptions options;
    options.progress = [&](double f) {
      fractions.push_back(f);
      return true;
    };
    const audio::Audio a = audio::load(temp("long.wav"), options);
    QCOMPARE(a.samples.size(), size_t(137813));
    QVERIFY(fractions.size() >= 4);  // 300000 frames in blocks of 65536
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
    // Returning false stops the load after that block.
    int calls = 0;
    options.progress = [&](double) { return ++calls < 2; };
    QVERIFY_THROWS_EXCEPTION(audio::LoadCancelled, audio::load(temp("long.wav"), options));
    QCOMPARE(calls, 2);
  }

  // Lossy codecs keep the pitch exactly and the level within a few percent.
  void lossyFormats_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("rate");
    QTest::newRow("ogg vorbis") << "tone.ogg" << (SF_FORMAT_OGG | SF_FORMAT_VORBIS) << 44100;
    QTest::newRow("opus") << "tone.opus" << (SF_FORMAT_OGG | SF_FORMAT_OPUS) << 48000;
    QTest::newRow("mp3") << "tone.mp3" << (SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III) << 44100;
  }
  void lossyFormats() {
    QFETCH(QString, name);
    QFETCH(int, format);
    QFETCH(int, rate);
    const auto x = test::sine(rate, size_t(rate) * 2, 660, 0.5);
    test::writeSndfile(dir_.filePath(name), test::interleave({x, x}), 2, rate, format);
    const audio::Audio a = audio::load(dir_.filePath(name).toStdString());
    QCOMPARE(a.sampleRate, 22050.0);
    QVERIFY2(std::abs(double(a.samples.size()) - 44100) < 0.05 * 44100,
             qPrintable(QString::number(a.samples.size())));
    const auto mid = test::middle(a.samples);
    QVERIFY(std::abs(test::measuredFrequency(mid, 22050) - 660) < 0.05);
    QVERIFY2(std::abs(test::sineAmplitude(mid) - 0.5) < 0.02,
             qPrintable(QString::number(test::sineAmplitude(mid))));
  }

  void silenceStaysSilentWhenNormalised() {
    test::writeSndfile(dir_.filePath("silence.wav"), std::vector<double>(4000, 0.0), 1, 16000,
                       SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const audio::Audio a = audio::load(temp("silence.wav"), {.normalizePeak = true});
    QCOMPARE(a.samples.size(), size_t(5513));  // round(4000 * 22050 / 16000)
    QCOMPARE(peak(a.samples), 0.0);
  }
};

QTEST_GUILESS_MAIN(TestAudioLoad)
#include "test_audio_load.moc"
