#include "fit/cpu_backend.h"

#include "fit/parallel.h"
#include "model/loss_mrstft.h"
#include "model/loss_multiband.h"
#include "model/reference_renderer.h"

namespace audiosplat::fit {

CpuBackend::CpuBackend(unsigned threads) : threads_(threads) {}

std::string CpuBackend::deviceName() const { return "CPU reference (double precision)"; }

void CpuBackend::setTarget(std::span<const double> target, int64_t start, LossKind loss) {
  target_.assign(target.begin(), target.end());
  start_ = start;
  loss_ = loss;
  targetFeatures_.clear();
  if (loss == LossKind::Multiband) targetFeatures_ = loss::multibandFeatures(target_);
}

std::vector<double> CpuBackend::render(const AtomSet& set) {
  return reference::renderSegment(set, start_, target_.size());
}

double CpuBackend::evaluate(const AtomSet& set, std::vector<ParamVector>* gradients) {
  const size_t count = set.atoms.size();
  const size_t N = target_.size();
  std::vector<std::vector<double>> signals(count, std::vector<double>(N, 0.0));
  parallelFor(count, threads_, [&](size_t i) { reference::addAtom(set.atoms[i], set, start_, signals[i]); });

  // dLoss/dx_i: one per atom for multiband (features are summed per atom), one shared
  // by all atoms for mrstft (a loss of the mixture).
  std::vector<std::vector<double>> gradSignals;
  double value = 0.0;
  if (loss_ == LossKind::Multiband) {
    const loss::FeatureLayout layout = loss::multibandLayout(N);
    std::vector<std::vector<double>> features(count);
    parallelFor(count, threads_, [&](size_t i) { features[i] = loss::multibandFeatures(signals[i]); });
    std::vector<double> summed(layout.total, 0.0);
    for (const auto& f : features)
      for (size_t k = 0; k < f.size(); ++k) summed[k] += f[k];
    std::vector<double> gradFeatures;
    value = loss::multibandLoss(targetFeatures_, summed, layout, gradients ? &gradFeatures : nullptr);
    if (gradients) {
      gradSignals.resize(count);
      parallelFor(count, threads_, [&](size_t i) {
        gradSignals[i] = loss::multibandFeaturesBackward(signals[i], gradFeatures);
      });
    }
  } else {
    std::vector<double> mixture(N, 0.0);
    for (const auto& s : signals)
      for (size_t n = 0; n < N; ++n) mixture[n] += s[n];
    gradSignals.resize(1);
    value = loss::mrstftLoss(target_, mixture, gradients ? &gradSignals[0] : nullptr);
  }
  if (gradients) {
    gradients->assign(count, ParamVector{});
    parallelFor(count, threads_, [&](size_t i) {
      const auto& g = gradSignals.size() == count ? gradSignals[i] : gradSignals[0];
      (*gradients)[i] = reference::atomGradient(set.atoms[i], set, start_, g);
    });
  }
  return value;
}

}  // namespace audiosplat::fit
