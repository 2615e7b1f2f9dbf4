#pragma once
// What the machine offers: every Vulkan device, for `audiosplat info` and device choice.
#include <cstdint>
#include <string>
#include <vector>

namespace audiosplat::gpu {

struct DeviceInfo {
  uint32_t index = 0;          // what AUDIOSPLAT_DEVICE and Context(index) take
  std::string name;            // "llvmpipe (LLVM 15.0.6, 256 bits)"
  std::string type;            // "discrete GPU", "integrated GPU", "virtual GPU", "CPU", "other"
  uint32_t apiVersion = 0;     // VK_MAKE_API_VERSION packed
  std::string driver;          // "llvmpipe Mesa 22.3.6 (LLVM 15.0.6)"
  uint64_t memoryBytes = 0;    // largest device-local heap
  bool float64 = false;        // doubles in shaders: the fit can take its step on the device

  std::string apiVersionText() const;  // "1.3.230"
  bool supportsVulkan12() const;
  // "0: llvmpipe (...) - CPU, Vulkan 1.3.230, llvmpipe Mesa 22.3.6, 2.0 GiB, doubles"
  std::string describe() const;
};

// Every Vulkan device, in the loader's order. Throws GpuError, with what to install,
// when there is no loader, no driver or no device. Never returns an empty list.
std::vector<DeviceInfo> listDevices();

}  // namespace audiosplat::gpu
