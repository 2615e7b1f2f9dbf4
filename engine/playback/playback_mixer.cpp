#include "playback/playback_mixer.h"

#include <algorithm>

namespace audiosplat::playback {

PlaybackMixer::~PlaybackMixer() { delete current_.load(); }

void PlaybackMixer::publish(std::unique_ptr<const PlaybackBuffer> buffer) {
  frames_.store(buffer ? buffer->frames() : 0);
  if (buffer) sampleRate_.store(buffer->sampleRate);
  const PlaybackBuffer* old = current_.exchange(buffer.release());
  // Read after the swap: a render() running now ends at +1; the next one, which may still
  // fade out of the old buffer, ends at +2.
  const uint64_t freeAfter = renders_.load() + 2;
  if (!old) return;
  std::lock_guard lock(retiredMutex_);
  retired_.push_back({std::unique_ptr<const PlaybackBuffer>(old), freeAfter});
}

size_t PlaybackMixer::collectRetired() {
  const uint64_t done = renders_.load();
  std::lock_guard lock(retiredMutex_);
  std::erase_if(retired_, [done](const Retired& r) { return done >= r.freeAfter; });
  return retired_.size();
}

void PlaybackMixer::setLoop(int64_t start, int64_t end) {
  // End first to zero, so render() never sees the new start with a stale, larger end.
  loopEnd_.store(0);
  loopStart_.store(std::max<int64_t>(start, 0));
  loopEnd_.store(end);
}

float PlaybackMixer::next(Voice& voice, int64_t loopStart, int64_t loopEnd) const {
  const std::vector<float>& samples = voice.buffer->channels[size_t(voice.source)];
  const int64_t length = voice.buffer->frames();
  if (voice.position >= length) return 0.0f;
  const float value = voice.position < int64_t(samples.size()) ? samples[size_t(voice.position)] : 0.0f;
  ++voice.position;
  if (loopEnd > loopStart && voice.position == std::min(loopEnd, length)) voice.position = loopStart;
  return value;
}

void PlaybackMixer::render(float* out, int frames, int channels) {
  const int64_t loopStart = loopStart_.load(), loopEnd = loopEnd_.load();
  const int64_t begin = position_.load();
  Voice now{current_.load(), source_.load(), playing_.load(), begin};
  now.playing = now.playing && now.buffer != nullptr;
  Voice before = previous_;
  const bool changed = before.buffer != now.buffer || before.source != now.source ||
                       before.playing != now.playing || before.position != now.position;
  const int fade = changed && before.playing ? std::min(kCrossfadeFrames, frames) : 0;
  const int fadeIn = changed && !before.playing ? std::min(kCrossfadeFrames, frames) : 0;

  for (int i = 0; i < frames; ++i) {
    float value = now.playing ? next(now, loopStart, loopEnd) : 0.0f;
    if (i < fade) {
      const float old = next(before, loopStart, loopEnd);
      const float w = (float(i) + 0.5f) / float(fade);
      value = old + w * (value - old);
    } else if (i < fadeIn) {
      value *= (float(i) + 0.5f) / float(fadeIn);
    }
    for (int c = 0; c < channels; ++c) out[size_t(i) * size_t(channels) + size_t(c)] = value;
  }

  if (now.playing) {
    // A seek made while this ran wins: the exchange fails and leaves it in place.
    int64_t expected = begin;
    position_.compare_exchange_strong(expected, now.position);
    if (now.position >= now.buffer->frames()) {
      bool wasPlaying = true;
      playing_.compare_exchange_strong(wasPlaying, false);
    }
  }
  previous_ = now;
  renders_.fetch_add(1);
}

}  // namespace audiosplat::playback
