#include "model/loss_mrstft.h"

#include <cmath>
#include <stdexcept>

#include "model/stft.h"

namespace audiosplat::loss {

double mrstftLoss(std::span<const double> target, std::span<const double> estimate,
                  std::vector<double>* gradEstimate) {
  if (target.empty() || target.size() != estimate.size())
    throw std::invalid_argument("mrstftLoss: target and estimate need the same, nonzero length");
  const size_t n = target.size();
  const double perSize = 1.0 / double(kMrstftWindows.size());
  if (gradEstimate) gradEstimate->assign(n, 0.0);
  std::vector<double> y, x, gradX;
  double loss = 0.0;
  for (const int window : kMrstftWindows) {
    const Stft stft(n, window, window / 4, window / 2);
    const size_t count = stft.size();
    y.resize(count);
    x.resize(count);
    stft.magnitudes(target, y);
    stft.magnitudes(estimate, x);
    // One pass for the sums; it leaves the log term's gradient in gradX (one log per bin:
    // ln(Y') - ln(X') = ln(Y' / X')), the second pass adds the SC term once |Y - X| is known.
    // d SC / dX = (X - Y) / (|Y - X| |Y|), taken as 0 where X = Y (the norm's kink);
    // d LM / dX = sign(ln X' - ln Y') / (count (X + floor)), with sign(0) = 0.
    if (gradEstimate) gradX.resize(count);
    double diff2 = 0.0, target2 = 0.0, logL1 = 0.0;
    for (size_t i = 0; i < count; ++i) {
      diff2 += (y[i] - x[i]) * (y[i] - x[i]);
      target2 += y[i] * y[i];
      const double logResidual = std::log((y[i] + kMrstftLogFloor) / (x[i] + kMrstftLogFloor));
      logL1 += std::abs(logResidual);
      if (gradEstimate)
        gradX[i] = (double(logResidual < 0.0) - double(logResidual > 0.0)) / (x[i] + kMrstftLogFloor);
    }
    // Magnitudes are >= sqrt(kMagnitudeEpsilon) > 0, so |Y|_F never vanishes.
    const double diffNorm = std::sqrt(diff2), targetNorm = std::sqrt(target2);
    loss += perSize * (diffNorm / targetNorm + logL1 / double(count));
    if (!gradEstimate) continue;
    const double scGain = diffNorm > 0.0 ? perSize / (diffNorm * targetNorm) : 0.0;
    const double lmGain = perSize / double(count);
    for (size_t i = 0; i < count; ++i) gradX[i] = scGain * (x[i] - y[i]) + lmGain * gradX[i];
    stft.addMagnitudesBackward(estimate, gradX, *gradEstimate);
  }
  return loss;
}

}  // namespace audiosplat::loss
