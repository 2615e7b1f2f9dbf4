#pragma once
// Playback as the editor sees it: the mixer, the PortAudio output, and a 30 Hz tick that
// reports the playhead and releases retired buffers. Without an audio device the tick
// also drives the mixer in real time into nowhere, so the playhead, looping and A/B work
// the same (silently) and the editor says once that there is no device.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <memory>
#include <vector>

#include "playback/audio_output.h"
#include "playback/playback_mixer.h"

namespace audiosplat::ui {

class Transport : public QObject {
  Q_OBJECT
 public:
  explicit Transport(QObject* parent = nullptr);
  ~Transport() override;

  // Swaps in new content; playback continues at the same position.
  void setBuffer(std::unique_ptr<playback::PlaybackBuffer> buffer);
  void play();  // from the start when at the end
  void stop();
  void togglePlay() { playing() ? stop() : play(); }
  bool playing() const { return mixer_.playing(); }
  void seek(double seconds);
  double position() const;  // seconds
  void setSource(playback::PlaybackSource source) { mixer_.setSource(source); }
  playback::PlaybackSource source() const { return mixer_.source(); }
  void setLoop(double startSeconds, double endSeconds);  // end <= start: no loop
  bool hasDevice() const { return output_.available(); }
  QString outputStatus() const { return QString::fromStdString(output_.status()); }

 signals:
  void positionChanged(double seconds);
  void playingChanged(bool playing);
  // Once, when the first buffer arrives: the device in use, or why there is none.
  void outputStatusChanged(const QString& status);

 private:
  void tick();

  playback::PlaybackMixer mixer_;
  playback::AudioOutput output_;  // after mixer_: closed before the mixer goes
  bool outputTried_ = false;
  QTimer timer_;
  QElapsedTimer silentClock_;
  std::vector<float> silentFrames_;
  bool wasPlaying_ = false;
  double lastPosition_ = -1;
};

}  // namespace audiosplat::ui
