#pragma once
// Band-limited fractional delay (docs/atom-model.md, step 8): K(x) = sinc(x) cos^2(pi x/(2W)).
#include <array>

namespace audiosplat::reference {

constexpr int kDelayHalfWidth = 8;  // W: the kernel spans 2W taps

double delayKernel(double x);
double delayKernelSlope(double x);  // dK/dx

// The 2W taps for a delay with fractional part f in [0, 1): taps[i] = K(d - f) with
// d = i - W + 1, so that x[q] = sum_i s[q - I - d] taps[i] for D = I + f.
struct DelayTaps {
  std::array<double, 2 * kDelayHalfWidth> value;
  std::array<double, 2 * kDelayHalfWidth> slope;  // K'(d - f)
};
DelayTaps delayTaps(double fraction);

}  // namespace audiosplat::reference
