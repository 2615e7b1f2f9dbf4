#include "audio/audio_file.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "audio/audio_error.h"
#include "audio/resample.h"
#include "audio/sample_rate_limits.h"
#include "audio/wav_header.h"

namespace audiosplat::audio {
namespace {

using Kind = AudioError::Kind;

constexpr int kMaxChannels = 1024;  // libsndfile's SF_MAX_CHANNELS (not in its public header)

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};

struct OpenFile {
  std::unique_ptr<SNDFILE, SndfileCloser> handle;
  SF_INFO info{};
};

[[noreturn]] void fail(Kind kind, const std::string& path, const std::string& what) {
  throw AudioError(kind, path + ": " + what);
}

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g s", s);
  return text;
}

std::string hertz(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g Hz", rate);
  return text;
}

std::string formatName(int format) {
  SF_FORMAT_INFO info{};
  info.format = format;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) != 0 || !info.name)
    return "unknown";
  return info.name;
}

// libsndfile's own message for an open failure is terse ("SF_INFO struct incomplete");
// add what the header says where it explains the failure.
[[noreturn]] void failToOpen(const std::string& path) {
  const int code = sf_error(nullptr);
  const std::string reason = sf_strerror(nullptr);
  switch (code) {
    case SF_ERR_SYSTEM: fail(Kind::Unreadable, path, "cannot be read (" + reason + ")");
    case SF_ERR_UNRECOGNISED_FORMAT:
      fail(Kind::Unsupported, path,
           "is not in an audio format AudioSplat reads (WAV, FLAC, OGG Vorbis, Opus, MP3, "
           "AIFF and the other formats of libsndfile); it may be damaged or not audio at all");
    case SF_ERR_UNSUPPORTED_ENCODING:
      fail(Kind::Unsupported, path,
           "uses an encoding libsndfile cannot decode (" + reason + "); convert it to WAV or FLAC");
  }
  if (const auto wav = readWavDeclaration(path)) {
    if (wav->sampleRate && !isSupportedSampleRate(*wav->sampleRate))
      fail(Kind::Malformed, path,
           "the WAV header declares a sample rate of " + std::to_string(*wav->sampleRate) +
               " Hz, which no recording has (AudioSplat reads 1 kHz to 768 kHz): the header is "
               "damaged");
    if (wav->channels && (*wav->channels == 0 || *wav->channels > kMaxChannels))
      fail(Kind::Malformed, path,
           "the WAV header declares " + std::to_string(*wav->channels) + " channels (1 to " +
               std::to_string(kMaxChannels) + " can be read): the header is damaged");
  }
  fail(Kind::Malformed, path, "is damaged or not a valid audio file (libsndfile: " + reason + ")");
}

// Opens the file and refuses everything that is wrong before a sample is read.
OpenFile openChecked(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) fail(Kind::NotFound, path, "no such file");
  if (error) fail(Kind::Unreadable, path, "cannot be read (" + error.message() + ")");
  if (fs::is_directory(status)) fail(Kind::Unreadable, path, "is a directory, not an audio file");
  // A FIFO or a device could block forever or never end.
  if (!fs::is_regular_file(status)) fail(Kind::Unreadable, path, "is not a regular file");
  if (fs::file_size(path, error) == 0 && !error) fail(Kind::Malformed, path, "is empty (0 bytes)");

  OpenFile file;
  file.handle.reset(sf_open(path.c_str(), SFM_READ, &file.info));
  if (!file.handle) failToOpen(path);
  const SF_INFO& info = file.info;
  if (info.channels < 1) fail(Kind::Malformed, path, "declares no audio channels");
  if (!isSupportedSampleRate(info.samplerate))
    fail(Kind::Unsupported, path,
         "has a sample rate of " + std::to_string(info.samplerate) +
             " Hz; AudioSplat reads 1 kHz to 768 kHz (convert it, e.g. with sox or ffmpeg)");
  if (info.frames <= 0) fail(Kind::Malformed, path, "contains no audio (0 samples)");
  if (const auto wav = readWavDeclaration(path); wav && isTruncated(*wav))
    fail(Kind::Malformed, path,
         "is truncated: its header declares " + std::to_string(*wav->dataBytes) +
             " bytes of audio but the file holds only " + std::to_string(wav->dataBytesPresent) +
             " (an interrupted download, copy or recording?)");
  return file;
}

// Reads the whole file in blocks, averaging the channels. Memory grows with the samples
// actually decoded, never with what the header claims.
std::vector<double> readMono(OpenFile& file, const std::string& path, double maxSeconds,
                             const std::function<bool(double)>& progress) {
  const SF_INFO& info = file.info;
  const size_t channels = size_t(info.channels);
  const double limitFrames = maxSeconds * info.samplerate;
  if (double(info.frames) > limitFrames)
    fail(Kind::TooLarge, path,
         "is " + seconds(double(info.frames) / info.samplerate) + " long; the limit is " +
             seconds(maxSeconds) + " (cut it into shorter pieces)");

  const size_t blockFrames = std::max<size_t>(1, 65536 / channels);
  std::vector<double> block(blockFrames * channels);
  std::vector<double> mono;
  size_t nonFinite = 0, firstBad = 0;
  for (;;) {
    const sf_count_t got =
        sf_readf_double(file.handle.get(), block.data(), sf_count_t(blockFrames));
    if (got <= 0) break;
    for (sf_count_t f = 0; f < got; ++f) {
      double sum = 0;
      for (size_t c = 0; c < channels; ++c) {
        const double v = block[size_t(f) * channels + c];
        if (!std::isfinite(v) && nonFinite++ == 0) firstBad = mono.size() * channels + c;
        sum += v;
      }
      mono.push_back(sum / double(channels));
    }
    if (progress && !progress(info.frames > 0 ? std::min(1.0, double(mono.size()) / double(info.frames)) : 0.0))
      throw LoadCancelled();
    // Formats that do not know their length in advance are stopped here.
    if (double(mono.size()) > limitFrames)
      fail(Kind::TooLarge, path,
           "is longer than the limit of " + seconds(maxSeconds) + " (cut it into shorter pieces)");
  }
  if (sf_error(file.handle.get()) != SF_ERR_NO_ERROR)
    fail(Kind::Malformed, path,
         "could not be decoded past " + seconds(double(mono.size()) / info.samplerate) +
             " (libsndfile: " + sf_strerror(file.handle.get()) +
             "); the file is damaged or truncated");
  if (int64_t(mono.size()) < info.frames)
    fail(Kind::Malformed, path,
         "is truncated: its header declares " + std::to_string(info.frames) +
             " samples per channel but only " + std::to_string(mono.size()) + " could be read");
  if (nonFinite > 0) {
    const size_t frame = firstBad / channels;
    fail(Kind::Malformed, path,
         (nonFinite == 1 ? std::string("1 sample is not a finite number")
                         : std::to_string(nonFinite) + " samples are not finite numbers") +
             " (NaN or infinity); the first is at " + seconds(double(frame) / info.samplerate) +
             " (frame " + std::to_string(frame) + ", channel " +
             std::to_string(firstBad % channels + 1) +
             "). The file is damaged or was written by faulty software");
  }
  return mono;
}

void normalizePeakInPlace(std::vector<double>& x) {
  double peak = 0;
  for (double v : x) peak = std::max(peak, std::abs(v));
  if (peak == 0) return;  // silence stays silence
  for (double& v : x) v /= peak;
}

}  // namespace

AudioInfo probe(const std::string& path) {
  const OpenFile file = openChecked(path);
  const SF_INFO& info = file.info;
  return AudioInfo{double(info.samplerate),
                   info.channels,
                   int64_t(info.frames),
                   double(info.frames) / info.samplerate,
                   formatName(info.format & SF_FORMAT_TYPEMASK),
                   formatName(info.format & SF_FORMAT_SUBMASK)};
}

Audio load(const std::string& path, const LoadOptions& options) {
  if (options.targetRate != 0 && !isSupportedSampleRate(options.targetRate))
    throw std::invalid_argument("load: target rate " + hertz(options.targetRate) +
                                " is outside 1 kHz .. 768 kHz");
  OpenFile file = openChecked(path);
  const double fileRate = file.info.samplerate;
  Audio audio;
  audio.sampleRate = options.targetRate == 0 ? fileRate : options.targetRate;
  const double ratio = audio.sampleRate / fileRate;
  if (ratio > 256 || ratio < 1.0 / 256)  // libsamplerate's range for one conversion
    fail(Kind::Unsupported, path,
         "cannot be resampled from " + hertz(fileRate) + " to " + hertz(audio.sampleRate) +
             " in one step (libsamplerate converts ratios up to 256)");
  audio.samples = readMono(file, path, options.maxSeconds, options.progress);
  file.handle.reset();  // close before the (possibly long) resampling
  if (audio.sampleRate != fileRate)
    audio.samples = resample(audio.samples, fileRate, audio.sampleRate);
  if (options.normalizePeak) normalizePeakInPlace(audio.samples);
  return audio;
}

}  // namespace audiosplat::audio
