// The render path behind playback, headless: positions, A/B switching, loops, buffer
// swaps with crossfades, the end of the buffer, and no allocation while rendering.
#include <QtTest>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>

#include "playback/playback_mixer.h"

namespace {
// Counts every allocation of the process, so a test can assert render() makes none.
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace audiosplat::playback;

namespace {

constexpr int kFade = PlaybackMixer::kCrossfadeFrames;

// Every source a constant, so where each frame came from is visible in the output.
std::unique_ptr<PlaybackBuffer> constantBuffer(int64_t frames, float original, float reconstruction, float residual) {
  auto b = std::make_unique<PlaybackBuffer>();
  b->channel(PlaybackSource::Original).assign(size_t(frames), original);
  b->channel(PlaybackSource::Reconstruction).assign(size_t(frames), reconstruction);
  b->channel(PlaybackSource::Residual).assign(size_t(frames), residual);
  return b;
}

std::vector<float> render(PlaybackMixer& mixer, int frames) {
  std::vector<float> out(static_cast<size_t>(frames));
  mixer.render(out.data(), frames, 1);
  return out;
}

}  // namespace

class TestPlaybackMixer : public QObject {
  Q_OBJECT
 private slots:
  void silentUntilPlayed() {
    PlaybackMixer mixer;
    mixer.publish(constantBuffer(4096, 0.5f, 0, 0));
    for (float v : render(mixer, 512)) QCOMPARE(v, 0.0f);
    QCOMPARE(mixer.position(), 0);
  }

  void switchingSourceKeepsPosition() {
    PlaybackMixer mixer;
    mixer.publish(constantBuffer(10000, 0.25f, 0.5f, -0.25f));
    mixer.play();
    std::vector<float> a = render(mixer, 1024);
    QCOMPARE(mixer.position(), 1024);
    QCOMPARE(a[kFade + 10], 0.25f);  // after the fade-in from silence
    QVERIFY(a[0] < 0.01f);           // no click at the start
    mixer.setSource(PlaybackSource::Reconstruction);
    std::vector<float> b = render(mixer, 1024);
    QCOMPARE(mixer.position(), 2048);
    QVERIFY(std::abs(b[0] - 0.25f) < 0.01f);  // crossfades from where A was
    for (int i = 1; i < kFade; ++i) QVERIFY(b[size_t(i)] >= b[size_t(i - 1)]);
    for (int i = kFade; i < 1024; ++i) QCOMPARE(b[size_t(i)], 0.5f);
    mixer.setSource(PlaybackSource::Residual);
    std::vector<float> c = render(mixer, 512);
    QCOMPARE(c.back(), -0.25f);
    QCOMPARE(mixer.position(), 2560);
  }

  void loopWraps() {
    PlaybackMixer mixer;
    auto ramp = std::make_unique<PlaybackBuffer>();
    for (int i = 0; i < 1000; ++i) ramp->channel(PlaybackSource::Original).push_back(float(i));
    mixer.publish(std::move(ramp));
    mixer.setLoop(100, 200);
    mixer.seek(150);
    mixer.play();
    std::vector<float> out = render(mixer, 600);
    int64_t expected = 150;
    for (int i = 0; i < 600; ++i) {
      if (i >= kFade) QCOMPARE(out[size_t(i)], float(expected));
      expected = expected + 1 == 200 ? 100 : expected + 1;
    }
    QCOMPARE(mixer.position(), expected);
    QVERIFY(mixer.playing());
    mixer.clearLoop();
    render(mixer, 1000);
    QVERIFY(!mixer.playing());  // ran to the end without the loop
  }

  void stopsAtTheEnd() {
    PlaybackMixer mixer;
    mixer.publish(constantBuffer(1000, 0.5f, 0, 0));
    mixer.seek(900);
    mixer.play();
    std::vector<float> out = render(mixer, 300);
    QCOMPARE(mixer.position(), 1000);
    QVERIFY(!mixer.playing());
    for (int i = 100; i < 300; ++i) QCOMPARE(out[size_t(i)], 0.0f);
  }

  void seekWhilePlaying() {
    PlaybackMixer mixer;
    mixer.publish(constantBuffer(10000, 0.5f, 0, 0));
    mixer.play();
    render(mixer, 512);
    mixer.seek(5000);
    render(mixer, 100);
    QCOMPARE(mixer.position(), 5100);
  }

  void newBufferIsPickedUpWithoutAClick() {
    PlaybackMixer mixer;
    mixer.publish(constantBuffer(10000, 0.25f, 0.25f, 0));
    mixer.setSource(PlaybackSource::Reconstruction);
    mixer.play();
    render(mixer, 1024);
    mixer.publish(constantBuffer(10000, 0.25f, 0.75f, 0));
    QCOMPARE(mixer.collectRetired(), size_t(1));  // the old buffer may still be read
    std::vector<float> out = render(mixer, 1024);
    QCOMPARE(mixer.position(), 2048);
    QVERIFY(std::abs(out[0] - 0.25f) < 0.01f);
    for (int i = 1; i < 1024; ++i) QVERIFY(std::abs(out[size_t(i)] - out[size_t(i - 1)]) < 0.01f);
    QCOMPARE(out.back(), 0.75f);
    render(mixer, 64);
    QCOMPARE(mixer.collectRetired(), size_t(0));  // two renders later it is freed
  }

  void renderDoesNotAllocate() {
    PlaybackMixer mixer;
    mixer.publish(constantBuffer(48000, 0.1f, 0.2f, 0.3f));
    mixer.publish(constantBuffer(48000, 0.1f, 0.2f, 0.4f));
    std::vector<float> out(2 * 4096);
    mixer.setLoop(1000, 3000);
    mixer.play();
    const long before = allocations.load();
    for (int i = 0; i < 200; ++i) {
      mixer.setSource(PlaybackSource(i % 3));
      if (i % 50 == 0) mixer.seek(1000 + i * 7);
      mixer.render(out.data(), 4096, 2);
    }
    QCOMPARE(allocations.load() - before, 0L);
    QCOMPARE(out[0], out[1]);  // mono copied to both channels
    QVERIFY(mixer.position() >= 1000 && mixer.position() < 3000);
  }
};

QTEST_APPLESS_MAIN(TestPlaybackMixer)
#include "test_playback_mixer.moc"
