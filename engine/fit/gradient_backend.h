#pragma once
// Where a fit's heavy work runs: rendering the atoms over the target segment, the
// loss, and its gradient with respect to every atom's parameters. The CPU reference
// backend is the oracle; the Vulkan backend is the fast one.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fit/fit_settings.h"
#include "model/atom_set.h"

namespace audiosplat::fit {

// The GPU time of one kernel dispatch of an evaluate(), for profiles.
struct DispatchTime {
  std::string kernel;
  double ms = 0.0;
};

class GradientBackend {
 public:
  virtual ~GradientBackend() = default;
  // The device the work runs on, for reports ("CPU reference", a Vulkan device's name).
  virtual std::string deviceName() const = 0;
  // The segment to fit: absolute samples [start, start + target.size()), a power of two.
  virtual void setTarget(std::span<const double> target, int64_t start, LossKind loss) = 0;
  // The loss (without sparsity) of set.atoms against the target; with gradients, also
  // dLoss/dparameter (physical units, Param order) of every atom.
  virtual double evaluate(const AtomSet& set, std::vector<ParamVector>* gradients) = 0;
  // The sum of the atoms over the target segment.
  virtual std::vector<double> render(const AtomSet& set) = 0;
  // Whether evaluate() times each GPU dispatch (slower; for `audiosplat bench --profile`),
  // and those times for the last evaluate(). Backends without a GPU have none.
  virtual void setProfiling(bool) {}
  virtual std::vector<DispatchTime> dispatchTimes() const { return {}; }
};

}  // namespace audiosplat::fit
