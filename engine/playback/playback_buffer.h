#pragma once
// What playback reads: every source of one document at the working rate, immutable once
// published to a PlaybackMixer (the audio callback reads it without a lock).
#include <array>
#include <cstdint>
#include <vector>

namespace audiosplat::playback {

enum class PlaybackSource : int { Original = 0, Reconstruction, Residual, Selection };
constexpr int kPlaybackSourceCount = 4;

struct PlaybackBuffer {
  double sampleRate = 22050.0;
  // One mono channel per source; a channel shorter than the original (or empty) is
  // silent past its end.
  std::array<std::vector<float>, kPlaybackSourceCount> channels;

  std::vector<float>& channel(PlaybackSource s) { return channels[size_t(s)]; }
  const std::vector<float>& channel(PlaybackSource s) const { return channels[size_t(s)]; }
  // The playable length: the original's.
  int64_t frames() const { return int64_t(channel(PlaybackSource::Original).size()); }
};

}  // namespace audiosplat::playback
