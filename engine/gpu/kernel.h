#pragma once
// A compute pipeline made from embedded SPIR-V (shaders/<name>.comp): N buffers at set 0,
// bindings 0..N-1 (storage buffers, or read-only uniform texel buffers of floats or float
// pairs: `uniform samplerBuffer`, faster to read on lavapipe; such a shader also builds a
// <name>_storage twin, see shaders/CMakeLists.txt), push constants, and specialization constants: constant_id 0 is the
// workgroup size (declare `layout(local_size_x_id = 0) in;`), 1, 2, ... are the extras.
// Get one through Context::kernel(spec), which makes each pipeline once.
#include <cstdint>
#include <string>
#include <vector>

#include "gpu/vulkan_api.h"

namespace audiosplat::gpu {

class Context;

struct KernelSpec {
  std::string shader;                // name of shaders/<shader>.comp
  uint32_t buffers = 1;              // bindings 0 .. buffers - 1
  uint32_t texelFloats = 0;          // bit i: binding i is a texel buffer of floats (R32)
  uint32_t texelPairs = 0;           // bit i: ... of float pairs (R32G32)
  uint32_t pushConstantBytes = 0;    // at most 128 (what every device offers)
  uint32_t workgroupSize = 64;       // local_size_x; see Context::workgroupSize
  std::vector<uint32_t> constants = {};  // constant_id 1, 2, ...

  bool texel(uint32_t binding) const { return ((texelFloats | texelPairs) >> binding) & 1u; }
  bool texelPair(uint32_t binding) const { return (texelPairs >> binding) & 1u; }
};

class Kernel {
 public:
  Kernel(Context& context, const KernelSpec& spec);  // throws GpuError
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  const KernelSpec& spec() const { return spec_; }
  VkPipeline pipeline() const { return pipeline_; }
  VkPipelineLayout layout() const { return layout_; }
  VkDescriptorSetLayout setLayout() const { return setLayout_; }

 private:
  void release();

  Context& context_;
  KernelSpec spec_;
  VkDescriptorSetLayout setLayout_ = VK_NULL_HANDLE;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  VkPipeline pipeline_ = VK_NULL_HANDLE;
};

}  // namespace audiosplat::gpu
