#pragma once
// Where a fit's heavy work runs: rendering the atoms over the target segment, the
// loss, and its gradient with respect to every atom's parameters. The CPU reference
// backend is the oracle; the Vulkan backend is the fast one.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "fit/adam.h"
#include "fit/fit_settings.h"
#include "model/atom_set.h"

namespace audiosplat::fit {

// The GPU time of one kernel dispatch of an evaluate(), for profiles.
struct DispatchTime {
  std::string kernel;
  double ms = 0.0;
};

// What one step on the device takes besides the atoms' state: this iteration's learning rate
// and Adam's betas, and the sparsity weight added to dLoss/dgain.
struct DeviceStep {
  double learningRate = 0.0;
  double beta1 = 0.0;
  double beta2 = 0.0;
  double sparsity = 0.0;
};

// One atom after a step on the device.
struct DeviceStepResult {
  ParamVector gradient{};  // dLoss/d physical parameter at the atom before the step (no sparsity)
  ParamVector raw{};       // after the step: raw coordinates, Adam state and the atom
  AdamState adam;
  Atom atom;
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
  // Milliseconds the last evaluate() or stepOnDevice() waited for its device's work (0 for a
  // backend that computes on the calling thread): the rest of a step is host work.
  virtual double deviceWaitMs() const { return 0.0; }

  // Whether the backend can keep the atoms' optimizer state on its device and take Adam's
  // step there (stepOnDevice), so that an iteration is one submit and a small read-back.
  virtual bool stepsOnDevice() const { return false; }
  // The state the next stepOnDevice() starts from: set's atoms, their raw coordinates and
  // Adam state; held atoms (pinned) take no step.
  virtual void loadOptimizer(const AtomSet&, std::span<const ParamVector>, std::span<const AdamState>,
                             const std::vector<bool>&) {
    throw std::logic_error("this backend does not step on a device");
  }
  // One iteration on the device: the loss (without sparsity) of the loaded atoms, their
  // gradients, and Adam's step with its clamps (fit/raw_params.h), as Fitter takes it on the
  // CPU. An atom with a non-finite gradient sits the step out, its Adam state reset. The
  // device keeps the stepped state for the next call.
  virtual double stepOnDevice(const DeviceStep&, std::vector<DeviceStepResult>&) {
    throw std::logic_error("this backend does not step on a device");
  }
};

}  // namespace audiosplat::fit
