#include "audio/audio_writer.h"

#include <fcntl.h>
#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>

#include "audio/audio_error.h"
#include "audio/sample_rate_limits.h"

namespace audiosplat::audio {
namespace {

using Kind = AudioError::Kind;

[[noreturn]] void fail(Kind kind, const std::string& path, const std::string& what) {
  throw AudioError(kind, path + ": " + what);
}

int containerFor(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  if (extension == ".wav") return SF_FORMAT_WAV;
  if (extension == ".flac") return SF_FORMAT_FLAC;
  fail(Kind::Unsupported, path, "cannot write '" + extension + "' files; name it .wav or .flac");
}

int encodingFor(SampleFormat format) {
  switch (format) {
    case SampleFormat::Pcm16: return SF_FORMAT_PCM_16;
    case SampleFormat::Pcm24: return SF_FORMAT_PCM_24;
    case SampleFormat::Float32: return SF_FORMAT_FLOAT;
  }
  return SF_FORMAT_PCM_16;
}

// A new file next to the target, so that the final rename stays on one file system.
// Removed again unless commit() renamed it over the target.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : target_(target) {
    std::random_device random;
    for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
      char suffix[16];
      std::snprintf(suffix, sizeof suffix, ".tmp-%06x", unsigned(random() & 0xFFFFFF));
      path_ = target + suffix;
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ < 0 && errno != EEXIST) break;
    }
    if (fd_ < 0)
      fail(Kind::WriteFailed, target,
           std::string("cannot create a file in its folder (") + std::strerror(errno) + ")");
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) std::remove(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }

  // Flushes to disk, closes and renames over the target.
  void commit() {
    if (::fsync(fd_) != 0 || ::close(std::exchange(fd_, -1)) != 0)
      fail(Kind::WriteFailed, target_,
           std::string("cannot be written (") + std::strerror(errno) + ")");
    std::error_code error;
    std::filesystem::rename(path_, target_, error);
    if (error) fail(Kind::WriteFailed, target_, "cannot be replaced (" + error.message() + ")");
    committed_ = true;
  }

 private:
  std::string target_, path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

void writeAudio(const std::string& path, std::span<const double> mono, double sampleRate,
                SampleFormat format) {
  const int container = containerFor(path);
  if (container == SF_FORMAT_FLAC && format == SampleFormat::Float32)
    fail(Kind::Unsupported, path,
         "FLAC stores integer samples only; write 16 or 24-bit FLAC, or a .wav for 32-bit float");
  if (!isSupportedSampleRate(sampleRate) || sampleRate != std::floor(sampleRate)) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.10g", sampleRate);
    fail(Kind::Unsupported, path,
         std::string("cannot be written at ") + rate +
             " Hz; files store a whole number of Hz from 1000 to 768000");
  }
  const auto isBad = [](double v) { return !std::isfinite(v); };
  if (const auto first = std::find_if(mono.begin(), mono.end(), isBad); first != mono.end())
    fail(Kind::Malformed, path,
         "not written: " + std::to_string(std::count_if(first, mono.end(), isBad)) +
             " of the samples are not finite numbers (NaN or infinity), the first at sample " +
             std::to_string(first - mono.begin()));

  TempFile temp(path);
  SF_INFO info{};
  info.samplerate = int(sampleRate);
  info.channels = 1;
  info.format = container | encodingFor(format);
  SNDFILE* file = sf_open_fd(temp.fd(), SFM_WRITE, &info, SF_FALSE);
  if (!file)
    fail(Kind::WriteFailed, path, std::string("cannot be written (") + sf_strerror(nullptr) + ")");
  // Out-of-range samples saturate at full scale; without this, PCM conversion wraps around.
  sf_command(file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  const sf_count_t written = sf_write_double(file, mono.data(), sf_count_t(mono.size()));
  const std::string writeError = sf_strerror(file);
  // sf_close finishes the file (WAV sizes, FLAC's last frame): its result counts too.
  const int closeError = sf_close(file);
  if (written != sf_count_t(mono.size()))
    fail(Kind::WriteFailed, path, "could not be written completely (" + writeError + ")");
  if (closeError != 0)
    fail(Kind::WriteFailed, path,
         std::string("could not be finished (") + sf_error_number(closeError) + ")");
  temp.commit();
}

}  // namespace audiosplat::audio
