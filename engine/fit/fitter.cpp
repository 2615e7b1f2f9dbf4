#include "fit/fitter.h"

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
  clampToRange(atoms_.atoms[i], atoms_.sampleRate);
  raw_[i] = toRaw(atoms_.atoms[i], atoms_.sampleRate);
  adam_[i] = AdamState{};
}

void Fitter::replaceAtoms(AtomSet atoms) {
  atoms_ = std::move(atoms);
  const size_t count = atoms_.atoms.size();
  raw_.assign(count, {});
  adam_.assign(count, {});
  pinned_.assign(count, false);
  for (size_t i = 0; i < count; ++i) resetState(i);
}

void Fitter::setSettings(const FitSettings& settings) {
  if (settings.loss != settings_.loss) backend_->setTarget(target_, start_, settings.loss);
  settings_ = settings;
}

void Fitter::setAtom(size_t i, const Atom& atom) {
  atoms_.atoms.at(i) = atom;
  resetState(i);
}

void Fitter::addAtom(const Atom& atom) {
  atoms_.atoms.push_back(atom);
  raw_.emplace_back();
  adam_.emplace_back();
  pinned_.push_back(false);
  resetState(atoms_.atoms.size() - 1);
}

void Fitter::removeAtom(size_t i) {
  if (i >= atoms_.atoms.size()) throw std::out_of_range("no such atom");
  atoms_.atoms.erase(atoms_.atoms.begin() + long(i));
  raw_.erase(raw_.begin() + long(i));
  adam_.erase(adam_.begin() + long(i));
  pinned_.erase(pinned_.begin() + long(i));
}

void Fitter::setPinned(size_t i, bool pinned) { pinned_.at(i) = pinned; }

int Fitter::activeAtoms() const {
  int active = 0;
  for (const Atom& a : atoms_.atoms) active += a.gain >= settings_.activeGain;
  return active;
}

StepReport Fitter::step() {
  StepReport report;
  report.learningRate = settings_.learningRate(iteration_) * learningRateScale_;
  std::vector<ParamVector> gradients;
  report.dataLoss = backend_->evaluate(atoms_, &gradients);
  double gainSum = 0.0;
  for (const Atom& a : atoms_.atoms) gainSum += a.gain;
  report.loss = report.dataLoss + settings_.sparsity * gainSum;

  bool healthy = std::isfinite(report.loss);
  for (const auto& g : gradients) healthy = healthy && finite(g);

  std::vector<ParamVector> newRaw = raw_;
  std::vector<AdamState> newAdam = adam_;
  AtomSet updated = atoms_;
  const double fs = atoms_.sampleRate;
  for (size_t i = 0; healthy && i < atoms_.atoms.size(); ++i) {
    if (pinned_[i]) continue;
    ParamVector g = gradients[i];
    g[int(Param::Gain)] += settings_.sparsity;
    const ParamVector scale = physicalPerRaw(newRaw[i], fs);
    for (int k = 0; k < kParamCount; ++k) g[k] *= scale[k];
    adamStep(newRaw[i], g, newAdam[i], report.learningRate, settings_.beta1, settings_.beta2);
    clampRaw(newRaw[i], fs);
    updated.atoms[i] = fromRaw(newRaw[i], atoms_.atoms[i], fs);
    healthy = finite(newRaw[i]) && isValid(updated.atoms[i], fs);
  }

  if (!healthy) {
    // Keep the last good atoms; a smaller step usually gets past what blew up.
    report.rolledBack = true;
    learningRateScale_ *= 0.5;
  } else {
    raw_ = std::move(newRaw);
    adam_ = std::move(newAdam);
    atoms_ = std::move(updated);
  }
  ++iteration_;
  report.iteration = iteration_;
  if (std::isfinite(report.loss)) lossHistory_.push_back(report.loss);
  return report;
}

}  // namespace audiosplat::fit
