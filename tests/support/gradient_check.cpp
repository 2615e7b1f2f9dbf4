#include "gradient_check.h"

#include <cmath>

#include "model/noise.h"

namespace audiosplat::test {

std::vector<double> randomSignal(uint32_t seed, size_t n, double amplitude) {
  std::vector<double> x(n);
  audiosplat::noise::fill(seed, x);
  for (double& v : x) v *= amplitude;
  return x;
}

std::vector<size_t> randomIndices(uint32_t seed, size_t n, size_t count) {
  std::vector<size_t> indices;
  for (uint32_t k = 0; k < count; ++k) indices.push_back(audiosplat::noise::hash(seed, k) % n);
  return indices;
}

QString checkGradient(const std::function<double(const std::vector<double>&)>& f, std::vector<double> x,
                      const std::vector<double>& grad, const std::vector<size_t>& indices, double h,
                      double rel) {
  double error2 = 0.0, grad2 = 0.0, worst = 0.0;
  QString worstAt;
  for (size_t i : indices) {
    const double x0 = x[i];
    x[i] = x0 + h;
    const double plus = f(x);
    x[i] = x0 - h;
    const double minus = f(x);
    x[i] = x0;
    const double fd = (plus - minus) / ((x0 + h) - (x0 - h));
    const double error = std::abs(fd - grad[i]);
    error2 += error * error;
    grad2 += grad[i] * grad[i];
    if (error > worst) {
      worst = error;
      worstAt = QString("index %1: analytic %2, numeric %3").arg(i).arg(grad[i], 0, 'g', 12).arg(fd, 0, 'g', 12);
    }
  }
  const double rms = std::sqrt(grad2 / double(indices.size()));
  if (grad2 == 0.0) return "the gradient is zero at every checked index";
  if (std::sqrt(error2) > rel * std::sqrt(grad2) || worst > rel * rms)
    return QString("error norm %1 vs gradient norm %2; worst %3")
        .arg(std::sqrt(error2)).arg(std::sqrt(grad2)).arg(worstAt);
  return {};
}

}  // namespace audiosplat::test
