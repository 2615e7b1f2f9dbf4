#include "gpu/kernel.h"

#include <stdexcept>
#include <vector>

#include "gpu/context.h"
#include "gpu/error.h"
#include "gpu/shader_registry.h"

namespace audiosplat::gpu {

Kernel::Kernel(Context& context, const KernelSpec& spec) : context_(context), spec_(spec) {
  const std::span<const uint32_t> code = shaderCode(spec.shader);
  if (code.empty()) throw GpuError("No embedded shader named " + spec.shader);
  // Checked on every device, so that a kernel without its twin fails here and not only on
  // devices with a small texel limit.
  if ((spec.texelFloats | spec.texelPairs) && shaderCode(spec.shader + "_storage").empty())
    throw std::logic_error("Kernel " + spec.shader + " reads texel buffers but has no storage twin "
                           "(STORAGE_TWINS in shaders/CMakeLists.txt)");
  if (spec.pushConstantBytes > 128 || spec.pushConstantBytes % 4 != 0)
    throw std::invalid_argument("Kernel " + spec.shader + ": push constants must be 4-byte "
                                "multiples of at most 128 bytes");
  if (spec.workgroupSize == 0 || spec.workgroupSize > context.limits().maxWorkgroupInvocations ||
      spec.workgroupSize > context.limits().maxWorkgroupSizeX)
    throw std::invalid_argument("Kernel " + spec.shader + ": workgroup size " +
                                std::to_string(spec.workgroupSize) + " exceeds the device limit");
  const auto& vk = context.vk();
  const VkDevice device = context.device();
  VkShaderModule module = VK_NULL_HANDLE;
  try {
    std::vector<VkDescriptorSetLayoutBinding> bindings(spec.buffers);
    for (uint32_t i = 0; i < spec.buffers; ++i)
      bindings[i] = {i, spec.texel(i) ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                     1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    auto setInfo = vk::make<VkDescriptorSetLayoutCreateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO);
    setInfo.bindingCount = spec.buffers;
    setInfo.pBindings = bindings.data();
    vk::check(vk.CreateDescriptorSetLayout(device, &setInfo, nullptr, &setLayout_),
              "vkCreateDescriptorSetLayout");

    VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, spec.pushConstantBytes};
    auto layoutInfo = vk::make<VkPipelineLayoutCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &setLayout_;
    layoutInfo.pushConstantRangeCount = spec.pushConstantBytes ? 1 : 0;
    layoutInfo.pPushConstantRanges = &push;
    vk::check(vk.CreatePipelineLayout(device, &layoutInfo, nullptr, &layout_),
              "vkCreatePipelineLayout");

    auto moduleInfo = vk::make<VkShaderModuleCreateInfo>(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
    moduleInfo.codeSize = code.size_bytes();
    moduleInfo.pCode = code.data();
    vk::check(vk.CreateShaderModule(device, &moduleInfo, nullptr, &module), "vkCreateShaderModule");

    std::vector<uint32_t> values{spec.workgroupSize};
    values.insert(values.end(), spec.constants.begin(), spec.constants.end());
    std::vector<VkSpecializationMapEntry> entries(values.size());
    for (uint32_t i = 0; i < values.size(); ++i)
      entries[i] = {i, uint32_t(i * sizeof(uint32_t)), sizeof(uint32_t)};
    VkSpecializationInfo specialization{uint32_t(entries.size()), entries.data(),
                                        values.size() * sizeof(uint32_t), values.data()};
    auto pipelineInfo = vk::make<VkComputePipelineCreateInfo>(VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
    pipelineInfo.stage = vk::make<VkPipelineShaderStageCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO);
    pipelineInfo.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    pipelineInfo.stage.module = module;
    pipelineInfo.stage.pName = "main";
    pipelineInfo.stage.pSpecializationInfo = &specialization;
    pipelineInfo.layout = layout_;
    vk::check(vk.CreateComputePipelines(device, VK_NULL_HANDLE, 1, &pipelineInfo, nullptr, &pipeline_),
              ("vkCreateComputePipelines(" + spec.shader + ")").c_str());
  } catch (...) {
    if (module) vk.DestroyShaderModule(device, module, nullptr);
    release();
    throw;
  }
  vk.DestroyShaderModule(device, module, nullptr);  // the pipeline keeps what it needs
}

Kernel::~Kernel() { release(); }

void Kernel::release() {
  const auto& vk = context_.vk();
  if (pipeline_) vk.DestroyPipeline(context_.device(), pipeline_, nullptr);
  if (layout_) vk.DestroyPipelineLayout(context_.device(), layout_, nullptr);
  if (setLayout_) vk.DestroyDescriptorSetLayout(context_.device(), setLayout_, nullptr);
  pipeline_ = VK_NULL_HANDLE;
  layout_ = VK_NULL_HANDLE;
  setLayout_ = VK_NULL_HANDLE;
}

}  // namespace audiosplat::gpu
