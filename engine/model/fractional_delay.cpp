#include "model/fractional_delay.h"

#include <cmath>

namespace audiosplat::reference {
namespace {
constexpr double kW = kDelayHalfWidth;

double sinc(double x) {
  if (std::abs(x) < 1e-8) return 1.0 - M_PI * M_PI * x * x / 6.0;
  return std::sin(M_PI * x) / (M_PI * x);
}

double sincSlope(double x) {
  if (std::abs(x) < 1e-4) return -M_PI * M_PI * x / 3.0;
  return (std::cos(M_PI * x) - sinc(x)) / x;
}
}  // namespace

double delayKernel(double x) {
  if (std::abs(x) >= kW) return 0.0;
  const double c = std::cos(M_PI * x / (2.0 * kW));
  return sinc(x) * c * c;
}

double delayKernelSlope(double x) {
  if (std::abs(x) >= kW) return 0.0;
  const double c = std::cos(M_PI * x / (2.0 * kW));
  return sincSlope(x) * c * c - sinc(x) * (M_PI / (2.0 * kW)) * std::sin(M_PI * x / kW);
}

DelayTaps delayTaps(double fraction) {
  DelayTaps taps;
  for (int i = 0; i < 2 * kDelayHalfWidth; ++i) {
    const double x = double(i - kDelayHalfWidth + 1) - fraction;
    taps.value[i] = delayKernel(x);
    taps.slope[i] = delayKernelSlope(x);
  }
  return taps;
}

}  // namespace audiosplat::reference
