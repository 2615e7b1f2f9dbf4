#include "gpu/sequence.h"

#include <chrono>
#include <stdexcept>
#include <string>

#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/error.h"
#include "gpu/kernel.h"

namespace audiosplat::gpu {
namespace {

constexpr uint32_t kSetsPerPool = 64;
constexpr uint32_t kBuffersPerPool = 512;
constexpr uint32_t kMaxTimestamps = 64;
constexpr uint32_t kMaxProfiledDispatches = 4095;  // one timestamp each, and one at the start

void barrier(const vk::Api& vk, VkCommandBuffer commands, VkPipelineStageFlags toStages,
             VkAccessFlags toAccess) {
  auto memory = vk::make<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
  memory.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  memory.dstAccessMask = toAccess;
  vk.CmdPipelineBarrier(commands,
                        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                        toStages, 0, 1, &memory, 0, nullptr, 0, nullptr);
}

}  // namespace

Sequence::Sequence(Context& context) : context_(context) {
  const auto& vk = context.vk();
  auto poolInfo = vk::make<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
  poolInfo.queueFamilyIndex = context.queueFamily();
  vk::check(vk.CreateCommandPool(context.device(), &poolInfo, nullptr, &pool_), "vkCreateCommandPool");
  auto allocate = vk::make<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
  allocate.commandPool = pool_;
  allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocate.commandBufferCount = 1;
  auto fenceInfo = vk::make<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
  try {
    vk::check(vk.AllocateCommandBuffers(context.device(), &allocate, &commands_),
              "vkAllocateCommandBuffers");
    vk::check(vk.CreateFence(context.device(), &fenceInfo, nullptr, &fence_), "vkCreateFence");
  } catch (...) {
    vk.DestroyCommandPool(context.device(), pool_, nullptr);
    throw;
  }
}

Sequence::~Sequence() {
  const auto& vk = context_.vk();
  const VkDevice device = context_.device();
  for (VkDescriptorPool pool : descriptorPools_) vk.DestroyDescriptorPool(device, pool, nullptr);
  if (queries_) vk.DestroyQueryPool(device, queries_, nullptr);
  if (fence_) vk.DestroyFence(device, fence_, nullptr);
  vk.DestroyCommandPool(device, pool_, nullptr);  // frees the command buffer
}

void Sequence::beginCommand() {
  if (state_ == State::Ready)
    throw std::logic_error("gpu::Sequence: recording after submit(); call clear() first");
  if (state_ == State::Recording) {
    barrier(context_.vk(), commands_,
            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
            VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                VK_ACCESS_TRANSFER_WRITE_BIT);
    return;
  }
  auto begin = vk::make<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
  vk::check(context_.vk().BeginCommandBuffer(commands_, &begin), "vkBeginCommandBuffer");
  state_ = State::Recording;
}

VkDescriptorSet Sequence::allocateSet(const Kernel& kernel) {
  const auto& vk = context_.vk();
  const VkDescriptorSetLayout layout = kernel.setLayout();
  auto info = vk::make<VkDescriptorSetAllocateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO);
  info.descriptorSetCount = 1;
  info.pSetLayouts = &layout;
  VkDescriptorSet set = VK_NULL_HANDLE;
  // Try the current pool, then the next ones, making a new pool when all are full.
  for (; currentPool_ <= descriptorPools_.size(); ++currentPool_) {
    if (currentPool_ == descriptorPools_.size()) {
      const VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kBuffersPerPool},
                                            {VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, kBuffersPerPool}};
      auto poolInfo = vk::make<VkDescriptorPoolCreateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO);
      poolInfo.maxSets = kSetsPerPool;
      poolInfo.poolSizeCount = 2;
      poolInfo.pPoolSizes = sizes;
      VkDescriptorPool pool = VK_NULL_HANDLE;
      vk::check(vk.CreateDescriptorPool(context_.device(), &poolInfo, nullptr, &pool),
                "vkCreateDescriptorPool");
      descriptorPools_.push_back(pool);
    }
    info.descriptorPool = descriptorPools_[currentPool_];
    const VkResult result = vk.AllocateDescriptorSets(context_.device(), &info, &set);
    if (result == VK_SUCCESS) return set;
    if (result != VK_ERROR_OUT_OF_POOL_MEMORY && result != VK_ERROR_FRAGMENTED_POOL)
      vk::check(result, "vkAllocateDescriptorSets");
  }
  throw GpuError("vkAllocateDescriptorSets failed");  // unreachable: a new pool always has room
}

// The kernel itself, or, where one of its texel-buffer bindings holds a buffer too large for
// a texel view, its twin that reads storage buffers (shaders/<name>_storage, the same
// bindings, push constants and specialization constants).
const Kernel& Sequence::fitTexelLimit(const Kernel& kernel, Buffers buffers) {
  const KernelSpec& spec = kernel.spec();
  bool fits = true;
  for (uint32_t i = 0; i < buffers.size() && i < 32; ++i)
    if (spec.texel(i)) fits &= buffers.begin()[i].get().fitsTexelView(spec.texelPair(i));
  if (fits) return kernel;
  KernelSpec twin = spec;
  twin.shader += "_storage";
  twin.texelFloats = twin.texelPairs = 0;
  return context_.kernel(twin);
}

void Sequence::dispatchBytes(const Kernel& requested, Buffers buffers, const void* push, size_t bytes,
                             Groups groups) {
  const Kernel& kernel = fitTexelLimit(requested, buffers);
  const KernelSpec& spec = kernel.spec();
  if (buffers.size() != spec.buffers)
    throw std::invalid_argument("Kernel " + spec.shader + " takes " + std::to_string(spec.buffers) +
                                " buffers, got " + std::to_string(buffers.size()));
  if (bytes != spec.pushConstantBytes)
    throw std::invalid_argument("Kernel " + spec.shader + " takes " +
                                std::to_string(spec.pushConstantBytes) + " bytes of push constants, got " +
                                std::to_string(bytes));
  const Limits& limits = context_.limits();
  if (groups.x > limits.maxWorkgroupCount[0] || groups.y > limits.maxWorkgroupCount[1] ||
      groups.z > limits.maxWorkgroupCount[2])
    throw GpuError("Kernel " + spec.shader + ": " + std::to_string(groups.x) + " x " +
                   std::to_string(groups.y) + " x " + std::to_string(groups.z) +
                   " workgroups exceed the device's limit; use smaller batches.");
  if (groups.x == 0 || groups.y == 0 || groups.z == 0) return;

  const VkDescriptorSet set = allocateSet(kernel);
  std::vector<VkDescriptorBufferInfo> infos;
  std::vector<VkBufferView> views;
  std::vector<VkWriteDescriptorSet> writes;
  infos.reserve(buffers.size());
  views.reserve(buffers.size());
  for (const Buffer& buffer : buffers) infos.push_back({buffer.handle(), 0, VK_WHOLE_SIZE});
  for (uint32_t i = 0; i < infos.size(); ++i) {
    auto write = vk::make<VkWriteDescriptorSet>(VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET);
    write.dstSet = set;
    write.dstBinding = i;
    write.descriptorCount = 1;
    if (spec.texel(i)) {
      views.push_back(buffers.begin()[i].get().texelView(spec.texelPair(i)));
      write.descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
      write.pTexelBufferView = &views.back();
    } else {
      write.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      write.pBufferInfo = &infos[i];
    }
    writes.push_back(write);
  }
  const auto& vk = context_.vk();
  vk.UpdateDescriptorSets(context_.device(), uint32_t(writes.size()), writes.data(), 0, nullptr);

  if (profiling_ && timestamps_ == 0) writeTimestamp();  // where the first dispatch starts
  beginCommand();
  vk.CmdBindPipeline(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, kernel.pipeline());
  vk.CmdBindDescriptorSets(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, kernel.layout(), 0, 1, &set,
                           0, nullptr);
  if (bytes)
    vk.CmdPushConstants(commands_, kernel.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, uint32_t(bytes), push);
  vk.CmdDispatch(commands_, groups.x, groups.y, groups.z);
  if (profiling_) {
    if (profiledShaders_.size() == kMaxProfiledDispatches)
      throw std::length_error("gpu::Sequence: too many dispatches to profile");
    writeTimestamp();
    profiledShaders_.push_back(spec.shader);
  }
}

void Sequence::copy(const Buffer& from, Buffer& to, size_t fromOffset, size_t toOffset, size_t bytes) {
  if (fromOffset > from.bytes() || bytes > from.bytes() - fromOffset || toOffset > to.bytes() ||
      bytes > to.bytes() - toOffset)
    throw std::out_of_range("gpu::Sequence::copy past the end of a buffer");
  if (bytes == 0) return;
  beginCommand();
  const VkBufferCopy region{fromOffset, toOffset, bytes};
  context_.vk().CmdCopyBuffer(commands_, from.handle(), to.handle(), 1, &region);
}

void Sequence::fill(Buffer& buffer, uint32_t word) {
  beginCommand();
  context_.vk().CmdFillBuffer(commands_, buffer.handle(), 0, VK_WHOLE_SIZE, word);
}

void Sequence::timestamp() {
  if (profiling_) throw std::logic_error("gpu::Sequence: timestamp() while profiling kernels");
  if (timestamps_ == kMaxTimestamps)
    throw std::length_error("gpu::Sequence: at most 64 timestamps");
  writeTimestamp();
}

void Sequence::writeTimestamp() {
  const auto& vk = context_.vk();
  if (context_.limits().timestampValidBits == 0)
    throw GpuError("The GPU queue of " + context_.info().name + " has no timestamps.");
  if (state_ == State::Ready)
    throw std::logic_error("gpu::Sequence: recording after submit(); call clear() first");
  const uint32_t capacity = profiling_ ? kMaxProfiledDispatches + 1 : kMaxTimestamps;
  if (queries_ && queryCapacity_ < capacity) {
    vk.DestroyQueryPool(context_.device(), queries_, nullptr);
    queries_ = VK_NULL_HANDLE;
  }
  if (!queries_) {
    auto info = vk::make<VkQueryPoolCreateInfo>(VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO);
    info.queryType = VK_QUERY_TYPE_TIMESTAMP;
    info.queryCount = capacity;
    vk::check(vk.CreateQueryPool(context_.device(), &info, nullptr, &queries_), "vkCreateQueryPool");
    queryCapacity_ = capacity;
  }
  if (state_ == State::Empty) {
    auto begin = vk::make<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    vk::check(vk.BeginCommandBuffer(commands_, &begin), "vkBeginCommandBuffer");
    state_ = State::Recording;
  }
  // Queries must be reset before each use; recording the reset makes resubmission work.
  if (timestamps_ == 0) vk.CmdResetQueryPool(commands_, queries_, 0, queryCapacity_);
  vk.CmdWriteTimestamp(commands_, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, queries_, timestamps_++);
}

void Sequence::submit() {
  const auto& vk = context_.vk();
  if (state_ == State::Empty) return;
  if (state_ == State::Recording) {
    // Make the results visible to the host (a fence alone does not).
    barrier(vk, commands_, VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    vk::check(vk.EndCommandBuffer(commands_), "vkEndCommandBuffer");
    state_ = State::Ready;
  }
  vk::check(vk.ResetFences(context_.device(), 1, &fence_), "vkResetFences");
  const auto began = std::chrono::steady_clock::now();
  context_.submit(commands_, fence_);
  vk::check(vk.WaitForFences(context_.device(), 1, &fence_, VK_TRUE, UINT64_MAX), "vkWaitForFences");
  lastSubmitMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
}

void Sequence::clear() {
  const auto& vk = context_.vk();
  vk::check(vk.ResetCommandPool(context_.device(), pool_, 0), "vkResetCommandPool");
  for (VkDescriptorPool pool : descriptorPools_) vk.ResetDescriptorPool(context_.device(), pool, 0);
  currentPool_ = 0;
  timestamps_ = 0;
  profiledShaders_.clear();
  state_ = State::Empty;
}

void Sequence::setProfiling(bool on) {
  if (state_ != State::Empty)
    throw std::logic_error("gpu::Sequence: setProfiling() on a recorded sequence; call clear() first");
  profiling_ = on;
}

std::vector<double> Sequence::timestampsMs() const {
  return profiling_ ? std::vector<double>{} : readTimestampsMs();
}

std::vector<KernelTime> Sequence::kernelTimes() const {
  if (!profiling_) return {};
  const std::vector<double> ms = readTimestampsMs();
  std::vector<KernelTime> times;
  for (size_t i = 0; i < profiledShaders_.size() && i + 1 < ms.size(); ++i)
    times.push_back({profiledShaders_[i], ms[i + 1] - ms[i]});
  return times;
}

std::vector<double> Sequence::readTimestampsMs() const {
  if (timestamps_ == 0 || state_ != State::Ready) return {};
  std::vector<uint64_t> ticks(timestamps_);
  vk::check(context_.vk().GetQueryPoolResults(context_.device(), queries_, 0, timestamps_,
                                              ticks.size() * sizeof(uint64_t), ticks.data(),
                                              sizeof(uint64_t),
                                              VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
            "vkGetQueryPoolResults");
  const uint32_t bits = context_.limits().timestampValidBits;
  const uint64_t mask = bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
  std::vector<double> ms;
  for (uint64_t t : ticks)
    ms.push_back(double((t - ticks[0]) & mask) * context_.limits().timestampPeriodNs * 1e-6);
  return ms;
}

}  // namespace audiosplat::gpu
