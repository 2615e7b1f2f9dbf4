#pragma once
// A storage buffer on the device. On lavapipe and integrated GPUs it lives in host-visible
// coherent memory and is mapped for its lifetime, so upload/download are memcpy; on discrete
// GPUs it is device-local and upload/download go through a temporary staging buffer (one
// submit each: move data in bulk, not per element). Contents are undefined until written.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "gpu/vulkan_api.h"

namespace audiosplat::gpu {

class Context;

// The element types that shaders read and write.
template <class T>
concept Element = std::same_as<T, float> || std::same_as<T, uint32_t> || std::same_as<T, int32_t>;

class Buffer {
 public:
  enum class Memory {
    Device,  // where kernels read fastest
    Host,    // host-visible and mapped everywhere (staging; small read-backs)
  };

  Buffer(Context& context, size_t bytes, Memory memory = Memory::Device);
  ~Buffer();
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  size_t bytes() const { return bytes_; }
  template <Element T> size_t count() const { return bytes_ / sizeof(T); }

  // Copies data to elements [first, first + data.size()).
  template <Element T> void upload(std::span<const T> data, size_t first = 0) {
    write(first * sizeof(T), data.data(), data.size_bytes());
  }
  void upload(std::span<const float> data, size_t first = 0) { upload<float>(data, first); }
  void upload(std::span<const uint32_t> data, size_t first = 0) { upload<uint32_t>(data, first); }
  // Elements [first, first + count) (count 0: to the end).
  template <Element T> std::vector<T> download(size_t first = 0, size_t count = 0) const {
    if (count == 0 && first < this->count<T>()) count = this->count<T>() - first;
    std::vector<T> out(count);
    read(first * sizeof(T), out.data(), count * sizeof(T));
    return out;
  }

  void write(size_t offset, const void* data, size_t bytes);
  void read(size_t offset, void* data, size_t bytes) const;

  VkBuffer handle() const { return buffer_; }
  // The buffer as a uniform texel buffer of floats (pairs: of vec2), made on first use. On
  // lavapipe, kernels read texel buffers with vector gathers, about twice as fast as storage
  // buffers, which it reads one lane at a time (docs/gpu.md, "Memory").
  VkBufferView texelView(bool pairs) const;
  // Whether the whole buffer fits one texel view on this device (Limits::maxTexelBufferElements).
  bool fitsTexelView(bool pairs) const;

 private:
  void release();

  Context* context_ = nullptr;
  size_t bytes_ = 0;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  void* mapped_ = nullptr;  // null for device-local memory on discrete GPUs
  mutable VkBufferView views_[2] = {VK_NULL_HANDLE, VK_NULL_HANDLE};  // floats, pairs
};

}  // namespace audiosplat::gpu
