#include "fit/fitter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "fit/raw_params.h"

namespace audiosplat::fit {
namespace {
bool finite(const ParamVector& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

// "" when every entry is finite, else which one is not and its value.
std::string nonFinite(const ParamVector& v, const char* what) {
  for (int k = 0; k < kParamCount; ++k)
    if (!std::isfinite(v[k]))
      return std::string(what) + " " + std::string(paramInfo(Param(k)).key) + " is " +
             std::to_string(v[k]);
  return {};
}
}  // namespace

Fitter::Fitter(std::unique_ptr<GradientBackend> backend, const FitSettings& settings, AtomSet atoms,
               std::vector<double> target, int64_t start)
    : backend_(std::move(backend)), settings_(settings), target_(std::move(target)), start_(start) {
  const size_t n = target_.size();
  if (n < 2048 || (n & (n - 1)) != 0)
    throw std::invalid_argument("the target segment must be a power of two of at least 2048 samples");
  backend_->setTarget(target_, start_, settings_.loss);
  replaceAtoms(std::move(atoms));
}

void Fitter::resetState(size_t i) {
  deviceOutOfDate();
  clampToRange(atoms_.atoms[i], atoms_.sampleRate);
  raw_[i] = toRaw(atoms_.atoms[i], atoms_.sampleRate);
  adam_[i] = AdamState{};
  quietFor_[i] = 0;
}

void Fitter::replaceAtoms(AtomSet atoms) {
  forgetPrevious();
  atoms_ = std::move(atoms);
  const size_t count = atoms_.atoms.size();
  raw_.assign(count, {});
  adam_.assign(count, {});
  pinned_.assign(count, false);
  quietFor_.assign(count, 0);
  for (size_t i = 0; i < count; ++i) resetState(i);
}

void Fitter::setSettings(const FitSettings& settings) {
  if (settings.loss != settings_.loss) {
    backend_->setTarget(target_, start_, settings.loss);
    deviceOutOfDate();
  }
  settings_ = settings;
}

void Fitter::setAtom(size_t i, const Atom& atom) {
  forgetPrevious();
  atoms_.atoms.at(i) = atom;
  resetState(i);
}

void Fitter::addAtom(const Atom& atom) {
  forgetPrevious();
  atoms_.atoms.push_back(atom);
  raw_.emplace_back();
  adam_.emplace_back();
  pinned_.push_back(false);
  quietFor_.push_back(0);
  resetState(atoms_.atoms.size() - 1);
}

void Fitter::removeAtom(size_t i) {
  if (i >= atoms_.atoms.size()) throw std::out_of_range("no such atom");
  forgetPrevious();
  deviceOutOfDate();
  atoms_.atoms.erase(atoms_.atoms.begin() + long(i));
  raw_.erase(raw_.begin() + long(i));
  adam_.erase(adam_.begin() + long(i));
  pinned_.erase(pinned_.begin() + long(i));
  quietFor_.erase(quietFor_.begin() + long(i));
}

void Fitter::setPinned(size_t i, bool pinned) {
  if (pinned_.at(i) != pinned) deviceOutOfDate();
  pinned_[i] = pinned;
}

bool Fitter::frozen(size_t i) const {
  return settings_.freezeInactiveAfter > 0 && quietFor_.at(i) >= settings_.freezeInactiveAfter;
}

int Fitter::frozenAtoms() const {
  int count = 0;
  for (size_t i = 0; i < quietFor_.size(); ++i) count += frozen(i);
  return count;
}

int Fitter::activeAtoms() const {
  int active = 0;
  for (const Atom& a : atoms_.atoms) active += a.gain >= settings_.activeGain;
  return active;
}

std::vector<size_t> Fitter::liveAtoms() const {
  std::vector<size_t> live;
  for (size_t i = 0; i < atoms_.atoms.size(); ++i)
    if (!frozen(i)) live.push_back(i);
  return live;
}

double Fitter::evaluateLive(const std::vector<size_t>& live, std::vector<ParamVector>& gradients) {
  const size_t count = atoms_.atoms.size();
  gradients.assign(count, ParamVector{});
  if (live.size() == count) return backend_->evaluate(atoms_, &gradients);
  AtomSet subset = atoms_;
  subset.atoms.clear();
  for (size_t i : live) subset.atoms.push_back(atoms_.atoms[i]);
  std::vector<ParamVector> liveGradients;
  const double loss = backend_->evaluate(subset, &liveGradients);
  for (size_t k = 0; k < live.size(); ++k) gradients[live[k]] = liveGradients[k];
  return loss;
}

double Fitter::stepLiveOnDevice(const std::vector<size_t>& live, double learningRate,
                                std::vector<ParamVector>& gradients,
                                std::vector<DeviceStepResult>& stepped) {
  if (deviceAtoms_ != live) {
    AtomSet subset = atoms_;
    subset.atoms.clear();
    std::vector<ParamVector> raw;
    std::vector<AdamState> adam;
    std::vector<bool> held;
    for (size_t i : live) {
      subset.atoms.push_back(atoms_.atoms[i]);
      raw.push_back(raw_[i]);
      adam.push_back(adam_[i]);
      held.push_back(pinned_[i]);
    }
    backend_->loadOptimizer(subset, raw, adam, held);
    deviceAtoms_ = live;
  }
  const double loss = backend_->stepOnDevice(
      {learningRate, settings_.beta1, settings_.beta2, settings_.sparsity}, stepped);
  gradients.assign(atoms_.atoms.size(), ParamVector{});
  for (size_t k = 0; k < live.size(); ++k) gradients[live[k]] = stepped[k].gradient;
  return loss;
}

void Fitter::rollBack(StepReport& report) {
  deviceOutOfDate();
  if (previous_) {
    atoms_ = std::move(previous_->atoms);
    raw_ = std::move(previous_->raw);
    adam_ = std::move(previous_->adam);
    previous_.reset();
  }
  report.rolledBack = true;
  learningRateScale_ *= 0.5;
}

StepReport Fitter::step() {
  StepReport report;
  report.learningRate = settings_.learningRate(iteration_) * learningRateScale_;
  const size_t count = atoms_.atoms.size();
  std::vector<ParamVector> gradients;
  const std::vector<size_t> live = liveAtoms();
  report.evaluatedAtoms = int(live.size());
  // On the device, the step is taken with the gradient; below, the Fitter keeps it or not.
  const bool onDevice = backend_->stepsOnDevice() && !live.empty();
  std::vector<DeviceStepResult> stepped;
  std::vector<size_t> liveIndex(count, 0);  // atom -> its entry of stepped
  for (size_t k = 0; k < live.size(); ++k) liveIndex[live[k]] = k;
  if (!onDevice) deviceOutOfDate();  // the CPU takes this step
  report.dataLoss = onDevice ? stepLiveOnDevice(live, report.learningRate, gradients, stepped)
                             : evaluateLive(live, gradients);
  double gainSum = 0.0;
  for (const Atom& a : atoms_.atoms) gainSum += a.gain;
  report.loss = report.dataLoss + settings_.sparsity * gainSum;
  ++iteration_;
  report.iteration = iteration_;
  if (std::isfinite(report.loss)) lossHistory_.push_back(report.loss);

  // Where the loss or a gradient is not finite, the last step led somewhere bad: go back.
  // An atom that did not move in the last step gains nothing from going back: it sits out.
  std::vector<bool> sitOut(count, false);
  bool goBack = !std::isfinite(report.loss);
  if (goBack) report.problem = "the loss is " + std::to_string(report.loss);
  for (size_t i = 0; i < gradients.size(); ++i)
    if (!finite(gradients[i])) {
      sitOut[i] = true;
      goBack = goBack || (previous_ && previous_->atoms.atoms[i] != atoms_.atoms[i]);
      if (report.problem.empty())
        report.problem = "atom " + std::to_string(i) + ": " + nonFinite(gradients[i], "dLoss/d");
    }
  if (goBack) {
    rollBack(report);
    return report;
  }

  FitState next{atoms_, raw_, adam_};
  const double fs = atoms_.sampleRate;
  for (size_t i = 0; i < count; ++i) {
    if (sitOut[i]) next.adam[i] = AdamState{};  // nothing to go back to: this atom waits
    if (pinned_[i] || sitOut[i] || frozen(i)) continue;
    if (onDevice) {
      const DeviceStepResult& r = stepped[liveIndex[i]];
      next.raw[i] = r.raw;
      next.adam[i] = r.adam;
      next.atoms.atoms[i] = r.atom;
    } else {
      ParamVector g = gradients[i];
      g[int(Param::Gain)] += settings_.sparsity;
      const ParamVector scale = physicalPerRaw(next.raw[i], fs);
      for (int k = 0; k < kParamCount; ++k) g[k] *= scale[k];
      adamStep(next.raw[i], g, next.adam[i], report.learningRate, settings_.beta1, settings_.beta2);
      clampRaw(next.raw[i], fs);
      next.atoms.atoms[i] = fromRaw(next.raw[i], atoms_.atoms[i], fs);
    }
    if (!finite(next.raw[i]) || !isValid(next.atoms.atoms[i], fs)) {
      // Keep the last good atoms; a smaller step usually gets past what blew up.
      report.problem = "atom " + std::to_string(i) + ": " +
                       (finite(next.raw[i]) ? "outside its ranges after the step"
                                            : nonFinite(next.raw[i], "the step made"));
      report.rolledBack = true;  // the step is not taken; the atoms stay where they are
      learningRateScale_ *= 0.5;
      deviceOutOfDate();
      return report;
    }
  }
  // The device's own check sat the same atoms out; where the two could ever differ, its
  // state is made again from the Fitter's rather than trusted.
  if (onDevice && std::find(sitOut.begin(), sitOut.end(), true) != sitOut.end()) deviceOutOfDate();
  for (size_t i = 0; i < count; ++i)
    if (!frozen(i)) quietFor_[i] = next.atoms.atoms[i].gain < settings_.activeGain ? quietFor_[i] + 1 : 0;
  previous_ = FitState{std::move(atoms_), std::move(raw_), std::move(adam_)};
  atoms_ = std::move(next.atoms);
  raw_ = std::move(next.raw);
  adam_ = std::move(next.adam);
  return report;
}

}  // namespace audiosplat::fit
