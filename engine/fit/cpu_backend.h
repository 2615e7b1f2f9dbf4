#pragma once
// The fit's gradient on the CPU, straight from the double-precision reference
// (engine/model): slow but exact; the oracle the Vulkan backend is tested against.
#include "fit/gradient_backend.h"

namespace audiosplat::fit {

class CpuBackend final : public GradientBackend {
 public:
  // threads = 0: one per hardware thread.
  explicit CpuBackend(unsigned threads = 0);
  std::string deviceName() const override;
  void setTarget(std::span<const double> target, int64_t start, LossKind loss) override;
  double evaluate(const AtomSet& set, std::vector<ParamVector>* gradients) override;
  std::vector<double> render(const AtomSet& set) override;

 private:
  unsigned threads_;
  std::vector<double> target_;
  std::vector<double> targetFeatures_;  // multiband features of the target
  int64_t start_ = 0;
  LossKind loss_ = LossKind::Multiband;
};

}  // namespace audiosplat::fit
