#pragma once
// The fixed names and limits of the atom file, version 1 (docs/atom-file-format.md).
// Reader and writer share them so that every file written can be read back.
#include <cstdint>
#include <string_view>

#include "audio/sample_rate_limits.h"

namespace audiosplat::io::format {

constexpr std::string_view kTag = "audiosplat-atoms";
constexpr int kVersion = 1;

// Top-level fields.
constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kVersionKey = "version";
constexpr std::string_view kSampleRateKey = "sample_rate_hz";
constexpr std::string_view kAtomLengthKey = "atom_length";
constexpr std::string_view kLengthKey = "length_samples";
constexpr std::string_view kRoomsKey = "rooms";
constexpr std::string_view kAtomsKey = "atoms";

// Fields of a room.
constexpr std::string_view kRoomNameKey = "name";
constexpr std::string_view kRoomSamplesKey = "samples";
constexpr std::string_view kRoomHashKey = "sha256";
constexpr std::string_view kRoomImpulseKey = "impulse_f64le_base64";

// Discrete fields of an atom; the continuous ones are paramInfo(p).key.
constexpr std::string_view kEnvelopeKey = "envelope";
constexpr std::string_view kPartialsKey = "partials";
constexpr std::string_view kSeedKey = "seed";
constexpr std::string_view kRoomKey = "room";
constexpr std::string_view kGammaName = "gamma";
constexpr std::string_view kGaussianName = "gaussian";

// Limits. Every one is checked before anything of that size is allocated.
constexpr double kMinSampleRate = 1000.0;
constexpr double kMaxSampleRate = 768000.0;
// Fixed here because it is part of the format; every rate it admits must render to audio.
static_assert(audio::isSupportedSampleRate(kMinSampleRate) &&
              audio::isSupportedSampleRate(kMaxSampleRate));
constexpr int kMinAtomLength = 512;  // the renderer fades the last 256 samples
constexpr int kMaxAtomLength = 1 << 20;
// Sample counts stay within a signed 32-bit int, as every audio tool accepts
// (27 hours at 22050 Hz); rendering holds the whole document in memory.
constexpr int64_t kMaxLength = 2147483647;
constexpr int64_t kMaxAtoms = 1000000;
constexpr int64_t kMaxRooms = 1024;
constexpr int64_t kMaxImpulseSamples = 1 << 24;
// A million atoms at full precision take 450 to 570 MB of text, so the cap sits above.
constexpr int64_t kMaxFileBytes = int64_t(1) << 30;

}  // namespace audiosplat::io::format
