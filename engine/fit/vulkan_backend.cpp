#include "fit/vulkan_backend.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <stdexcept>

#include "gpu/atom_backward.h"
#include "gpu/atom_gradient_chain.h"
#include "gpu/atom_pack.h"
#include "gpu/atom_renderer.h"
#include "gpu/atom_state.h"
#include "gpu/atom_step.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/mrstft_loss.h"
#include "gpu/multiband_loss.h"
#include "gpu/sequence.h"
#include "model/loss_mrstft.h"
#include "model/loss_multiband.h"
#include "fit/raw_params.h"

namespace audiosplat::fit {
namespace {

// Capacity grows in steps, so that an editor adding atoms one by one rarely rebuilds.
constexpr uint32_t kCapacityStep = 16;

bool sameDocument(const AtomSet& a, const AtomSet& b) {
  return a.sampleRate == b.sampleRate && a.atomLength == b.atomLength && a.rooms == b.rooms;
}

bool hostStepForced() {
  const char* value = std::getenv("AUDIOSPLAT_GPU_HOST_STEP");
  return value && *value && std::string(value) != "0";
}

gpu::AtomState toDevice(const Atom& atom, const ParamVector& raw, const AdamState& adam, bool held) {
  gpu::AtomState s{};
  for (int k = 0; k < kParamCount; ++k) {
    s.physical[k] = atom.get(Param(k));
    s.raw[k] = raw[k];
    s.firstMoment[k] = adam.firstMoment[k];
    s.secondMoment[k] = adam.secondMoment[k];
  }
  s.adamSteps = adam.steps;
  s.envelope = uint32_t(atom.envelope);
  s.partials = uint32_t(atom.partials);
  s.hold = held ? 1u : 0u;
  return s;
}

gpu::RawCoordinateGpu toGpu(const RawCoordinate& c) {
  static_assert(int(RawMap::Logistic) == int(gpu::CoordinateMap::Logistic));
  return {gpu::CoordinateMap(uint32_t(c.map)), 0, c.lo, c.hi, c.rawMin, c.rawMax, c.physicalMin, c.physicalMax};
}

DeviceStepResult fromDevice(const gpu::AtomState& s, const Atom& loaded) {
  DeviceStepResult r;
  r.atom = loaded;
  for (int k = 0; k < kParamCount; ++k) {
    r.gradient[k] = s.gradient[k];
    r.raw[k] = s.raw[k];
    r.adam.firstMoment[k] = s.firstMoment[k];
    r.adam.secondMoment[k] = s.secondMoment[k];
    r.atom.set(Param(k), s.physical[k]);
  }
  r.adam.steps = s.adamSteps;
  return r;
}

}  // namespace

VulkanBackend::VulkanBackend(std::optional<uint32_t> device)
    : context_(std::make_unique<gpu::Context>(device)), hostStep_(hostStepForced()) {}

VulkanBackend::~VulkanBackend() = default;

std::string VulkanBackend::deviceName() const { return context_->info().name; }

void VulkanBackend::setTarget(std::span<const double> target, int64_t start, LossKind loss) {
  const uint32_t N = uint32_t(target.size());
  if (N < loss::kMultibandMinLength || (N & (N - 1)) != 0)
    throw std::invalid_argument("VulkanBackend: the segment must be a power of two >= 2048 samples");
  target_.assign(target.begin(), target.end());
  start_ = start;
  loss_ = loss;
  mrstft_.reset();
  multiband_.reset();
  targetFeatures_.clear();
  if (loss == LossKind::Mrstft) {
    mrstft_ = std::make_unique<gpu::MrstftLoss>(*context_, N);
    mrstft_->setTarget(target_);
  }
  // The multiband loss's buffers depend on the atom count: made by ensureCapacity.
  if (loss == LossKind::Multiband) targetFeatures_ = loss::multibandFeatures(target_);
  renderer_.reset();
  backward_.reset();
  recorded_ = false;
  optimizerLoaded_ = false;
}

void VulkanBackend::ensureCapacity(const AtomSet& set, uint32_t atoms) {
  if (renderer_ && sameDocument(set, document_) && atoms <= renderer_->maxAtoms()) return;
  const uint32_t capacity =
      std::max({(atoms + kCapacityStep - 1) / kCapacityStep * kCapacityStep, kCapacityStep,
                renderer_ && sameDocument(set, document_) ? renderer_->maxAtoms() : 0u});
  // A render() of more atoms than a fit steps (frozen ones) grows the buffers: the states move.
  std::vector<gpu::AtomState> kept;
  if (optimizerLoaded_ && sameDocument(set, document_)) {
    kept.resize(deviceAtoms_.atoms.size());
    states_->read(0, kept.data(), kept.size() * sizeof(gpu::AtomState));
  }
  document_ = set;
  document_.atoms.clear();
  sequence_.reset();  // its commands refer to the buffers replaced here
  backward_.reset();
  renderer_ = std::make_unique<gpu::AtomRenderer>(*context_, document_, capacity);
  backward_ = std::make_unique<gpu::AtomBackward>(*context_, *renderer_);
  const size_t N = target_.size();
  if (loss_ == LossKind::Multiband) {
    multiband_ = std::make_unique<gpu::MultibandLoss>(*context_, uint32_t(N), capacity);
    multiband_->setTarget(targetFeatures_);
  }
  gradient_ = std::make_unique<gpu::Buffer>(
      *context_, (loss_ == LossKind::Multiband ? capacity : 1u) * N * sizeof(float));
  value_ = std::make_unique<gpu::Buffer>(*context_, 4 * sizeof(float), gpu::Buffer::Memory::Host);
  sequence_ = std::make_unique<gpu::Sequence>(*context_);
  recorded_ = false;
  optimizerLoaded_ = false;
  if (stepsOnDevice()) {
    pack_ = std::make_unique<gpu::AtomPack>(*context_);
    step_ = std::make_unique<gpu::AtomStep>(*context_);
    std::array<gpu::RawCoordinateGpu, kParamCount> table{};
    for (int k = 0; k < kParamCount; ++k) table[k] = toGpu(rawCoordinate(Param(k), set.sampleRate));
    step_->setCoordinates(table, set.sampleRate);
    // Host-visible: its state comes back every iteration, without a staging copy.
    states_ = std::make_unique<gpu::Buffer>(*context_, capacity * sizeof(gpu::AtomState),
                                            gpu::Buffer::Memory::Host);
  }
  if (!kept.empty()) {
    states_->write(0, kept.data(), kept.size() * sizeof(gpu::AtomState));
    optimizerLoaded_ = true;
    paramsStale_ = true;
  }
}

// Without atoms: the mixture is silence, and the sum of no atoms' features is zero.
double VulkanBackend::zeroAtomLoss() const {
  if (loss_ == LossKind::Mrstft)
    return loss::mrstftLoss(target_, std::vector<double>(target_.size(), 0.0), nullptr);
  return loss::multibandLoss(targetFeatures_, std::vector<double>(targetFeatures_.size(), 0.0),
                             loss::multibandLayout(target_.size()), nullptr);
}

double VulkanBackend::evaluate(const AtomSet& set, std::vector<ParamVector>* gradients) {
  if (target_.empty()) throw std::logic_error("VulkanBackend::evaluate before setTarget");
  const uint32_t count = uint32_t(set.atoms.size());
  if (gradients) gradients->assign(count, ParamVector{});
  if (count == 0) return zeroAtomLoss();
  ensureCapacity(set, count);
  const uint32_t N = uint32_t(target_.size());
  renderer_->prepare(set.atoms, start_, N);
  paramsStale_ = true;  // a step on the device must prepare its own atoms again
  recordIteration(Mode::Evaluate, count);
  sequence_->submit();
  float value = 0.0f;
  value_->read(0, &value, sizeof value);
  if (gradients) {
    const std::vector<float> scalars = backward_->readScalars(count);
    const std::vector<float> sums = renderer_->stages().sums.download<float>(0, size_t(count) * 4);
    const std::span<const float> all(scalars);
    constexpr uint32_t kPartialFloats = kMaxPartials * gpu::AtomBackward::kPartialValues;
    for (uint32_t a = 0; a < count; ++a)
      (*gradients)[a] = gpu::chainAtomGradient(
          set.atoms[a], set, all.subspan(size_t(a) * gpu::AtomBackward::kSlots, gpu::AtomBackward::kSlots),
          all.subspan(backward_->partialOffset() + size_t(a) * kPartialFloats, kPartialFloats),
          std::span<const float>(sums).subspan(size_t(a) * 4, 4));
  }
  return value;
}

void VulkanBackend::recordIteration(Mode mode, uint32_t count) {
  const bool rooms = renderer_->shape().rooms;
  if (recorded_ && recordedMode_ == mode && recordedAtoms_ == count && recordedRooms_ == rooms) return;
  const uint32_t N = uint32_t(target_.size());
  sequence_->clear();
  sequence_->setProfiling(profiling_);
  if (mode == Mode::Step)
    pack_->record(*sequence_, *states_, renderer_->params(), count, document_.sampleRate,
                  uint32_t(document_.atomLength), start_, N);
  renderer_->record(*sequence_);
  if (loss_ == LossKind::Mrstft)
    mrstft_->record(*sequence_, renderer_->mixdown(), *gradient_, *value_, 0);
  else
    multiband_->record(*sequence_, renderer_->placed(), count, *gradient_, *value_, 0);
  backward_->record(*sequence_, *gradient_, loss_ == LossKind::Multiband);
  if (mode == Mode::Step)
    step_->record(*sequence_, *states_, renderer_->params(), backward_->scalars(),
                  backward_->partialOffset(), renderer_->stages().sums, count);
  recorded_ = true;
  recordedMode_ = mode;
  recordedAtoms_ = count;
  recordedRooms_ = rooms;
}

double VulkanBackend::deviceWaitMs() const { return sequence_ ? sequence_->lastSubmitMs() : 0.0; }

bool VulkanBackend::stepsOnDevice() const { return context_->limits().float64 && !hostStep_; }

void VulkanBackend::loadOptimizer(const AtomSet& set, std::span<const ParamVector> raw,
                                  std::span<const AdamState> adam, const std::vector<bool>& held) {
  if (target_.empty()) throw std::logic_error("VulkanBackend::loadOptimizer before setTarget");
  if (!stepsOnDevice()) throw std::logic_error("VulkanBackend: this device does not step (no shaderFloat64)");
  const uint32_t count = uint32_t(set.atoms.size());
  if (raw.size() != count || adam.size() != count || held.size() != count)
    throw std::invalid_argument("VulkanBackend::loadOptimizer: one state per atom");
  if (count == 0) throw std::invalid_argument("VulkanBackend::loadOptimizer: no atoms");
  ensureCapacity(set, count);
  std::vector<gpu::AtomState> states;
  for (uint32_t a = 0; a < count; ++a) states.push_back(toDevice(set.atoms[a], raw[a], adam[a], held[a]));
  states_->write(0, states.data(), states.size() * sizeof(gpu::AtomState));
  deviceAtoms_ = set;
  renderer_->prepare(deviceAtoms_.atoms, start_, uint32_t(target_.size()));
  paramsStale_ = false;
  optimizerLoaded_ = true;
}

double VulkanBackend::stepOnDevice(const DeviceStep& step, std::vector<DeviceStepResult>& results) {
  if (!optimizerLoaded_) throw std::logic_error("VulkanBackend::stepOnDevice before loadOptimizer");
  const uint32_t count = uint32_t(deviceAtoms_.atoms.size());
  // The slots, rooms and spans of the parameter blocks are the CPU's (AtomPack keeps them).
  if (paramsStale_) renderer_->prepare(deviceAtoms_.atoms, start_, uint32_t(target_.size()));
  paramsStale_ = false;
  recordIteration(Mode::Step, count);
  step_->setStep(step.learningRate, step.beta1, step.beta2, step.sparsity);
  sequence_->submit();
  float value = 0.0f;
  value_->read(0, &value, sizeof value);
  std::vector<gpu::AtomState> states(count);
  states_->read(0, states.data(), states.size() * sizeof(gpu::AtomState));
  results.clear();
  for (uint32_t a = 0; a < count; ++a) {
    results.push_back(fromDevice(states[a], deviceAtoms_.atoms[a]));
    deviceAtoms_.atoms[a] = results.back().atom;
  }
  return value;
}

void VulkanBackend::setProfiling(bool on) {
  profiling_ = on;
  recorded_ = false;  // the next evaluate records again, with or without timestamps
}

std::vector<DispatchTime> VulkanBackend::dispatchTimes() const {
  std::vector<DispatchTime> times;
  if (!sequence_) return times;
  for (const gpu::KernelTime& t : sequence_->kernelTimes()) times.push_back({t.shader, t.ms});
  return times;
}

std::vector<double> VulkanBackend::render(const AtomSet& set) {
  if (target_.empty()) throw std::logic_error("VulkanBackend::render before setTarget");
  ensureCapacity(set, std::max<uint32_t>(1, uint32_t(set.atoms.size())));
  const std::vector<float> mix = renderer_->renderSegment(set, start_, target_.size());
  recorded_ = false;  // renderSegment prepared other atoms; the next evaluate prepares again
  paramsStale_ = true;
  return std::vector<double>(mix.begin(), mix.end());
}

}  // namespace audiosplat::fit
