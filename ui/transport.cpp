#include "transport.h"

#include <cmath>

namespace audiosplat::ui {

Transport::Transport(QObject* parent) : QObject(parent), output_(mixer_) {
  timer_.setInterval(30);
  connect(&timer_, &QTimer::timeout, this, &Transport::tick);
  timer_.start();
}

Transport::~Transport() { output_.close(); }

void Transport::setBuffer(std::unique_ptr<playback::PlaybackBuffer> buffer) {
  const double rate = buffer ? buffer->sampleRate : 0;
  mixer_.publish(std::move(buffer));
  if (!outputTried_ && rate > 0) {
    outputTried_ = true;
    output_.open(rate);
    emit outputStatusChanged(outputStatus());
  }
}

void Transport::play() {
  // Before the first buffer arrives this only arms playback; it starts with the buffer.
  if (mixer_.frames() > 0 && mixer_.position() >= mixer_.frames()) mixer_.seek(0);
  silentClock_.start();
  mixer_.play();
  tick();
}

void Transport::stop() {
  mixer_.stop();
  tick();
}

void Transport::seek(double seconds) {
  const double rate = mixer_.sampleRate();
  if (rate > 0) mixer_.seek(std::min<int64_t>(std::llround(seconds * rate), mixer_.frames()));
  tick();
}

double Transport::position() const {
  const double rate = mixer_.sampleRate();
  return rate > 0 ? double(mixer_.position()) / rate : 0.0;
}

void Transport::setLoop(double startSeconds, double endSeconds) {
  const double rate = mixer_.sampleRate();
  if (endSeconds <= startSeconds || rate <= 0) return mixer_.clearLoop();
  mixer_.setLoop(std::llround(startSeconds * rate), std::llround(endSeconds * rate));
}

void Transport::tick() {
  if (!output_.available() && mixer_.playing() && silentClock_.isValid()) {
    // No device: consume as many frames as real time says have passed.
    const int frames = int(std::llround(silentClock_.restart() * 1e-3 * mixer_.sampleRate()));
    if (frames > 0) {
      silentFrames_.resize(size_t(frames));
      mixer_.render(silentFrames_.data(), frames, 1);
    }
  } else if (!output_.available()) {
    // Keeps the mixer's render count moving so that retired buffers are released.
    mixer_.render(nullptr, 0, 1);
  }
  mixer_.collectRetired();
  const bool playing = mixer_.playing();
  if (playing != wasPlaying_) {
    wasPlaying_ = playing;
    emit playingChanged(playing);
  }
  const double now = position();
  if (now != lastPosition_) {
    lastPosition_ = now;
    emit positionChanged(now);
  }
}

}  // namespace audiosplat::ui
