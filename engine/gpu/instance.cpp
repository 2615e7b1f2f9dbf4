#include "gpu/instance.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gpu/error.h"

namespace audiosplat::gpu {
namespace {

const char* const kNoDevice =
    "No Vulkan device found. On Debian install mesa-vulkan-drivers for the CPU implementation "
    "(lavapipe) or your GPU's driver.";
const char* const kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool validationRequested() {
  const char* value = std::getenv("AUDIOSPLAT_VULKAN_VALIDATION");
  return value && *value && std::strcmp(value, "0") != 0;
}

VKAPI_ATTR VkBool32 VKAPI_CALL onValidationMessage(
    VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT,
    const VkDebugUtilsMessengerCallbackDataEXT* data, void* counter) {
  const bool error = severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  if (error) ++*static_cast<std::atomic<uint64_t>*>(counter);
  std::fprintf(stderr, "Vulkan validation %s: %s\n", error ? "error" : "warning", data->pMessage);
  return VK_FALSE;
}

const char* typeName(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "CPU";
    default: return "other";
  }
}

}  // namespace

Instance::Instance() {
  std::vector<const char*> layers, extensions;
  if (validationRequested()) enableValidation(layers, extensions);

  auto app = vk::make<VkApplicationInfo>(VK_STRUCTURE_TYPE_APPLICATION_INFO);
  app.pApplicationName = "AudioSplat";
  app.pEngineName = "AudioSplat";
  app.apiVersion = VK_API_VERSION_1_2;
  auto info = vk::make<VkInstanceCreateInfo>(VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
  info.pApplicationInfo = &app;
  info.enabledLayerCount = uint32_t(layers.size());
  info.ppEnabledLayerNames = layers.data();
  info.enabledExtensionCount = uint32_t(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  const VkResult created = api_.CreateInstance(&info, nullptr, &instance_);
  // The loader answers INCOMPATIBLE_DRIVER when it finds no driver (ICD) at all.
  if (created == VK_ERROR_INCOMPATIBLE_DRIVER || created == VK_ERROR_INITIALIZATION_FAILED)
    throw GpuError(kNoDevice);
  vk::check(created, "vkCreateInstance");
  try {
    api_.loadInstance(instance_);
    if (!extensions.empty()) {
      auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
          api_.instanceProc(instance_, "vkCreateDebugUtilsMessengerEXT"));
      auto messenger = vk::make<VkDebugUtilsMessengerCreateInfoEXT>(
          VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT);
      messenger.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                                  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
      messenger.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                              VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                              VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
      messenger.pfnUserCallback = onValidationMessage;
      messenger.pUserData = &validationErrors_;
      if (create) vk::check(create(instance_, &messenger, nullptr, &messenger_),
                            "vkCreateDebugUtilsMessengerEXT");
    }
    uint32_t count = 0;
    vk::check(api_.EnumeratePhysicalDevices(instance_, &count, nullptr), "vkEnumeratePhysicalDevices");
    physical_.resize(count);
    vk::check(api_.EnumeratePhysicalDevices(instance_, &count, physical_.data()),
              "vkEnumeratePhysicalDevices");
    physical_.resize(count);
    if (physical_.empty()) throw GpuError(kNoDevice);
    for (uint32_t i = 0; i < count; ++i) devices_.push_back(describe(i));
  } catch (...) {
    release();
    throw;
  }
}

Instance::~Instance() { release(); }

void Instance::release() {
  if (messenger_) {
    auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        api_.instanceProc(instance_, "vkDestroyDebugUtilsMessengerEXT"));
    if (destroy) destroy(instance_, messenger_, nullptr);
    messenger_ = VK_NULL_HANDLE;
  }
  if (instance_ && api_.DestroyInstance) api_.DestroyInstance(instance_, nullptr);
  instance_ = VK_NULL_HANDLE;
}

void Instance::enableValidation(std::vector<const char*>& layers,
                                std::vector<const char*>& extensions) {
  uint32_t count = 0;
  api_.EnumerateInstanceLayerProperties(&count, nullptr);
  std::vector<VkLayerProperties> available(count);
  api_.EnumerateInstanceLayerProperties(&count, available.data());
  for (const auto& layer : available) {
    if (std::strcmp(layer.layerName, kValidationLayer) == 0) {
      layers.push_back(kValidationLayer);
      extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
      return;
    }
  }
  std::fprintf(stderr, "AUDIOSPLAT_VULKAN_VALIDATION is set but %s is not installed "
                       "(Debian: vulkan-validationlayers); running without it.\n", kValidationLayer);
}

DeviceInfo Instance::describe(uint32_t index) const {
  VkPhysicalDevice device = physical_[index];
  VkPhysicalDeviceProperties basic;
  api_.GetPhysicalDeviceProperties(device, &basic);
  // Driver properties are core in 1.2 only; older devices get the numeric version.
  auto driver = vk::make<VkPhysicalDeviceDriverProperties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES);
  auto properties = vk::make<VkPhysicalDeviceProperties2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2);
  if (basic.apiVersion >= VK_API_VERSION_1_2) properties.pNext = &driver;
  api_.GetPhysicalDeviceProperties2(device, &properties);

  DeviceInfo info;
  info.index = index;
  info.name = properties.properties.deviceName;
  info.type = typeName(properties.properties.deviceType);
  info.apiVersion = properties.properties.apiVersion;
  info.driver = basic.apiVersion >= VK_API_VERSION_1_2
                    ? std::string(driver.driverName) + " " + driver.driverInfo
                    : "driver version " + std::to_string(properties.properties.driverVersion);
  VkPhysicalDeviceMemoryProperties memory;
  api_.GetPhysicalDeviceMemoryProperties(device, &memory);
  for (uint32_t h = 0; h < memory.memoryHeapCount; ++h)
    if (memory.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
      info.memoryBytes = std::max<uint64_t>(info.memoryBytes, memory.memoryHeaps[h].size);
  VkPhysicalDeviceFeatures features;
  api_.GetPhysicalDeviceFeatures(device, &features);
  info.float64 = features.shaderFloat64 == VK_TRUE;
  return info;
}

}  // namespace audiosplat::gpu
