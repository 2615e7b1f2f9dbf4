#pragma once
// One fit of atoms to one target segment, an iteration at a time: the backend's loss
// and gradient, the sparsity term, the chain rule to raw coordinates, Adam with the
// learning-rate schedule, and a roll-back when anything turns non-finite. Not
// thread-safe: FitWorker drives it from one thread and applies edits between steps.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fit/adam.h"
#include "fit/fit_settings.h"
#include "fit/gradient_backend.h"

namespace audiosplat::fit {

struct StepReport {
  int iteration = 0;        // iterations done after this step
  double loss = 0.0;        // data loss + sparsity, before the step
  double dataLoss = 0.0;
  double learningRate = 0.0;
  int evaluatedAtoms = 0;   // atoms the backend evaluated: all but the frozen ones
  // Non-finite loss or gradient: the atoms went back to before the previous step; a step
  // that made an atom non-finite or out of range: not taken. Either way the learning rate
  // halves. Without a previous step to return to, atoms with a non-finite gradient sit
  // this step out (their Adam state reset) and the others move on.
  bool rolledBack = false;
  std::string problem;  // what was non-finite, for people ("atom 3: dLoss/d decay is nan")
};

// The fit's state a roll-back can return to.
struct FitState {
  AtomSet atoms;
  std::vector<ParamVector> raw;
  std::vector<AdamState> adam;
};

class Fitter {
 public:
  // atoms: initial atoms and their context (rate, atom length, rooms); target: the
  // segment at absolute samples [start, start + target.size()), power-of-two long.
  Fitter(std::unique_ptr<GradientBackend> backend, const FitSettings& settings, AtomSet atoms,
         std::vector<double> target, int64_t start);

  StepReport step();

  int iteration() const { return iteration_; }
  bool finished() const { return iteration_ >= settings_.iterations; }
  const AtomSet& atoms() const { return atoms_; }
  const FitSettings& settings() const { return settings_; }
  const std::vector<double>& target() const { return target_; }
  int64_t start() const { return start_; }
  const std::vector<double>& lossHistory() const { return lossHistory_; }
  int activeAtoms() const;
  // Whether atom i sat inactive long enough to be left out (FitSettings::freezeInactiveAfter).
  bool frozen(size_t i) const;
  int frozenAtoms() const;
  GradientBackend& backend() { return *backend_; }
  // Multiplies every later learning rate: halved at each roll-back.
  double learningRateScale() const { return learningRateScale_; }

  // Edits between iterations; an edited or added atom starts with fresh Adam state.
  void setSettings(const FitSettings& settings);
  void replaceAtoms(AtomSet atoms);
  void setAtom(size_t index, const Atom& atom);
  void addAtom(const Atom& atom);
  void removeAtom(size_t index);
  void setPinned(size_t index, bool pinned);
  bool pinned(size_t index) const { return pinned_.at(index); }

 private:
  void resetState(size_t index);
  // The atoms the backend evaluates: all but the frozen ones.
  std::vector<size_t> liveAtoms() const;
  // The backend's loss and gradients of the live atoms (the others get zeros).
  double evaluateLive(const std::vector<size_t>& live, std::vector<ParamVector>& gradients);
  // The same by a step on the backend's device, which also leaves each live atom's stepped
  // state in `stepped` (loading the device first when its state is not the Fitter's).
  double stepLiveOnDevice(const std::vector<size_t>& live, double learningRate,
                          std::vector<ParamVector>& gradients, std::vector<DeviceStepResult>& stepped);
  // Back to the state before the last step, when there is one; halves the learning rate.
  void rollBack(StepReport& report);
  // After an edit the state before the last step no longer matches the atoms.
  void forgetPrevious() { previous_.reset(); }
  // After anything but a step taken on the device, the device's state is not the Fitter's.
  void deviceOutOfDate() { deviceAtoms_.reset(); }

  std::unique_ptr<GradientBackend> backend_;
  FitSettings settings_;
  AtomSet atoms_;
  std::vector<double> target_;
  int64_t start_;
  std::vector<ParamVector> raw_;
  std::vector<AdamState> adam_;
  std::vector<bool> pinned_;
  std::vector<int> quietFor_;  // iterations in a row below activeGain
  std::optional<FitState> previous_;  // before the last step, while no edit came since
  // The live atoms whose state the backend's device holds, when it is the Fitter's.
  std::optional<std::vector<size_t>> deviceAtoms_;
  std::vector<double> lossHistory_;
  int iteration_ = 0;
  double learningRateScale_ = 1.0;
};

}  // namespace audiosplat::fit
