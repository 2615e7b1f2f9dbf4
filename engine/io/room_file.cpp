#include "io/room_file.h"

#include <filesystem>
#include <stdexcept>

#include "audio/audio_file.h"

namespace audiosplat::io {

Room loadRoom(const std::string& path, double sampleRate) {
  // Impulse responses longer than 20 s are not rooms anyone means to convolve with.
  audio::Audio audio = audio::load(path, {sampleRate, false, 20.0});
  Room room;
  room.name = std::filesystem::path(path).filename().string();
  room.impulse = std::move(audio.samples);
  if (room.norm() == 0.0) throw std::invalid_argument(path + ": the impulse response is silent");
  room.sha256 = impulseHash(room.impulse);
  return room;
}

}  // namespace audiosplat::io
