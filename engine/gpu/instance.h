#pragma once
// A headless Vulkan 1.2 instance and its physical devices; shared by listDevices() and
// Context. Validation layers only when AUDIOSPLAT_VULKAN_VALIDATION=1 asks and they exist.
#include <atomic>
#include <vector>

#include "gpu/device_info.h"
#include "gpu/vulkan_api.h"

namespace audiosplat::gpu {

class Instance {
 public:
  Instance();  // throws GpuError: no loader, no driver, no device
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const vk::Api& api() const { return api_; }
  vk::Api& api() { return api_; }
  VkInstance handle() const { return instance_; }
  const std::vector<VkPhysicalDevice>& physicalDevices() const { return physical_; }
  const std::vector<DeviceInfo>& devices() const { return devices_; }
  // Validation errors reported so far (0 when validation is off).
  uint64_t validationErrors() const { return validationErrors_.load(); }

 private:
  void release();
  void enableValidation(std::vector<const char*>& layers, std::vector<const char*>& extensions);
  DeviceInfo describe(uint32_t index) const;

  vk::Api api_;
  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  std::vector<VkPhysicalDevice> physical_;
  std::vector<DeviceInfo> devices_;
  std::atomic<uint64_t> validationErrors_{0};
};

}  // namespace audiosplat::gpu
