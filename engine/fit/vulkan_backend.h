#pragma once
// The fit's gradient on a Vulkan device (a GPU, or lavapipe on the CPU): the atoms rendered
// by gpu::AtomRenderer, the loss and dLoss/dx by gpu::MrstftLoss or gpu::MultibandLoss, and
// gpu::AtomBackward down to every parameter, all recorded into one command buffer that one
// submit per iteration runs. What comes back is the loss and a few hundred floats per atom;
// the chain rule from partials to parameters (gpu::chainAtomGradient) and Adam (fit::Fitter)
// run on the CPU in double, where they cost microseconds.
#include <cstdint>
#include <memory>
#include <optional>

#include "fit/gradient_backend.h"

namespace audiosplat::gpu {
class AtomBackward;
class AtomRenderer;
class Buffer;
class Context;
class MrstftLoss;
class MultibandLoss;
class Sequence;
}  // namespace audiosplat::gpu

namespace audiosplat::fit {

class VulkanBackend final : public GradientBackend {
 public:
  // device: an index of gpu::listDevices(), or the Context's default choice. Throws
  // gpu::GpuError with a message for people when there is no usable device.
  explicit VulkanBackend(std::optional<uint32_t> device = std::nullopt);
  ~VulkanBackend() override;

  std::string deviceName() const override;
  void setTarget(std::span<const double> target, int64_t start, LossKind loss) override;
  double evaluate(const AtomSet& set, std::vector<ParamVector>* gradients) override;
  std::vector<double> render(const AtomSet& set) override;
  void setProfiling(bool on) override;
  std::vector<DispatchTime> dispatchTimes() const override;

 private:
  // Makes the renderer, backward pass and buffers for set's rate, L and rooms and at least
  // `atoms` atoms, when the current ones do not fit.
  void ensureCapacity(const AtomSet& set, uint32_t atoms);
  double zeroAtomLoss() const;

  std::unique_ptr<gpu::Context> context_;
  std::vector<double> target_;
  std::vector<double> targetFeatures_;  // multiband only
  int64_t start_ = 0;
  LossKind loss_ = LossKind::Multiband;
  std::unique_ptr<gpu::MrstftLoss> mrstft_;
  std::unique_ptr<gpu::MultibandLoss> multiband_;
  AtomSet document_;  // rate, L and rooms of the renderer
  std::unique_ptr<gpu::AtomRenderer> renderer_;
  std::unique_ptr<gpu::AtomBackward> backward_;
  std::unique_ptr<gpu::Buffer> gradient_;  // dLoss/dx: atoms x N (multiband) or N (mrstft)
  std::unique_ptr<gpu::Buffer> value_;     // the loss, one float
  std::unique_ptr<gpu::Sequence> sequence_;
  bool recorded_ = false;
  uint32_t recordedAtoms_ = 0;
  bool recordedRooms_ = false;
  bool profiling_ = false;
};

}  // namespace audiosplat::fit
