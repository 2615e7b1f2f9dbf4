#pragma once
// Maps the engine's error kinds to the command line's exit codes.
#include <cstdio>
#include <string>

#include "audio/audio_error.h"
#include "exit_codes.h"

namespace audiosplat::cli {

inline int exitCodeFor(audio::AudioError::Kind kind) {
  using Kind = audio::AudioError::Kind;
  switch (kind) {
    case Kind::NotFound:
    case Kind::Unreadable: return kExitNoInput;
    case Kind::Malformed:
    case Kind::Unsupported:
    case Kind::TooLarge: return kExitDataError;
    case Kind::WriteFailed: return kExitCantCreate;
  }
  return kExitSoftware;
}

// Prints "audiosplat COMMAND: message" on stderr and returns code, for `return fail(...)`.
inline int failWith(const char* command, int code, const std::string& message) {
  std::fprintf(stderr, "audiosplat %s: %s\n", command, message.c_str());
  return code;
}

}  // namespace audiosplat::cli
