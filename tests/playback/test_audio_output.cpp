// The real PortAudio path of playback, without a sound card: before PortAudio starts, the
// test points ALSA at a private configuration (ALSA_CONFIG_PATH) whose default PCM is
//   plug (FLOAT_LE, mono) -> file plugin -> null device,
// and the file plugin writes what is played into a FIFO in a temporary folder. The null
// device has no clock (alone it ran ~440x faster than real time), so the test reads the
// FIFO at exactly the stream's byte rate: the file plugin's blocking write then paces
// PortAudio's callback thread like a sound card would, and what the test reads is what the
// "device" played. AudioOutput opens the default device, the real PlaybackMixer renders in
// the PortAudio callback, and the test checks the stream, the clock and the samples.
#include <QtTest>
#include <QFile>
#include <QTemporaryDir>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "playback/audio_output.h"
#include "playback/playback_mixer.h"

using namespace audiosplat::playback;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kRate = 22050.0;  // the working rate: what the editor opens the stream at
constexpr int kFade = PlaybackMixer::kCrossfadeFrames;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Polls `done` every 2 ms for at most `seconds`; every wait in this test is bounded.
bool waitUntil(const std::function<bool()>& done, double seconds) {
  const Clock::time_point start = Clock::now();
  while (!done()) {
    if (secondsSince(start) > seconds) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

void sleepSeconds(double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); }

// Ends the process with a message if a scope (a test function) takes longer than its limit:
// a hang in PortAudio or ALSA (a stop or close that never returns) fails fast instead of
// holding CTest for its whole timeout.
class Watchdog {
 public:
  Watchdog(const char* what, double seconds)
      : thread_([this, what, seconds] {
          std::unique_lock lock(mutex_);
          if (!done_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; })) {
            std::fprintf(stderr, "FAIL! %s hung: still running after %.0f s\n", what, seconds);
            std::fflush(stderr);
            std::_Exit(2);
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_one();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

// The device's clock and ears: reads the FIFO the ALSA file plugin writes into at the
// stream's real-time byte rate (a token bucket refilled from the steady clock, at most
// 50 ms of debt), and keeps every sample read. It never blocks (O_NONBLOCK), so it also
// runs while no stream is open and after the writer closes.
class PacedCapture {
 public:
  ~PacedCapture() { stop(); }

  bool start(const QString& fifoPath, double framesPerSecond, QString* error) {
    fd_ = ::open(QFile::encodeName(fifoPath).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
      *error = QStringLiteral("open FIFO: ") + QString::fromLocal8Bit(std::strerror(errno));
      return false;
    }
    // The smallest pipe (one page, 1024 float frames) keeps what is in flight small.
    pipeBytes_ = ::fcntl(fd_, F_SETPIPE_SZ, 4096);
    if (pipeBytes_ < 0) pipeBytes_ = ::fcntl(fd_, F_GETPIPE_SZ);
    bytesPerSecond_ = framesPerSecond * double(sizeof(float));
    quit_ = false;
    thread_ = std::thread([this] { run(); });
    return true;
  }

  void stop() {
    if (thread_.joinable()) {
      quit_ = true;
      thread_.join();
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  int pipeBytes() const { return pipeBytes_; }
  int64_t frames() const {
    std::lock_guard lock(mutex_);
    return int64_t(samples_.size());
  }
  std::vector<float> samples(int64_t from, int64_t count) const {
    std::lock_guard lock(mutex_);
    from = std::clamp<int64_t>(from, 0, int64_t(samples_.size()));
    count = std::clamp<int64_t>(count, 0, int64_t(samples_.size()) - from);
    return {samples_.begin() + from, samples_.begin() + from + count};
  }

 private:
  void run() {
    std::vector<char> chunk(65536);
    std::vector<char> pending;  // bytes of a float split between two reads
    double allowance = 0;
    Clock::time_point last = Clock::now();
    while (!quit_) {
      const Clock::time_point now = Clock::now();
      allowance = std::min(allowance + std::chrono::duration<double>(now - last).count() * bytesPerSecond_,
                           0.05 * bytesPerSecond_);
      last = now;
      const size_t want = std::min(chunk.size(), size_t(allowance));
      const ssize_t got = want > 0 ? ::read(fd_, chunk.data(), want) : 0;
      if (got > 0) {
        allowance -= double(got);
        pending.insert(pending.end(), chunk.begin(), chunk.begin() + got);
        const size_t whole = pending.size() / sizeof(float);
        std::lock_guard lock(mutex_);
        const size_t at = samples_.size();
        samples_.resize(at + whole);
        std::memcpy(samples_.data() + at, pending.data(), whole * sizeof(float));
        pending.erase(pending.begin(), pending.begin() + ptrdiff_t(whole * sizeof(float)));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  int fd_ = -1;
  int pipeBytes_ = 0;
  double bytesPerSecond_ = 0;
  std::atomic<bool> quit_{false};
  mutable std::mutex mutex_;
  std::vector<float> samples_;
  std::thread thread_;
};

// A 440 Hz sine (with a phase, so it does not start at exactly zero) under a slow 0.37 Hz
// swell: a 440 Hz sine alone repeats exactly every 2205 frames at 22050 Hz, this does not.
std::unique_ptr<PlaybackBuffer> sineBuffer(double seconds) {
  auto b = std::make_unique<PlaybackBuffer>();
  b->sampleRate = kRate;
  auto& original = b->channel(PlaybackSource::Original);
  original.resize(size_t(std::llround(seconds * kRate)));
  for (size_t i = 0; i < original.size(); ++i) {
    const double t = double(i) / kRate;
    original[i] = float(0.5 * std::sin(2.0 * M_PI * 440.0 * t + 0.3) * (0.7 + 0.3 * std::sin(2.0 * M_PI * 0.37 * t)));
  }
  return b;
}

// Index of the first sample at or after `from` that is not exactly zero, or -1.
int64_t firstSound(const std::vector<float>& x, int64_t from) {
  for (int64_t i = std::max<int64_t>(from, 0); i < int64_t(x.size()); ++i)
    if (x[size_t(i)] != 0.0f) return i;
  return -1;
}

struct Match {
  int64_t compared = 0;
  double maxDiff = 0;
};
// Compares got[at + k] with want[first + k] for k in [0, count).
Match compare(const std::vector<float>& got, int64_t at, const std::vector<float>& want, int64_t first, int64_t count) {
  Match m;
  for (int64_t k = 0; k < count; ++k) {
    const size_t g = size_t(at + k), w = size_t(first + k);
    if (g >= got.size() || w >= want.size()) break;
    m.maxDiff = std::max(m.maxDiff, double(std::abs(got[g] - want[w])));
    ++m.compared;
  }
  return m;
}

}  // namespace

class TestAudioOutput : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  PacedCapture capture_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const QString fifo = dir_.filePath("device.f32");
    QVERIFY2(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0, std::strerror(errno));
    // Only this file: the machine's own ALSA configuration (a real card, PulseAudio) is
    // never used, so the test never makes a sound and behaves the same everywhere. plug
    // fixes what lands in the file (FLOAT_LE mono, the rate left to the stream).
    const QString config = dir_.filePath("asound.conf");
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Text));
    file.write(QStringLiteral("pcm.!default {\n"
                              "  type plug\n"
                              "  slave { pcm \"audiosplat_tap\"; format FLOAT_LE; channels 1 }\n"
                              "}\n"
                              "pcm.audiosplat_tap {\n"
                              "  type file\n"
                              "  slave.pcm { type null }\n"
                              "  file \"%1\"\n"
                              "  format \"raw\"\n"
                              "}\n"
                              "ctl.!default { type null }\n")
                   .arg(fifo)
                   .toUtf8());
    file.close();
    // Before any PortAudio (and so ALSA) initialisation in this process.
    qputenv("ALSA_CONFIG_PATH", QFile::encodeName(config));
    // The reader opens first: the file plugin's open of the FIFO for writing would block
    // without one.
    QString error;
    QVERIFY2(capture_.start(fifo, kRate, &error), qPrintable(error));
  }

  void cleanupTestCase() { capture_.stop(); }

  void opensTheDefaultDevice() {
    Watchdog watchdog("opensTheDefaultDevice", 30);
    PlaybackMixer mixer;
    AudioOutput output(mixer);
    QVERIFY2(output.open(kRate), output.status().c_str());
    QVERIFY(output.available());  // a real stream, not the editor's silent clock
    QCOMPARE(QString::fromStdString(output.status()), QStringLiteral("audio output: default"));
    QVERIFY(output.open(kRate));  // the same rate again: nothing to do
    QVERIFY(output.available());
    // The stream runs while nothing plays: silence reaches the device.
    const int64_t before = capture_.frames();
    QVERIFY2(waitUntil([&] { return capture_.frames() >= before + int64_t(0.1 * kRate); }, 5),
             "the device received no frames within 5 s");
    const std::vector<float> silence = capture_.samples(before, capture_.frames() - before);
    QVERIFY(std::all_of(silence.begin(), silence.end(), [](float v) { return v == 0.0f; }));
    QCOMPARE(mixer.position(), 0);
  }

  void playsTheBufferInRealTime() {
    Watchdog watchdog("playsTheBufferInRealTime", 30);
    PlaybackMixer mixer;
    auto buffer = sineBuffer(1.0);
    const std::vector<float> want = buffer->channel(PlaybackSource::Original);
    const int64_t n = int64_t(want.size());
    mixer.publish(std::move(buffer));
    AudioOutput output(mixer);
    QVERIFY2(output.open(kRate), output.status().c_str());
    // Let the stream settle, so what is in flight when play() comes is silence.
    const int64_t opened = capture_.frames();
    QVERIFY(waitUntil([&] { return capture_.frames() >= opened + int64_t(0.1 * kRate); }, 5));

    const int64_t atPlay = capture_.frames();
    const Clock::time_point start = Clock::now();
    mixer.play();
    // The position follows the device's clock, measured between 0.15 s and 0.75 s (PortAudio
    // calls back ~1000 frames at a time here, so a shorter window would be coarse).
    sleepSeconds(0.15);
    const double t1 = secondsSince(start);
    const int64_t p1 = mixer.position();
    sleepSeconds(0.6);
    const double t2 = secondsSince(start);
    const int64_t p2 = mixer.position();
    const double speed = double(p2 - p1) / ((t2 - t1) * kRate);
    QVERIFY2(waitUntil([&] { return !mixer.playing(); }, 5), "playback did not reach the end within 5 s");
    const double ended = secondsSince(start);
    QCOMPARE(mixer.position(), n);
    qInfo("position: %lld frames at %.3f s, %lld at %.3f s: %.3f x real time; the %.3f s buffer ended after %.3f s",
          (long long)p1, t1, (long long)p2, t2, speed, double(n) / kRate, ended);
    QVERIFY2(speed > 0.5 && speed < 1.5, qPrintable(QStringLiteral("position moved at %1 x real time").arg(speed)));
    // Ends no sooner than the buffer's length less what the device buffers ahead.
    QVERIFY2(ended > double(n) / kRate - 0.2, qPrintable(QStringLiteral("ended after %1 s").arg(ended)));

    // What the device received: silence, the fade-in, the buffer exactly, silence.
    QVERIFY2(waitUntil([&] { return capture_.frames() >= atPlay + n + int64_t(0.3 * kRate); }, 5),
             "the device did not receive the whole buffer within 5 s");
    const std::vector<float> got = capture_.samples(0, capture_.frames());
    const int64_t at = firstSound(got, atPlay);
    QVERIFY2(at >= 0, "nothing but silence reached the device");
    const int64_t latency = at - atPlay;
    // Frames in flight when play() came: the pipe, ALSA's buffer and what PortAudio renders ahead.
    QVERIFY2(latency < int64_t(0.25 * kRate), qPrintable(QStringLiteral("latency %1 frames").arg(latency)));
    for (int64_t k = 0; k < kFade; ++k) {  // fading in: same sign, never louder
      const float g = got[size_t(at + k)], w = want[size_t(k)];
      QVERIFY2(std::abs(g) <= std::abs(w) + 1e-6f && g * w >= 0.0f, qPrintable(QStringLiteral("fade-in frame %1").arg(k)));
    }
    const Match body = compare(got, at + kFade, want, kFade, n - kFade);
    QCOMPARE(body.compared, n - kFade);
    const Match tail = compare(got, at + n, std::vector<float>(2048, 0.0f), 0, 2048);
    QCOMPARE(tail.compared, int64_t(2048));
    qInfo("latency %lld frames (%.1f ms; FIFO %d bytes); %lld samples compared after the fade-in, max difference %g; "
          "%lld samples of silence after the end, max %g",
          (long long)latency, 1e3 * double(latency) / kRate, capture_.pipeBytes(), (long long)body.compared,
          body.maxDiff, (long long)tail.compared, tail.maxDiff);
    QCOMPARE(body.maxDiff, 0.0);  // float32 all the way: bit-exact
    QCOMPARE(tail.maxDiff, 0.0);
  }

  void stopPlayCloseAndReopen() {
    Watchdog watchdog("stopPlayCloseAndReopen", 60);
    PlaybackMixer mixer;
    auto buffer = sineBuffer(5.0);
    const std::vector<float> want = buffer->channel(PlaybackSource::Original);
    mixer.publish(std::move(buffer));
    AudioOutput output(mixer);
    QVERIFY2(output.open(kRate), output.status().c_str());
    const int64_t opened = capture_.frames();
    QVERIFY(waitUntil([&] { return capture_.frames() >= opened + int64_t(0.1 * kRate); }, 5));

    mixer.play();
    sleepSeconds(0.3);
    mixer.stop();
    sleepSeconds(0.02);  // a callback that began before stop() may still move the position once
    const int64_t stoppedAt = mixer.position();
    QVERIFY2(stoppedAt > int64_t(0.15 * kRate), qPrintable(QStringLiteral("played %1 frames").arg(stoppedAt)));
    // Stopped: the position stays, the stream goes on with silence after the fade-out.
    const int64_t quietFrom = capture_.frames() + int64_t(0.2 * kRate);  // past what was in flight
    QVERIFY(waitUntil([&] { return capture_.frames() >= quietFrom + int64_t(0.1 * kRate); }, 5));
    QCOMPARE(mixer.position(), stoppedAt);
    const std::vector<float> quiet = capture_.samples(quietFrom, capture_.frames() - quietFrom);
    QVERIFY(!quiet.empty());
    QVERIFY(std::all_of(quiet.begin(), quiet.end(), [](float v) { return v == 0.0f; }));

    // Play again: it resumes where it stopped, in real time.
    const int64_t atResume = capture_.frames();
    const Clock::time_point resumed = Clock::now();
    mixer.play();
    sleepSeconds(0.3);
    const double t = secondsSince(resumed);
    const int64_t p = mixer.position();
    const double speed = double(p - stoppedAt) / (t * kRate);
    qInfo("after play again: %lld frames in %.3f s (%.3f x real time)", (long long)(p - stoppedAt), t, speed);
    QVERIFY2(speed > 0.5 && speed < 1.5, qPrintable(QStringLiteral("position moved at %1 x real time").arg(speed)));

    // Close while playing, then open again: a new stream on the same device, and the
    // mixer carries on from where the old stream left it.
    const Clock::time_point closing = Clock::now();
    output.close();
    const double closeSeconds = secondsSince(closing);
    QVERIFY(!output.available());
    const int64_t closedAt = mixer.position();
    sleepSeconds(0.1);
    QCOMPARE(mixer.position(), closedAt);  // nothing renders without a stream
    QVERIFY2(output.open(kRate), output.status().c_str());
    QVERIFY(output.available());
    const Clock::time_point reopened = Clock::now();
    QVERIFY2(waitUntil([&] { return mixer.position() >= closedAt + int64_t(0.2 * kRate); }, 5),
             "the position did not move after the stream was opened again");
    qInfo("close took %.1f ms; after reopening, 0.2 s played in %.3f s", 1e3 * closeSeconds, secondsSince(reopened));
    QVERIFY2(closeSeconds < 1.0, qPrintable(QStringLiteral("close took %1 s").arg(closeSeconds)));
    mixer.stop();
    sleepSeconds(0.02);

    // Everything played since play-again reached the device once and in order: the buffer
    // from stoppedAt to closedAt (Pa_StopStream drains the old stream), then the silence a
    // new stream starts with (PortAudio fills its buffer with zeros before the first
    // callback), then the buffer on from closedAt, without a fade: the mixer just goes on.
    const int64_t endedAt = mixer.position();
    QVERIFY2(waitUntil([&] { return capture_.frames() >= atResume + (endedAt - stoppedAt) + int64_t(0.5 * kRate); }, 5),
             "the device did not receive what was played within 5 s");
    const std::vector<float> got = capture_.samples(0, capture_.frames());
    const int64_t at = firstSound(got, atResume);
    QVERIFY2(at >= 0, "nothing but silence reached the device after play again");
    const Match beforeClose = compare(got, at + kFade, want, stoppedAt + kFade, closedAt - stoppedAt - kFade);
    QCOMPARE(beforeClose.compared, closedAt - stoppedAt - kFade);
    QCOMPARE(beforeClose.maxDiff, 0.0);
    const int64_t closedIn = at + (closedAt - stoppedAt);
    const int64_t reopenedIn = firstSound(got, closedIn);
    QVERIFY2(reopenedIn >= 0, "nothing but silence reached the device after the stream was opened again");
    const int64_t gap = reopenedIn - closedIn;
    QVERIFY2(gap < int64_t(0.25 * kRate), qPrintable(QStringLiteral("%1 frames of silence after reopening").arg(gap)));
    const Match afterReopen = compare(got, reopenedIn, want, closedAt, endedAt - closedAt - kFade);
    qInfo("play again: latency %lld frames; %lld samples compared up to the close, max difference %g; the new "
          "stream began with %lld frames of silence; %lld samples compared after it, max difference %g",
          (long long)(at - atResume), (long long)beforeClose.compared, beforeClose.maxDiff, (long long)gap,
          (long long)afterReopen.compared, afterReopen.maxDiff);
    QCOMPARE(afterReopen.compared, endedAt - closedAt - kFade);
    QCOMPARE(afterReopen.maxDiff, 0.0);
  }

  void destroyingWhilePlayingIsClean() {
    Watchdog watchdog("destroyingWhilePlayingIsClean", 30);
    PlaybackMixer mixer;
    mixer.publish(sineBuffer(5.0));
    auto output = std::make_unique<AudioOutput>(mixer);
    QVERIFY2(output->open(kRate), output->status().c_str());
    mixer.play();
    QVERIFY(waitUntil([&] { return mixer.position() > int64_t(0.1 * kRate); }, 5));
    const Clock::time_point start = Clock::now();
    output.reset();  // stops and closes the stream, then terminates PortAudio
    const double seconds = secondsSince(start);
    const int64_t at = mixer.position();
    sleepSeconds(0.05);
    QCOMPARE(mixer.position(), at);  // no callback after the destructor
    qInfo("destroyed while playing in %.1f ms", 1e3 * seconds);
    QVERIFY2(seconds < 1.0, qPrintable(QStringLiteral("destroying took %1 s").arg(seconds)));
  }
};

QTEST_APPLESS_MAIN(TestAudioOutput)
#include "test_audio_output.moc"
