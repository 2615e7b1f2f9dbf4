#pragma once
// Writing mono audio as WAV or FLAC, atomically: the target is replaced only by a
// complete file, and a failed write leaves an existing target untouched.
#include <span>
#include <string>

namespace audiosplat::audio {

enum class SampleFormat { Pcm16, Pcm24, Float32 };

// The container follows the extension (.wav or .flac; FLAC has no Float32). PCM samples
// outside [-1, 1] are clipped, never wrapped; whether to warn about clipping is the
// caller's business. Non-finite samples are refused. Throws AudioError.
void writeAudio(const std::string& path, std::span<const double> mono, double sampleRate,
                SampleFormat format = SampleFormat::Pcm16);

}  // namespace audiosplat::audio
