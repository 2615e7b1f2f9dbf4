#pragma once
// A recorded list of GPU commands (dispatches, copies, fills, timestamps) in one command
// buffer: record once, submit() many times (each submit waits for the GPU to finish).
// Every command waits for the ones recorded before it (a compute/transfer memory barrier),
// so a sequence is a chain of dependent steps; results are visible to the host after
// submit(). Buffers used by a recorded sequence must outlive it, or its clear().
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

#include "gpu/vulkan_api.h"

namespace audiosplat::gpu {

class Buffer;
class Context;
class Kernel;

struct Groups {
  uint32_t x = 1, y = 1, z = 1;
};

// One dispatch's GPU time, when a sequence profiles its kernels.
struct KernelTime {
  std::string shader;
  double ms = 0.0;
};

class Sequence {
 public:
  using Buffers = std::initializer_list<std::reference_wrapper<const Buffer>>;

  explicit Sequence(Context& context);
  ~Sequence();
  Sequence(const Sequence&) = delete;
  Sequence& operator=(const Sequence&) = delete;

  // Runs kernel over groups with buffers at bindings 0.. and push constants push, whose
  // size must be the kernel's pushConstantBytes.
  template <class Push>
  void dispatch(const Kernel& kernel, Buffers buffers, const Push& push, Groups groups) {
    static_assert(std::is_trivially_copyable_v<Push>);
    dispatchBytes(kernel, buffers, &push, sizeof(Push), groups);
  }
  void dispatch(const Kernel& kernel, Buffers buffers, Groups groups) {
    dispatchBytes(kernel, buffers, nullptr, 0, groups);
  }
  void copy(const Buffer& from, Buffer& to, size_t fromOffset, size_t toOffset, size_t bytes);
  void fill(Buffer& buffer, uint32_t word);  // every 32-bit word of the buffer
  // Records the GPU clock once everything before it has finished (benchmarks).
  void timestamp();

  // Finishes recording on the first call, runs the commands, waits for them.
  void submit();
  // Wall-clock milliseconds the last submit() took, from handing the commands over to the
  // end of the wait: what a caller's own work per submit is measured against.
  double lastSubmitMs() const { return lastSubmitMs_; }
  // Forgets the recorded commands so that new ones can be recorded.
  void clear();
  bool empty() const { return state_ == State::Empty; }
  // Milliseconds of each timestamp() since the first one, after submit().
  std::vector<double> timestampsMs() const;

  // Whether the next recording times every dispatch (set while empty, before recording).
  // Profiling adds a timestamp after each dispatch; timestamp() is then not available.
  void setProfiling(bool on);
  // After submit(): each dispatch's shader and GPU milliseconds, in recorded order.
  std::vector<KernelTime> kernelTimes() const;

 private:
  enum class State { Empty, Recording, Ready };
  void beginCommand();  // starts recording or adds the barrier after the previous command
  void writeTimestamp();
  std::vector<double> readTimestampsMs() const;
  void dispatchBytes(const Kernel& kernel, Buffers buffers, const void* push, size_t bytes,
                     Groups groups);
  VkDescriptorSet allocateSet(const Kernel& kernel);
  const Kernel& fitTexelLimit(const Kernel& kernel, Buffers buffers);

  Context& context_;
  double lastSubmitMs_ = 0.0;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkCommandBuffer commands_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  std::vector<VkDescriptorPool> descriptorPools_;
  size_t currentPool_ = 0;
  VkQueryPool queries_ = VK_NULL_HANDLE;
  uint32_t queryCapacity_ = 0;
  uint32_t timestamps_ = 0;
  bool profiling_ = false;
  std::vector<std::string> profiledShaders_;  // the dispatch ended by each timestamp after the first
  State state_ = State::Empty;
};

}  // namespace audiosplat::gpu
