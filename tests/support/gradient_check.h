#pragma once
// Central-difference checks of a hand-written gradient of a scalar function of a signal,
// and the deterministic random signals the loss tests feed them.
#include <QString>
#include <functional>
#include <vector>

namespace audiosplat::test {

// Standard-normal samples (the model's noise generator) times amplitude.
std::vector<double> randomSignal(uint32_t seed, size_t n, double amplitude = 1.0);
// count indices in [0, n), deterministic in seed.
std::vector<size_t> randomIndices(uint32_t seed, size_t n, size_t count);

// Central differences of f at x with step h along each index, against grad: the error's
// norm must be within rel of the gradient's norm and every coordinate's error within rel of
// its RMS (over the checked indices). Returns an empty string when it passes.
// The step trades the loss's rounding (~ulp / h) against the kinks of |.| in L1 terms (a
// step that crosses one is off by O(1 / sqrt(bins)) relative): see each caller.
QString checkGradient(const std::function<double(const std::vector<double>&)>& f, std::vector<double> x,
                      const std::vector<double>& grad, const std::vector<size_t>& indices, double h,
                      double rel);

}  // namespace audiosplat::test
