#include "gpu/buffer.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "gpu/context.h"
#include "gpu/error.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {

Buffer::Buffer(Context& context, size_t bytes, Memory memory) : context_(&context), bytes_(bytes) {
  if (bytes == 0) throw std::invalid_argument("gpu::Buffer: size 0");
  if (bytes > context.limits().maxStorageBufferBytes)
    throw GpuError("A GPU buffer of " + std::to_string(bytes >> 20) + " MiB exceeds the " +
                   std::to_string(context.limits().maxStorageBufferBytes >> 20) +
                   " MiB that " + context.info().name + " can bind; use smaller batches.");
  const auto& vk = context.vk();
  auto info = vk::make<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
  info.size = bytes;
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT |
               VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  vk::check(vk.CreateBuffer(context.device(), &info, nullptr, &buffer_), "vkCreateBuffer");
  try {
    VkMemoryRequirements needs;
    vk.GetBufferMemoryRequirements(context.device(), buffer_, &needs);
    const bool hostVisible = memory == Memory::Host || context.hostMapped();
    auto allocate = vk::make<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
    allocate.allocationSize = needs.size;
    allocate.memoryTypeIndex = context.memoryType(needs.memoryTypeBits, hostVisible);
    vk::check(vk.AllocateMemory(context.device(), &allocate, nullptr, &memory_), "vkAllocateMemory");
    vk::check(vk.BindBufferMemory(context.device(), buffer_, memory_, 0), "vkBindBufferMemory");
    if (hostVisible)
      vk::check(vk.MapMemory(context.device(), memory_, 0, VK_WHOLE_SIZE, 0, &mapped_), "vkMapMemory");
  } catch (...) {
    release();
    throw;
  }
}

Buffer::~Buffer() { release(); }

Buffer::Buffer(Buffer&& other) noexcept
    : context_(other.context_), bytes_(std::exchange(other.bytes_, 0)),
      buffer_(std::exchange(other.buffer_, VK_NULL_HANDLE)),
      memory_(std::exchange(other.memory_, VK_NULL_HANDLE)),
      mapped_(std::exchange(other.mapped_, nullptr)) {
  for (int i = 0; i < 2; ++i) views_[i] = std::exchange(other.views_[i], VK_NULL_HANDLE);
}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    release();
    context_ = other.context_;
    bytes_ = std::exchange(other.bytes_, 0);
    buffer_ = std::exchange(other.buffer_, VK_NULL_HANDLE);
    memory_ = std::exchange(other.memory_, VK_NULL_HANDLE);
    mapped_ = std::exchange(other.mapped_, nullptr);
    for (int i = 0; i < 2; ++i) views_[i] = std::exchange(other.views_[i], VK_NULL_HANDLE);
  }
  return *this;
}

void Buffer::release() {
  if (!context_) return;
  const auto& vk = context_->vk();
  for (VkBufferView& view : views_) {
    if (view) vk.DestroyBufferView(context_->device(), view, nullptr);
    view = VK_NULL_HANDLE;
  }
  // Freeing memory unmaps it.
  if (buffer_) vk.DestroyBuffer(context_->device(), buffer_, nullptr);
  if (memory_) vk.FreeMemory(context_->device(), memory_, nullptr);
  buffer_ = VK_NULL_HANDLE;
  memory_ = VK_NULL_HANDLE;
  mapped_ = nullptr;
}

VkBufferView Buffer::texelView(bool pairs) const {
  VkBufferView& view = views_[pairs ? 1 : 0];
  if (view) return view;
  // gpu::Sequence binds larger buffers to the kernels' storage twins instead.
  if (!fitsTexelView(pairs)) throw std::logic_error("gpu::Buffer::texelView past the device's texel-buffer limit");
  const size_t elementBytes = pairs ? 8 : 4;
  auto info = vk::make<VkBufferViewCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO);
  info.buffer = buffer_;
  info.format = pairs ? VK_FORMAT_R32G32_SFLOAT : VK_FORMAT_R32_SFLOAT;
  info.range = bytes_ / elementBytes * elementBytes;
  vk::check(context_->vk().CreateBufferView(context_->device(), &info, nullptr, &view), "vkCreateBufferView");
  return view;
}

bool Buffer::fitsTexelView(bool pairs) const {
  return bytes_ / (pairs ? 8 : 4) <= context_->limits().maxTexelBufferElements;
}

void Buffer::write(size_t offset, const void* data, size_t bytes) {
  if (offset > bytes_ || bytes > bytes_ - offset)
    throw std::out_of_range("gpu::Buffer::write past the end of the buffer");
  if (bytes == 0) return;
  if (mapped_) {
    std::memcpy(static_cast<char*>(mapped_) + offset, data, bytes);
    return;
  }
  Buffer staging(*context_, bytes, Memory::Host);
  staging.write(0, data, bytes);
  Sequence sequence(*context_);
  sequence.copy(staging, *this, 0, offset, bytes);
  sequence.submit();
}

void Buffer::read(size_t offset, void* data, size_t bytes) const {
  if (offset > bytes_ || bytes > bytes_ - offset)
    throw std::out_of_range("gpu::Buffer::read past the end of the buffer");
  if (bytes == 0) return;
  if (mapped_) {
    std::memcpy(data, static_cast<const char*>(mapped_) + offset, bytes);
    return;
  }
  Buffer staging(*context_, bytes, Memory::Host);
  Sequence sequence(*context_);
  sequence.copy(*this, staging, offset, 0, bytes);
  sequence.submit();
  staging.read(0, data, bytes);
}

}  // namespace audiosplat::gpu
