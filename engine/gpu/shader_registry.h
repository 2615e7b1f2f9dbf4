#pragma once
// SPIR-V modules compiled from shaders/*.comp at build time and embedded in the binary.
#include <cstdint>
#include <span>
#include <string_view>

namespace audiosplat::gpu {
// The SPIR-V words of shaders/<name>.comp; empty when there is no such shader.
std::span<const uint32_t> shaderCode(std::string_view name);
}
