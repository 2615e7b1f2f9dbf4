#include "gpu/device_info.h"

#include <cstdio>

#include "gpu/instance.h"

namespace audiosplat::gpu {

std::string DeviceInfo::apiVersionText() const {
  return std::to_string(VK_API_VERSION_MAJOR(apiVersion)) + "." +
         std::to_string(VK_API_VERSION_MINOR(apiVersion)) + "." +
         std::to_string(VK_API_VERSION_PATCH(apiVersion));
}

bool DeviceInfo::supportsVulkan12() const { return apiVersion >= VK_API_VERSION_1_2; }

std::string DeviceInfo::describe() const {
  char memory[32];
  std::snprintf(memory, sizeof memory, "%.1f GiB", double(memoryBytes) / (1u << 30));
  return std::to_string(index) + ": " + name + " - " + type + ", Vulkan " + apiVersionText() +
         ", " + driver + ", " + memory +
         (float64 ? ", doubles" : ", no doubles (the fit's step runs on the CPU)");
}

std::vector<DeviceInfo> listDevices() { return Instance().devices(); }

}  // namespace audiosplat::gpu
