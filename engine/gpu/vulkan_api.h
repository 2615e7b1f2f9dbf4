#pragma once
// Vulkan entry points, loaded at run time from the loader library (libvulkan.so.1) instead
// of linked, so that a machine without Vulkan gets a GpuError that says what to install
// instead of a program that cannot start. Members drop the "vk" prefix: vk.CreateBuffer(...).
#ifndef VK_NO_PROTOTYPES
#define VK_NO_PROTOTYPES
#endif
#include <vulkan/vulkan.h>

#include <string>

#define AUDIOSPLAT_VK_GLOBAL(X) \
  X(CreateInstance)             \
  X(EnumerateInstanceVersion)   \
  X(EnumerateInstanceLayerProperties)

#define AUDIOSPLAT_VK_INSTANCE(X)            \
  X(DestroyInstance)                         \
  X(EnumeratePhysicalDevices)                \
  X(GetPhysicalDeviceProperties)             \
  X(GetPhysicalDeviceProperties2)            \
  X(GetPhysicalDeviceFeatures)               \
  X(GetPhysicalDeviceMemoryProperties)       \
  X(GetPhysicalDeviceQueueFamilyProperties)  \
  X(CreateDevice)                            \
  X(GetDeviceProcAddr)

#define AUDIOSPLAT_VK_DEVICE(X)   \
  X(DestroyDevice)                \
  X(GetDeviceQueue)               \
  X(QueueSubmit)                  \
  X(DeviceWaitIdle)               \
  X(CreateBuffer)                 \
  X(DestroyBuffer)                \
  X(CreateBufferView)             \
  X(DestroyBufferView)            \
  X(GetBufferMemoryRequirements)  \
  X(AllocateMemory)               \
  X(FreeMemory)                   \
  X(BindBufferMemory)             \
  X(MapMemory)                    \
  X(CreateShaderModule)           \
  X(DestroyShaderModule)          \
  X(CreateDescriptorSetLayout)    \
  X(DestroyDescriptorSetLayout)   \
  X(CreatePipelineLayout)         \
  X(DestroyPipelineLayout)        \
  X(CreateComputePipelines)       \
  X(DestroyPipeline)              \
  X(CreateDescriptorPool)         \
  X(DestroyDescriptorPool)        \
  X(ResetDescriptorPool)          \
  X(AllocateDescriptorSets)       \
  X(UpdateDescriptorSets)         \
  X(CreateCommandPool)            \
  X(DestroyCommandPool)           \
  X(ResetCommandPool)             \
  X(AllocateCommandBuffers)       \
  X(BeginCommandBuffer)           \
  X(EndCommandBuffer)             \
  X(CmdBindPipeline)              \
  X(CmdBindDescriptorSets)        \
  X(CmdPushConstants)             \
  X(CmdDispatch)                  \
  X(CmdPipelineBarrier)           \
  X(CmdCopyBuffer)                \
  X(CmdFillBuffer)                \
  X(CmdResetQueryPool)            \
  X(CmdWriteTimestamp)            \
  X(CreateQueryPool)              \
  X(DestroyQueryPool)             \
  X(GetQueryPoolResults)          \
  X(CreateFence)                  \
  X(DestroyFence)                 \
  X(ResetFences)                  \
  X(WaitForFences)

namespace audiosplat::gpu::vk {

#define AUDIOSPLAT_VK_MEMBER(name) PFN_vk##name name = nullptr;

// Owns the dlopen handle of the loader. Global functions are loaded at construction,
// instance and device ones by loadInstance / loadDevice.
class Api {
 public:
  Api();  // throws GpuError when the loader is missing or older than Vulkan 1.1
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  void loadInstance(VkInstance instance);
  void loadDevice(VkDevice device);
  // Optional entry points (extensions) by full name, null when absent.
  PFN_vkVoidFunction instanceProc(VkInstance instance, const char* name) const;

  AUDIOSPLAT_VK_GLOBAL(AUDIOSPLAT_VK_MEMBER)
  AUDIOSPLAT_VK_INSTANCE(AUDIOSPLAT_VK_MEMBER)
  AUDIOSPLAT_VK_DEVICE(AUDIOSPLAT_VK_MEMBER)

 private:
  void* library_ = nullptr;
  PFN_vkGetInstanceProcAddr getInstanceProcAddr_ = nullptr;
};

#undef AUDIOSPLAT_VK_MEMBER

// A Vulkan struct with its sType (and pNext) set and every other member zero.
template <class T>
T make(VkStructureType type, void* next = nullptr) {
  T value{};
  value.sType = type;
  value.pNext = next;
  return value;
}

// "VK_ERROR_OUT_OF_DEVICE_MEMORY" and the like.
std::string resultName(VkResult result);
// Throws GpuError("<what> failed: <result>") unless result is VK_SUCCESS.
void check(VkResult result, const char* what);

}  // namespace audiosplat::gpu::vk
