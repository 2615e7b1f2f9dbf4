#pragma once
// The fit's gradient on a Vulkan device (a GPU, or lavapipe on the CPU): the atoms rendered
// by gpu::AtomRenderer, the loss and dLoss/dx by gpu::MrstftLoss or gpu::MultibandLoss, and
// gpu::AtomBackward down to every parameter, all recorded into one command buffer that one
// submit per iteration runs.
// Two ways to end an iteration:
// - stepOnDevice (devices with shaderFloat64): the atoms' optimizer state stays on the device;
//   gpu::AtomPack makes the render's parameter blocks from it and gpu::AtomStep takes the
//   chain rule and Adam's step in double, in the same command buffer. What comes back is the
//   loss and each atom's state (552 bytes an atom), for the Fitter's checks and snapshots.
// - evaluate: the loss and a few hundred floats per atom come back; the chain rule
//   (gpu::chainAtomGradient) and Adam (fit::Fitter) run on the CPU in double.
// AUDIOSPLAT_GPU_HOST_STEP=1 takes the second way on any device (tests compare the two).
#include <cstdint>
#include <memory>
#include <optional>

#include "fit/gradient_backend.h"

namespace audiosplat::gpu {
class AtomBackward;
class AtomPack;
class AtomStep;
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
  double deviceWaitMs() const override;
  bool stepsOnDevice() const override;
  void loadOptimizer(const AtomSet& set, std::span<const ParamVector> raw,
                     std::span<const AdamState> adam, const std::vector<bool>& held) override;
  double stepOnDevice(const DeviceStep& step, std::vector<DeviceStepResult>& results) override;

 private:
  // Makes the renderer, backward pass and buffers for set's rate, L and rooms and at least
  // `atoms` atoms, when the current ones do not fit.
  void ensureCapacity(const AtomSet& set, uint32_t atoms);
  double zeroAtomLoss() const;
  // Records the iteration (Mode::Evaluate or Mode::Step) unless it is recorded already.
  enum class Mode { Evaluate, Step };
  void recordIteration(Mode mode, uint32_t count);

  std::unique_ptr<gpu::Context> context_;
  bool hostStep_;  // AUDIOSPLAT_GPU_HOST_STEP=1 at construction
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
  Mode recordedMode_ = Mode::Evaluate;
  uint32_t recordedAtoms_ = 0;
  bool recordedRooms_ = false;
  bool profiling_ = false;
  // The step on the device: its kernels, the atoms' states, and the atoms as last read back
  // (their discrete choices, and what prepare() needs after a render() reused the renderer).
  std::unique_ptr<gpu::AtomPack> pack_;
  std::unique_ptr<gpu::AtomStep> step_;
  std::unique_ptr<gpu::Buffer> states_;
  AtomSet deviceAtoms_;
  bool optimizerLoaded_ = false;
  bool paramsStale_ = false;  // a render() or evaluate() prepared other atoms since
};

}  // namespace audiosplat::fit
