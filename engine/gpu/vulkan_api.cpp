#include "gpu/vulkan_api.h"

#include <dlfcn.h>

#include <cstdlib>

#include "gpu/error.h"

namespace audiosplat::gpu::vk {

Api::Api() {
  // AUDIOSPLAT_VULKAN_LIBRARY picks another loader (a debug build, or a missing one in tests).
  const char* override = std::getenv("AUDIOSPLAT_VULKAN_LIBRARY");
  const std::string path = override && *override ? override : "libvulkan.so.1";
  library_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library_)
    throw GpuError("The Vulkan loader (" + path + ") was not found. On Debian install libvulkan1 "
                   "and mesa-vulkan-drivers for the CPU implementation (lavapipe) or your GPU's "
                   "driver.");
  getInstanceProcAddr_ =
      reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(library_, "vkGetInstanceProcAddr"));
  if (getInstanceProcAddr_) {
#define AUDIOSPLAT_VK_LOAD(name) \
  name = reinterpret_cast<PFN_vk##name>(getInstanceProcAddr_(nullptr, "vk" #name));
    AUDIOSPLAT_VK_GLOBAL(AUDIOSPLAT_VK_LOAD)
#undef AUDIOSPLAT_VK_LOAD
  }
  // vkEnumerateInstanceVersion exists from loader 1.1 on; 1.0 loaders cannot run 1.2 devices.
  if (!CreateInstance || !EnumerateInstanceVersion) {
    dlclose(library_);
    throw GpuError("The Vulkan loader (" + path + ") is older than Vulkan 1.1; AudioSplat needs "
                   "Vulkan 1.2. Update libvulkan1 and your GPU's driver.");
  }
}

Api::~Api() {
  if (library_) dlclose(library_);
}

void Api::loadInstance(VkInstance instance) {
#define AUDIOSPLAT_VK_LOAD(name)                                                                   \
  name = reinterpret_cast<PFN_vk##name>(getInstanceProcAddr_(instance, "vk" #name));               \
  if (!name) throw GpuError("The Vulkan loader lacks vk" #name);
  AUDIOSPLAT_VK_INSTANCE(AUDIOSPLAT_VK_LOAD)
#undef AUDIOSPLAT_VK_LOAD
}

void Api::loadDevice(VkDevice device) {
  // Device-level pointers skip the loader's dispatch trampoline.
#define AUDIOSPLAT_VK_LOAD(name)                                                                   \
  name = reinterpret_cast<PFN_vk##name>(GetDeviceProcAddr(device, "vk" #name));                    \
  if (!name) throw GpuError("The Vulkan driver lacks vk" #name);
  AUDIOSPLAT_VK_DEVICE(AUDIOSPLAT_VK_LOAD)
#undef AUDIOSPLAT_VK_LOAD
}

PFN_vkVoidFunction Api::instanceProc(VkInstance instance, const char* name) const {
  return getInstanceProcAddr_(instance, name);
}

std::string resultName(VkResult result) {
  switch (result) {
#define AUDIOSPLAT_VK_RESULT(r) \
  case r: return #r;
    AUDIOSPLAT_VK_RESULT(VK_SUCCESS)
    AUDIOSPLAT_VK_RESULT(VK_NOT_READY)
    AUDIOSPLAT_VK_RESULT(VK_TIMEOUT)
    AUDIOSPLAT_VK_RESULT(VK_INCOMPLETE)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_INITIALIZATION_FAILED)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_DEVICE_LOST)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_FRAGMENTED_POOL)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_INVALID_SHADER_NV)
    AUDIOSPLAT_VK_RESULT(VK_ERROR_UNKNOWN)
#undef AUDIOSPLAT_VK_RESULT
    default: return "VkResult " + std::to_string(int(result));
  }
}

void check(VkResult result, const char* what) {
  if (result == VK_SUCCESS) return;
  std::string message = std::string(what) + " failed: " + resultName(result);
  if (result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY)
    message += " (use smaller batches, or a device with more memory)";
  if (result == VK_ERROR_DEVICE_LOST) message += " (the GPU driver reset the device)";
  throw GpuError(message);
}

}  // namespace audiosplat::gpu::vk
