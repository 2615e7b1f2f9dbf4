#pragma once
// The one exception type of the GPU module: a message a person can act on.
#include <stdexcept>
#include <string>

namespace audiosplat::gpu {

struct GpuError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace audiosplat::gpu
