#pragma once
// Chooses where a fit runs from what a person typed: "cpu" for the double-precision
// reference, a Vulkan device index, or "" for the best device there is.
#include <memory>
#include <string>

#include "fit/gradient_backend.h"

namespace audiosplat::fit {

// Throws std::runtime_error with a message for a person when the choice is not available.
std::unique_ptr<GradientBackend> makeBackend(const std::string& device);

}  // namespace audiosplat::fit
