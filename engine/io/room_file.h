#pragma once
// Rooms from impulse-response audio files (docs/atom-model.md, step 7).
#include <string>

#include "model/atom_set.h"

namespace audiosplat::io {

// Loads an impulse response (any format audio::load reads, mixed to mono, resampled to
// sampleRate) as a Room named after the file, with its hash. Throws audio::AudioError
// for unreadable audio and std::invalid_argument for a silent impulse.
Room loadRoom(const std::string& path, double sampleRate);

}  // namespace audiosplat::io
