#pragma once
// Chooses where a fit runs from what a person typed: "cpu" for the double-precision
// reference, a Vulkan device index, or "" for the best device there is (a discrete GPU,
// else integrated, else lavapipe; AUDIOSPLAT_DEVICE=N overrides).
#include <memory>
#include <string>

#include "fit/gradient_backend.h"

namespace audiosplat::fit {

// Throws std::runtime_error with a message for a person when the choice is not available.
std::unique_ptr<GradientBackend> makeBackend(const std::string& device);

// One line per choice makeBackend takes ("0: llvmpipe (...) - CPU, Vulkan 1.3, ..." and
// "cpu: ..."), for --device list; the Vulkan part says what is missing when there is none.
std::string describeDevices();

}  // namespace audiosplat::fit
