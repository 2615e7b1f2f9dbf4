#pragma once
// Sample-rate conversion with libsamplerate's best sinc converter.
#include <span>
#include <vector>

namespace audiosplat::audio {

// x resampled from fromRate to toRate, round(x.size() * toRate / fromRate) samples long
// and time-aligned with x (the filter delay is compensated). An exact copy when the rates
// are equal. libsamplerate computes in single precision (~1e-7 relative error).
// Throws std::invalid_argument for rates that are not positive and finite or whose ratio
// is outside libsamplerate's 1/256 .. 256.
std::vector<double> resample(std::span<const double> x, double fromRate, double toRate);

}  // namespace audiosplat::audio
