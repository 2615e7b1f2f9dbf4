#pragma once
// What a person can set about a fit. Defaults are the original experiment's
// (docs/atom-model.md, "The fit"), with the informed initialiser and the mrstft loss: a loss
// of the mixture needs ~10x fewer FFT points per iteration than multiband's per-atom
// features (docs/performance.md), and it is the distance `eval` reports.
#include <cstdint>
#include <optional>
#include <string_view>

namespace audiosplat::fit {

enum class LossKind { Multiband, Mrstft };
enum class Initialiser { Random, SpectralPeaks };

std::string_view name(LossKind);
std::string_view name(Initialiser);
std::optional<LossKind> lossKindFromName(std::string_view);
std::optional<Initialiser> initialiserFromName(std::string_view);

struct FitSettings {
  int atoms = 64;
  int iterations = 3000;
  LossKind loss = LossKind::Mrstft;
  Initialiser initialiser = Initialiser::SpectralPeaks;
  double sparsity = 0.1;            // lambda of lambda * sum of gains (peak-normalised target)
  double learningRateStart = 1e-2;  // falls linearly to learningRateEnd over `iterations`
  double learningRateEnd = 1e-4;
  double beta1 = 0.0;               // Adam's betas, the original experiment's
  double beta2 = 0.9;
  uint32_t seed = 0;                // initialiser and noise seeds
  double activeGain = 1e-3;         // atoms below this gain count as inactive
  // An atom inactive for this many iterations in a row is left out of the fit from then
  // on (0: never): it sounds 60 dB down, inactive atoms almost never come back, and each
  // one costs an iteration as much as a loud one. Edits bring it back.
  int freezeInactiveAfter = 100;

  // The scheduled learning rate at iteration i (0-based).
  double learningRate(int iteration) const;
};

}  // namespace audiosplat::fit
