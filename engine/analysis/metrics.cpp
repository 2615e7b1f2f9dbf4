#include "analysis/metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsp/fft.h"

namespace audiosplat::analysis {
namespace {

// Magnitude frames of a centred STFT as torch.stft(center=True, pad_mode='reflect'):
// frame k covers padded samples [k hop, k hop + nFft) of the signal reflect-padded by
// nFft/2 at both ends, under a periodic Hann window; unnormalised real FFT.
class CentredStft {
 public:
  CentredStft(size_t nFft, size_t hop)
      : nFft_(nFft),
        hop_(hop),
        window_(nFft),
        frame_(nFft),
        spectrum_(nFft / 2 + 1),
        magnitudes_(nFft / 2 + 1) {
    for (size_t n = 0; n < nFft; ++n)
      window_[n] = 0.5 - 0.5 * std::cos(2 * M_PI * double(n) / double(nFft));
  }

  size_t frameCount(size_t length) const { return 1 + length / hop_; }
  size_t bins() const { return nFft_ / 2 + 1; }

  // Needs x.size() > nFft/2 (reflection cannot reach past the other end).
  const std::vector<double>& magnitudes(std::span<const double> x, size_t frame) {
    const ptrdiff_t length = ptrdiff_t(x.size());
    const ptrdiff_t start = ptrdiff_t(frame * hop_) - ptrdiff_t(nFft_ / 2);
    for (size_t n = 0; n < nFft_; ++n) {
      ptrdiff_t j = start + ptrdiff_t(n);
      if (j < 0) j = -j;
      if (j >= length) j = 2 * (length - 1) - j;
      frame_[n] = window_[n] * x[size_t(j)];
    }
    dsp::rfft(frame_, spectrum_);
    for (size_t q = 0; q < spectrum_.size(); ++q) magnitudes_[q] = std::abs(spectrum_[q]);
    return magnitudes_;
  }

 private:
  size_t nFft_, hop_;
  std::vector<double> window_, frame_;
  std::vector<dsp::Complex> spectrum_;
  std::vector<double> magnitudes_;
};

// Spectral convergence plus mean absolute log-magnitude difference at one resolution;
// y is the reference, x the estimate.
double stftDistance(std::span<const double> y, std::span<const double> x, size_t nFft) {
  CentredStft ys(nFft, nFft / 4), xs(nFft, nFft / 4);
  double differenceSquares = 0, referenceSquares = 0, logDifferences = 0;
  const size_t frames = ys.frameCount(y.size());
  for (size_t k = 0; k < frames; ++k) {
    const std::vector<double>& Y = ys.magnitudes(y, k);
    const std::vector<double>& X = xs.magnitudes(x, k);
    for (size_t q = 0; q < Y.size(); ++q) {
      differenceSquares += (Y[q] - X[q]) * (Y[q] - X[q]);
      referenceSquares += Y[q] * Y[q];
      logDifferences += std::abs(std::log(Y[q] + 1e-7) - std::log(X[q] + 1e-7));
    }
  }
  return std::sqrt(differenceSquares) / std::sqrt(referenceSquares) +
         logDifferences / double(frames * ys.bins());
}

double logSpectralDistance(std::span<const double> reference, std::span<const double> estimate) {
  constexpr size_t kFft = 2048, kHop = 512;
  constexpr double kEps = 1e-10;
  CentredStft rs(kFft, kHop), es(kFft, kHop);
  const size_t frames = rs.frameCount(reference.size());
  double sum = 0;
  for (size_t k = 0; k < frames; ++k) {
    const std::vector<double>& R = rs.magnitudes(reference, k);
    const std::vector<double>& E = es.magnitudes(estimate, k);
    double squares = 0;
    for (size_t q = 0; q < R.size(); ++q) {
      const double d = 10 * std::log10(R[q] * R[q] + kEps) - 10 * std::log10(E[q] * E[q] + kEps);
      squares += d * d;
    }
    sum += std::sqrt(squares / double(R.size()));
  }
  return sum / double(frames);
}

double dot(std::span<const double> a, std::span<const double> b) {
  double sum = 0;
  for (size_t n = 0; n < a.size(); ++n) sum += a[n] * b[n];
  return sum;
}

double snrDb(std::span<const double> reference, std::span<const double> estimate) {
  double error = 0;
  for (size_t n = 0; n < reference.size(); ++n)
    error += (reference[n] - estimate[n]) * (reference[n] - estimate[n]);
  return 10 * std::log10(dot(reference, reference) / error);
}

double siSdrDb(std::span<const double> reference, std::span<const double> estimate) {
  const double referenceEnergy = dot(reference, reference);
  const double scale = dot(estimate, reference) / referenceEnergy;
  double error = 0;
  for (size_t n = 0; n < reference.size(); ++n) {
    const double e = scale * reference[n] - estimate[n];
    error += e * e;
  }
  return 10 * std::log10(scale * scale * referenceEnergy / error);
}

}  // namespace

Metrics evaluate(std::span<const double> reference, std::span<const double> estimate) {
  const size_t length = std::min(reference.size(), estimate.size());
  if (length < kMinEvaluateLength)
    throw std::invalid_argument("evaluate: " + std::to_string(length) +
                                " samples are too few; the 2048-point STFT needs at least " +
                                std::to_string(kMinEvaluateLength));
  reference = reference.first(length);
  estimate = estimate.first(length);
  double mrstft = 0;
  for (size_t nFft : {512, 1024, 2048}) mrstft += stftDistance(reference, estimate, nFft);
  return Metrics{mrstft / 3, logSpectralDistance(reference, estimate), snrDb(reference, estimate),
                 siSdrDb(reference, estimate)};
}

}  // namespace audiosplat::analysis
