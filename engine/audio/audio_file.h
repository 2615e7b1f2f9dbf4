#pragma once
// Reading audio files: anything libsndfile decodes (WAV, FLAC, OGG Vorbis, Opus, MP3,
// AIFF, ...), any rate and channel count, as mono doubles at the working rate.
// Every problem with the file is an AudioError (audio/audio_error.h) naming the file;
// a damaged header never leads to a crash, a hang or an allocation the data does not back.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace audiosplat::audio {

struct AudioInfo {
  double sampleRate = 0;
  int channels = 0;
  int64_t frames = 0;
  double durationSeconds = 0;
  std::string container;  // libsndfile's name, e.g. "WAV (Microsoft)"
  std::string encoding;   // e.g. "Signed 16 bit PCM"
};

// Opens the file and checks it as load() does (without reading the samples).
AudioInfo probe(const std::string& path);

struct Audio {
  double sampleRate = 0;
  std::vector<double> samples;  // mono
};

struct LoadOptions {
  double targetRate = 22050.0;  // 0 keeps the file's rate
  bool normalizePeak = false;   // scale so the largest |sample| is 1 (silence stays silent)
  double maxSeconds = 3600.0;   // refuse longer files instead of allocating without bound
  // Called after each decoded block with the fraction decoded (0..1; 0 while a format's
  // length is unknown); returning false stops the load with LoadCancelled.
  std::function<bool(double)> progress = {};
};

// A load stopped because LoadOptions::progress asked to: not an error of the file.
struct LoadCancelled : std::runtime_error {
  LoadCancelled() : std::runtime_error("loading was cancelled") {}
};

// Mixes to mono (the mean of the channels) and resamples to options.targetRate.
Audio load(const std::string& path, const LoadOptions& options = {});

}  // namespace audiosplat::audio
