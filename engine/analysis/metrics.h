#pragma once
// The quality metrics of shared/design/measuring.md, exactly as defined there, so that
// figures from different runs and machines compare.
#include <cstddef>
#include <span>

namespace audiosplat::analysis {

struct Metrics {
  double mrstft;   // multi-resolution STFT distance (lower is better)
  double lsdDb;    // log-spectral distance in dB (lower is better)
  double snrDb;    // waveform SNR (higher is better)
  double siSdrDb;  // scale-invariant SDR without mean removal (higher is better)
};

// Centred STFT frames reflect-pad by n_fft/2, which needs n_fft/2 + 1 samples for the
// largest FFT (2048).
constexpr size_t kMinEvaluateLength = 2048 / 2 + 1;

// Both signals at the same rate; the longer is truncated to the shorter. Throws
// std::invalid_argument when that is shorter than kMinEvaluateLength. Values follow IEEE
// arithmetic where the definitions divide by zero: an estimate equal to the reference has
// snrDb = +inf, a silent reference makes mrstft, snrDb and siSdrDb infinite or NaN.
Metrics evaluate(std::span<const double> reference, std::span<const double> estimate);

}  // namespace audiosplat::analysis
