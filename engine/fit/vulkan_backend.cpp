#include "fit/vulkan_backend.h"

#include <algorithm>
#include <stdexcept>

#include "gpu/atom_backward.h"
#include "gpu/atom_gradient_chain.h"
#include "gpu/atom_renderer.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/mrstft_loss.h"
#include "gpu/multiband_loss.h"
#include "gpu/sequence.h"
#include "model/loss_mrstft.h"
#include "model/loss_multiband.h"

namespace audiosplat::fit {
namespace {

// Capacity grows in steps, so that an editor adding atoms one by one rarely rebuilds.
constexpr uint32_t kCapacityStep = 16;

bool sameDocument(const AtomSet& a, const AtomSet& b) {
  return a.sampleRate == b.sampleRate && a.atomLength == b.atomLength && a.rooms == b.rooms;
}

}  // namespace

VulkanBackend::VulkanBackend(std::optional<uint32_t> device)
    : context_(std::make_unique<gpu::Context>(device)) {}

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
}

void VulkanBackend::ensureCapacity(const AtomSet& set, uint32_t atoms) {
  if (renderer_ && sameDocument(set, document_) && atoms <= renderer_->maxAtoms()) return;
  const uint32_t capacity =
      std::max({(atoms + kCapacityStep - 1) / kCapacityStep * kCapacityStep, kCapacityStep,
                renderer_ && sameDocument(set, document_) ? renderer_->maxAtoms() : 0u});
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
  const bool rooms = renderer_->shape().rooms;
  if (!recorded_ || recordedAtoms_ != count || recordedRooms_ != rooms) {
    sequence_->clear();
    sequence_->setProfiling(profiling_);
    renderer_->record(*sequence_);
    if (loss_ == LossKind::Mrstft)
      mrstft_->record(*sequence_, renderer_->mixdown(), *gradient_, *value_, 0);
    else
      multiband_->record(*sequence_, renderer_->placed(), count, *gradient_, *value_, 0);
    backward_->record(*sequence_, *gradient_, loss_ == LossKind::Multiband);
    recorded_ = true;
    recordedAtoms_ = count;
    recordedRooms_ = rooms;
  }
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
  return std::vector<double>(mix.begin(), mix.end());
}

}  // namespace audiosplat::fit
