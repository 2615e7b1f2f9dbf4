#include "gpu/context.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <string>
#include <vector>

#include "gpu/error.h"
#include "gpu/kernel.h"

namespace audiosplat::gpu {
namespace {

std::string deviceList(const std::vector<DeviceInfo>& devices) {
  std::string list = " Devices:";
  for (const auto& d : devices) list += "\n  " + d.describe();
  return list;
}

int typeRank(const std::string& type) {
  for (int rank = 0; const char* t : {"discrete GPU", "integrated GPU", "virtual GPU", "CPU"}) {
    if (type == t) return rank;
    ++rank;
  }
  return 4;
}

// The explicit index, else AUDIOSPLAT_DEVICE, else the best type with Vulkan 1.2.
uint32_t chooseDevice(const std::vector<DeviceInfo>& devices, std::optional<uint32_t> explicitIndex) {
  std::optional<uint32_t> index = explicitIndex;
  std::string source = explicitIndex ? "" : " (AUDIOSPLAT_DEVICE)";
  if (!index) {
    if (const char* env = std::getenv("AUDIOSPLAT_DEVICE"); env && *env) {
      char* end = nullptr;
      const unsigned long value = std::strtoul(env, &end, 10);
      if (*end != '\0' || env[0] == '-')
        throw GpuError("AUDIOSPLAT_DEVICE=" + std::string(env) +
                       " is not a device index (0, 1, ...)." + deviceList(devices));
      index = uint32_t(std::min<unsigned long>(value, UINT32_MAX));
    }
  }
  if (index) {
    if (*index >= devices.size())
      throw GpuError("There is no Vulkan device " + std::to_string(*index) + source + "." +
                     deviceList(devices));
    const DeviceInfo& d = devices[*index];
    if (!d.supportsVulkan12())
      throw GpuError("Vulkan device " + d.describe() + " supports Vulkan " + d.apiVersionText() +
                     "; AudioSplat needs 1.2. Update its driver or choose another device." +
                     deviceList(devices));
    return *index;
  }
  std::optional<uint32_t> best;
  for (const auto& d : devices)
    if (d.supportsVulkan12() && (!best || typeRank(d.type) < typeRank(devices[*best].type)))
      best = d.index;
  if (!best)
    throw GpuError("No Vulkan device supports Vulkan 1.2, which AudioSplat needs. Update the "
                   "driver (Debian: mesa-vulkan-drivers for lavapipe)." + deviceList(devices));
  return *best;
}

// A compute queue family, preferring one without graphics (its own hardware queue on
// discrete GPUs).
uint32_t computeFamily(const vk::Api& vk, VkPhysicalDevice physical, const DeviceInfo& info) {
  uint32_t count = 0;
  vk.GetPhysicalDeviceQueueFamilyProperties(physical, &count, nullptr);
  std::vector<VkQueueFamilyProperties> families(count);
  vk.GetPhysicalDeviceQueueFamilyProperties(physical, &count, families.data());
  std::optional<uint32_t> chosen;
  for (uint32_t i = 0; i < count; ++i) {
    if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)) continue;
    if (!chosen || !(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) chosen = i;
    if (!(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) break;
  }
  if (!chosen) throw GpuError("Vulkan device " + info.describe() + " has no compute queue.");
  return *chosen;
}

// How many neighbouring invocations a shader may rely on sharing a subgroup and exchanging
// values by subgroup shuffles: the smallest subgroup size the device may run a compute shader
// with (drivers that vary it report the largest as subgroupSize), or 1 without shuffles in
// compute shaders.
uint32_t shuffleLanes(const VkPhysicalDeviceSubgroupProperties& subgroup, uint32_t minimumSize) {
  const bool shuffles = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                        (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_SHUFFLE_BIT);
  if (!shuffles) return 1;
  const uint32_t size = minimumSize > 0 ? std::min(minimumSize, subgroup.subgroupSize) : subgroup.subgroupSize;
  return std::max(size, 1u);
}

}  // namespace

Context::Context(std::optional<uint32_t> deviceIndex) {
  const auto& vk = instance_.api();
  info_ = instance_.devices()[chooseDevice(instance_.devices(), deviceIndex)];
  VkPhysicalDevice physical = instance_.physicalDevices()[info_.index];

  // The smallest subgroup size is core in Vulkan 1.3; chained only where the device knows it.
  auto sizeControl = vk::make<VkPhysicalDeviceSubgroupSizeControlProperties>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES);
  const bool knowsMinimum = info_.apiVersion >= VK_API_VERSION_1_3;
  auto subgroup = vk::make<VkPhysicalDeviceSubgroupProperties>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES, knowsMinimum ? &sizeControl : nullptr);
  auto properties = vk::make<VkPhysicalDeviceProperties2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &subgroup);
  vk.GetPhysicalDeviceProperties2(physical, &properties);
  const VkPhysicalDeviceLimits& l = properties.properties.limits;
  limits_.maxWorkgroupInvocations = l.maxComputeWorkGroupInvocations;
  limits_.maxWorkgroupSizeX = l.maxComputeWorkGroupSize[0];
  for (int i = 0; i < 3; ++i) limits_.maxWorkgroupCount[i] = l.maxComputeWorkGroupCount[i];
  limits_.sharedMemoryBytes = l.maxComputeSharedMemorySize;
  limits_.pushConstantBytes = l.maxPushConstantsSize;
  limits_.subgroupSize = shuffleLanes(subgroup, knowsMinimum ? sizeControl.minSubgroupSize : 0);
  // AUDIOSPLAT_GPU_SHUFFLE_LANES=N plans kernels for fewer lanes, so that lavapipe tests the
  // paths of GPUs with small subgroups or none (1).
  if (const char* lanes = std::getenv("AUDIOSPLAT_GPU_SHUFFLE_LANES"); lanes && *lanes)
    limits_.subgroupSize = std::clamp<uint32_t>(uint32_t(std::atoi(lanes)), 1, limits_.subgroupSize);
  limits_.maxStorageBufferBytes = l.maxStorageBufferRange;
  limits_.maxTexelBufferElements = l.maxTexelBufferElements;
  if (const char* texels = std::getenv("AUDIOSPLAT_GPU_TEXEL_ELEMENTS"); texels && *texels)
    limits_.maxTexelBufferElements =
        uint32_t(std::clamp<long long>(std::atoll(texels), 0, limits_.maxTexelBufferElements));
  limits_.timestampPeriodNs = l.timestampPeriod;
  vk.GetPhysicalDeviceMemoryProperties(physical, &memory_);
  // AUDIOSPLAT_GPU_STAGING=1 takes the discrete-GPU path (device-local buffers, staging
  // copies) on any device, so that lavapipe tests it too.
  const char* staging = std::getenv("AUDIOSPLAT_GPU_STAGING");
  hostMapped_ = properties.properties.deviceType != VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU &&
                !(staging && *staging && std::string(staging) != "0");

  queueFamily_ = computeFamily(vk, physical, info_);
  uint32_t familyCount = 0;
  vk.GetPhysicalDeviceQueueFamilyProperties(physical, &familyCount, nullptr);
  std::vector<VkQueueFamilyProperties> families(familyCount);
  vk.GetPhysicalDeviceQueueFamilyProperties(physical, &familyCount, families.data());
  limits_.timestampValidBits = families[queueFamily_].timestampValidBits;

  const char* float64 = std::getenv("AUDIOSPLAT_GPU_FLOAT64");
  limits_.float64 = info_.float64 && !(float64 && std::string(float64) == "0");
  VkPhysicalDeviceFeatures enabled{};
  enabled.shaderFloat64 = limits_.float64 ? VK_TRUE : VK_FALSE;

  const float priority = 1.0f;
  auto queue = vk::make<VkDeviceQueueCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
  queue.queueFamilyIndex = queueFamily_;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  auto create = vk::make<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO);
  create.queueCreateInfoCount = 1;
  create.pQueueCreateInfos = &queue;
  create.pEnabledFeatures = &enabled;
  vk::check(vk.CreateDevice(physical, &create, nullptr, &device_), "vkCreateDevice");
  try {
    instance_.api().loadDevice(device_);
  } catch (...) {
    // Loading failed before any pointer could be trusted: find vkDestroyDevice by hand.
    auto destroy = reinterpret_cast<PFN_vkDestroyDevice>(vk.GetDeviceProcAddr(device_, "vkDestroyDevice"));
    if (destroy) destroy(device_, nullptr);
    throw;
  }
  vk.GetDeviceQueue(device_, queueFamily_, 0, &queue_);
}

Context::~Context() {
  if (!device_) return;
  vk().DeviceWaitIdle(device_);
  kernels_.clear();
  vk().DestroyDevice(device_, nullptr);
}

uint32_t Context::workgroupSize(uint32_t preferred) const {
  const uint32_t limit = std::min({preferred, limits_.maxWorkgroupInvocations, limits_.maxWorkgroupSizeX});
  return std::bit_floor(std::max(limit, 1u));
}

const Kernel& Context::kernel(const KernelSpec& spec) {
  std::string key = spec.shader + "/" + std::to_string(spec.buffers) + "/" +
                    std::to_string(spec.pushConstantBytes) + "/" + std::to_string(spec.workgroupSize) +
                    "/t" + std::to_string(spec.texelFloats) + "/" + std::to_string(spec.texelPairs);
  for (uint32_t c : spec.constants) key += "/" + std::to_string(c);
  std::lock_guard lock(kernelsMutex_);
  auto& kernel = kernels_[key];
  if (!kernel) kernel = std::make_unique<Kernel>(*this, spec);
  return *kernel;
}

uint32_t Context::memoryType(uint32_t allowedTypes, bool hostVisible) const {
  const VkMemoryPropertyFlags visible =
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  // Preferences, best first; the spec orders memory types so that the first match is best.
  std::vector<VkMemoryPropertyFlags> wanted;
  if (hostVisible || hostMapped_) {
    if (hostMapped_) wanted.push_back(visible | VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
    wanted.push_back(visible | VK_MEMORY_PROPERTY_HOST_CACHED_BIT);  // fast reads back
    wanted.push_back(visible);
  } else {
    wanted.push_back(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  }
  for (VkMemoryPropertyFlags flags : wanted)
    for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i)
      if ((allowedTypes & (1u << i)) && (memory_.memoryTypes[i].propertyFlags & flags) == flags)
        return i;
  throw GpuError("Vulkan device " + info_.describe() + " has no suitable memory type for buffers.");
}

void Context::submit(VkCommandBuffer commands, VkFence fence) {
  auto submit = vk::make<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &commands;
  std::lock_guard lock(queueMutex_);  // vkQueueSubmit needs the queue externally synchronised
  vk::check(vk().QueueSubmit(queue_, 1, &submit, fence), "vkQueueSubmit");
}

}  // namespace audiosplat::gpu
