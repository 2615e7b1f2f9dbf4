#include "fit/backend_factory.h"

#include <stdexcept>

#include "fit/cpu_backend.h"

namespace audiosplat::fit {

std::unique_ptr<GradientBackend> makeBackend(const std::string& device) {
  if (device.empty() || device == "cpu") return std::make_unique<CpuBackend>();
  throw std::runtime_error("device '" + device + "' is not available: this build fits on the CPU only (--device cpu)");
}

}  // namespace audiosplat::fit
