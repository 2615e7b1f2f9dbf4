#include "fit/fit_settings.h"

#include <algorithm>

namespace audiosplat::fit {

std::string_view name(LossKind k) { return k == LossKind::Multiband ? "multiband" : "mrstft"; }
std::string_view name(Initialiser i) { return i == Initialiser::Random ? "random" : "peaks"; }

std::optional<LossKind> lossKindFromName(std::string_view s) {
  if (s == "multiband") return LossKind::Multiband;
  if (s == "mrstft") return LossKind::Mrstft;
  return std::nullopt;
}

std::optional<Initialiser> initialiserFromName(std::string_view s) {
  if (s == "random") return Initialiser::Random;
  if (s == "peaks") return Initialiser::SpectralPeaks;
  return std::nullopt;
}

double FitSettings::learningRate(int iteration) const {
  if (iterations <= 1) return learningRateStart;
  const double t = std::clamp(double(iteration) / double(iterations - 1), 0.0, 1.0);
  return learningRateStart + t * (learningRateEnd - learningRateStart);
}

}  // namespace audiosplat::fit
