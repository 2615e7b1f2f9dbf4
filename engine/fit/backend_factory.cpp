#include "fit/backend_factory.h"

#include <charconv>
#include <stdexcept>

#include "fit/cpu_backend.h"
#include "fit/vulkan_backend.h"
#include "gpu/device_info.h"
#include "gpu/error.h"

namespace audiosplat::fit {
namespace {

constexpr const char* kCpuLine = "cpu: the CPU reference in double precision (exact, ~1 s per iteration)";

}  // namespace

std::unique_ptr<GradientBackend> makeBackend(const std::string& device) {
  if (device == "cpu") return std::make_unique<CpuBackend>();
  std::optional<uint32_t> index;
  if (!device.empty()) {
    uint32_t value = 0;
    const auto [end, error] = std::from_chars(device.data(), device.data() + device.size(), value);
    if (error != std::errc() || end != device.data() + device.size())
      throw std::runtime_error("--device takes cpu, list or a Vulkan device index, not '" + device + "'");
    index = value;
  }
  try {
    return std::make_unique<VulkanBackend>(index);
  } catch (const gpu::GpuError& e) {
    throw std::runtime_error(std::string(e.what()) + " (or fit on the CPU reference with --device cpu)");
  }
}

std::string describeDevices() {
  std::string out;
  try {
    for (const gpu::DeviceInfo& device : gpu::listDevices()) out += device.describe() + "\n";
  } catch (const gpu::GpuError& e) {
    out += std::string("no Vulkan device: ") + e.what() + "\n";
  }
  return out + kCpuLine + "\n";
}

}  // namespace audiosplat::fit
