#pragma once
// The one exception type of the audio layer. Its kind tells the command line which exit
// code to use; its message is for a person: which file, what is wrong, what to do.
#include <stdexcept>
#include <string>

namespace audiosplat::audio {

class AudioError : public std::runtime_error {
 public:
  enum class Kind {
    NotFound,     // no such file
    Unreadable,   // exists but cannot be read (permissions, a directory, a device)
    Malformed,    // damaged, truncated, empty or holding invalid samples
    Unsupported,  // a format, encoding or sample rate AudioSplat does not handle
    TooLarge,     // longer than the caller's limit
    WriteFailed,  // an output file could not be written
  };

  AudioError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

}  // namespace audiosplat::audio
