#pragma once
// PortAudio output that plays a PlaybackMixer: the stream runs continuously once opened
// (silence while stopped), so the mixer's retired buffers keep being released and a
// play command is heard within one callback. A machine without an output device (CI,
// servers) is a normal state, reported by available() and status().
#include <string>

#include "playback/playback_mixer.h"

namespace audiosplat::playback {

// What the audio callback reads: fixed while a stream is open.
struct CallbackTarget {
  PlaybackMixer* mixer = nullptr;
  int channels = 0;
};

class AudioOutput {
 public:
  explicit AudioOutput(PlaybackMixer& mixer);
  ~AudioOutput();  // stops and closes the stream before the mixer may go
  AudioOutput(const AudioOutput&) = delete;
  AudioOutput& operator=(const AudioOutput&) = delete;

  // Opens the default output device at sampleRate (mono, or stereo where mono is refused)
  // and starts the stream. Returns false and sets status() when there is no device or
  // the device refuses; calling it again with the same rate does nothing.
  bool open(double sampleRate);
  void close();
  bool available() const { return stream_ != nullptr; }
  // One line for a person: the device in use, or why there is none.
  const std::string& status() const { return status_; }

 private:
  CallbackTarget target_;
  bool initialised_ = false;
  void* stream_ = nullptr;  // PaStream
  double sampleRate_ = 0;
  std::string status_;
};

}  // namespace audiosplat::playback
