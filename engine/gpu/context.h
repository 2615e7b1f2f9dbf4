#pragma once
// The Vulkan device the engine computes on: headless, Vulkan 1.2, one compute queue.
// AUDIOSPLAT_GPU_SHUFFLE_LANES=N caps Limits::subgroupSize (tests of small-subgroup paths);
// AUDIOSPLAT_GPU_FLOAT64=0 hides shaderFloat64 (tests of the host-step path).
// Device choice: the explicit index, else AUDIOSPLAT_DEVICE=N, else the first discrete GPU,
// else integrated, else virtual, else CPU (lavapipe). Set AUDIOSPLAT_VULKAN_VALIDATION=1 for
// the Khronos validation layer when it is installed, AUDIOSPLAT_VULKAN_LIBRARY=path for
// another loader than libvulkan.so.1.
//
// Threads: submit() and kernel() may be called from any thread; Buffer, Kernel and Sequence
// objects are used by one thread at a time (the fit worker owns its own).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "gpu/device_info.h"
#include "gpu/instance.h"
#include "gpu/vulkan_api.h"

namespace audiosplat::gpu {

class Kernel;
struct KernelSpec;

struct Limits {
  uint32_t maxWorkgroupInvocations = 0;
  uint32_t maxWorkgroupSizeX = 0;
  uint32_t maxWorkgroupCount[3] = {};
  uint32_t sharedMemoryBytes = 0;     // per workgroup
  uint32_t pushConstantBytes = 0;     // >= 128
  // Neighbouring invocations that surely share a subgroup and can shuffle values: the
  // smallest subgroup size, 1 without compute shuffles. Never assume one: lavapipe has 4, 8
  // or 16, and some GPUs vary theirs between pipelines.
  uint32_t subgroupSize = 0;
  uint64_t maxStorageBufferBytes = 0; // per binding
  // Elements a texel buffer view may span (the Vulkan minimum is 65536; desktop GPUs and
  // lavapipe 2^27 or more). Kernels read larger buffers through their storage twins
  // (gpu::Sequence). AUDIOSPLAT_GPU_TEXEL_ELEMENTS=N lowers it, to test that path (0: no
  // texel reads at all).
  uint32_t maxTexelBufferElements = 0;
  uint32_t timestampValidBits = 0;    // 0: the queue has no timestamps
  // Doubles in shaders (shaderFloat64, enabled when the device has it): the fit's step on the
  // device needs them. AUDIOSPLAT_GPU_FLOAT64=0 turns them off, to test the host-step path.
  bool float64 = false;
  double timestampPeriodNs = 0;
};

class Context {
 public:
  // Throws GpuError with a message for people: no Vulkan, no device, bad index.
  explicit Context(std::optional<uint32_t> deviceIndex = std::nullopt);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const DeviceInfo& info() const { return info_; }
  const Limits& limits() const { return limits_; }
  // True when storage buffers live in host-visible memory (lavapipe, integrated GPUs):
  // uploads and downloads are memcpy, no staging copies. AUDIOSPLAT_GPU_STAGING=1 forces
  // the discrete-GPU path (device-local memory and staging copies) on any device.
  bool hostMapped() const { return hostMapped_; }
  // The largest power of two <= preferred that the device allows for local_size_x.
  uint32_t workgroupSize(uint32_t preferred) const;
  // The pipeline for spec, made once per context and kept for its lifetime.
  const Kernel& kernel(const KernelSpec& spec);
  // Validation errors reported so far (0 when validation is off).
  uint64_t validationErrors() const { return instance_.validationErrors(); }

  // For the classes of this module.
  const vk::Api& vk() const { return instance_.api(); }
  VkDevice device() const { return device_; }
  uint32_t queueFamily() const { return queueFamily_; }
  // A memory type among allowedTypes: host-visible and coherent, or else the best
  // device-local one (host-visible too when hostMapped()).
  uint32_t memoryType(uint32_t allowedTypes, bool hostVisible) const;
  void submit(VkCommandBuffer commands, VkFence fence);

 private:
  Instance instance_;
  DeviceInfo info_;
  Limits limits_;
  bool hostMapped_ = false;
  VkPhysicalDeviceMemoryProperties memory_{};
  VkDevice device_ = VK_NULL_HANDLE;
  uint32_t queueFamily_ = 0;
  VkQueue queue_ = VK_NULL_HANDLE;
  std::mutex queueMutex_;
  std::mutex kernelsMutex_;
  std::map<std::string, std::unique_ptr<Kernel>> kernels_;
};

}  // namespace audiosplat::gpu
