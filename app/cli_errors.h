#pragma once
// Maps the engine's error kinds to the command line's exit codes.
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

}  // namespace audiosplat::cli
