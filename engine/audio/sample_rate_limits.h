#pragma once
// The sample rates AudioSplat reads and writes. Anything outside is a damaged header or
// a file no audio tool would produce; refusing it keeps buffer sizes sane.
namespace audiosplat::audio {

constexpr double kMinSampleRate = 1000.0;
constexpr double kMaxSampleRate = 768000.0;

constexpr bool isSupportedSampleRate(double rate) {
  return rate >= kMinSampleRate && rate <= kMaxSampleRate;
}

}  // namespace audiosplat::audio
