#pragma once
// The render path behind playback, without any audio API: given the published buffer,
// the source, the position and the loop, produce the next frames. PortAudio's callback
// (playback/audio_output.h) calls render(); tests call it directly.
//
// Real-time rules: render() never allocates, locks or waits. It reads the buffer through
// an atomic raw pointer; publish() swaps in a new one and retires the old, which is freed
// by collectRetired() only after two more render() calls have finished (the one that may
// hold it and the next, which may still crossfade from it). Any change of buffer, source,
// position or play state is crossfaded over kCrossfadeFrames, so a new reconstruction or
// an A/B switch is heard without a click.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "playback/playback_buffer.h"

namespace audiosplat::playback {

class PlaybackMixer {
 public:
  static constexpr int kCrossfadeFrames = 256;

  PlaybackMixer() = default;
  // The owner must make sure no render() is running (close the stream first).
  ~PlaybackMixer();
  PlaybackMixer(const PlaybackMixer&) = delete;
  PlaybackMixer& operator=(const PlaybackMixer&) = delete;

  // Non-real-time side (any thread but the audio callback).
  void publish(std::unique_ptr<const PlaybackBuffer> buffer);
  // Frees the retired buffers that no render() can read any more; returns how many wait.
  size_t collectRetired();
  void setSource(PlaybackSource source) { source_.store(int(source)); }
  PlaybackSource source() const { return PlaybackSource(source_.load()); }
  void play() { playing_.store(true); }
  void stop() { playing_.store(false); }
  bool playing() const { return playing_.load(); }
  void seek(int64_t frame) { position_.store(frame < 0 ? 0 : frame); }
  int64_t position() const { return position_.load(); }
  // Playing through `end` continues at `start`; an empty range (end <= start) is no loop.
  void setLoop(int64_t start, int64_t end);
  void clearLoop() { setLoop(0, 0); }
  int64_t frames() const { return frames_.load(); }
  double sampleRate() const { return sampleRate_.load(); }

  // Real-time side: writes frames x channels interleaved samples (mono copied to every
  // channel). When playback runs past the end without a loop it stops there.
  void render(float* out, int frames, int channels);

 private:
  struct Voice {
    const PlaybackBuffer* buffer = nullptr;
    int source = 0;
    bool playing = false;
    int64_t position = 0;
  };
  // Advances `voice` by one frame, returning the sample it was at.
  float next(Voice& voice, int64_t loopStart, int64_t loopEnd) const;

  std::atomic<const PlaybackBuffer*> current_{nullptr};
  std::atomic<uint64_t> renders_{0};
  std::atomic<int> source_{0};
  std::atomic<bool> playing_{false};
  std::atomic<int64_t> position_{0};
  std::atomic<int64_t> loopStart_{0}, loopEnd_{0};
  std::atomic<int64_t> frames_{0};
  std::atomic<double> sampleRate_{0.0};

  // What the previous render() ended with: the voice a change fades out from.
  Voice previous_;

  struct Retired {
    std::unique_ptr<const PlaybackBuffer> buffer;
    uint64_t freeAfter;  // renders_ value from which no render() can read it
  };
  std::mutex retiredMutex_;  // guards retired_ between non-real-time threads only
  std::vector<Retired> retired_;
};

}  // namespace audiosplat::playback
