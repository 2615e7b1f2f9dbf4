#pragma once
// The mrstft loss (docs/atom-model.md, "Losses"): multi-resolution STFT of the rendered
// mixture, spectral convergence plus L1 of log magnitudes. Exact double-precision
// reference with a hand-written gradient; thread-safe (no shared mutable state).
#include <array>
#include <span>
#include <vector>

namespace audiosplat::loss {

// FFT sizes W; hop W/4, frames centred by W/2 zeros at the start (frame t is centred on
// sample t W/4, t = 0 .. N / (W/4)).
inline constexpr std::array<int, 5> kMrstftWindows{2048, 1024, 512, 256, 128};
// Floor inside the logarithms: ln(|Z| + kMrstftLogFloor).
inline constexpr double kMrstftLogFloor = 1e-7;

// mean over sizes of |Y - X|_F / |Y|_F + mean |ln(Y + 1e-7) - ln(X + 1e-7)|, with Y the
// target's and X the estimate's magnitudes; with gradEstimate, also dLoss/destimate.
// target and estimate have the same length N >= 1 (in the fit a power of two). Since the
// loss sees only the mixture, every atom's dLoss/dx_i is this same gradient.
double mrstftLoss(std::span<const double> target, std::span<const double> estimate,
                  std::vector<double>* gradEstimate);

}  // namespace audiosplat::loss
