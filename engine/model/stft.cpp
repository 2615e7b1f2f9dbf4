#include "model/stft.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "dsp/fft.h"

namespace audiosplat::loss {

Stft::Stft(size_t length, int window, int hop, int pad)
    : length_(length), window_(window), hop_(hop), pad_(pad), frames_(0), hann_(size_t(window)) {
  if (window < 2 || window % 2 != 0 || hop < 1 || pad < 0)
    throw std::invalid_argument("Stft: window must be even and >= 2, hop >= 1, pad >= 0");
  const long long padded = static_cast<long long>(length) + 2LL * pad;
  if (padded < window) throw std::invalid_argument("Stft: signal shorter than one frame");
  frames_ = int((padded - window) / hop + 1);
  for (int j = 0; j < window; ++j) hann_[size_t(j)] = 0.5 - 0.5 * std::cos(2.0 * M_PI * j / window);
}

void Stft::checkLength(size_t n) const {
  if (n != length_) throw std::invalid_argument("Stft: signal length differs from the plan");
}

Stft::Span Stft::frameSpan(int t) const {
  const long long start = static_cast<long long>(t) * hop_ - pad_;
  const long long end = start + window_;
  const long long n = static_cast<long long>(length_);
  return {start, int(std::max(0LL, -start)), int(window_ - std::max(0LL, end - n))};
}

void Stft::frameSpectrum(std::span<const double> x, int t, std::span<double> frame,
                         std::span<Complex> spectrum) const {
  const Span span = frameSpan(t);
  std::fill(frame.begin(), frame.end(), 0.0);
  for (int j = span.first; j < span.last; ++j) frame[size_t(j)] = hann_[size_t(j)] * x[size_t(span.start + j)];
  dsp::rfft(frame, spectrum);
}

void Stft::addFrameAdjoint(std::span<Complex> grad, int t, std::span<double> frame,
                           std::span<double> gradX) const {
  // dL/dframe[j] = sum_k Re(grad_k e^{+2 pi i k j / W}) = W irfft(grad_k / c_k)[j] with the
  // Hermitian weights c_k = 2 between DC and Nyquist, 1 at both; irfft ignores the
  // imaginary parts at DC and Nyquist, which indeed do not depend on the frame.
  for (size_t k = 1; k + 1 < grad.size(); ++k) grad[k] *= 0.5;
  dsp::irfft(grad, frame);
  const Span span = frameSpan(t);
  for (int j = span.first; j < span.last; ++j)
    gradX[size_t(span.start + j)] += double(window_) * hann_[size_t(j)] * frame[size_t(j)];
}

void Stft::spectra(std::span<const double> x, std::span<Complex> out) const {
  checkLength(x.size());
  if (out.size() != size()) throw std::invalid_argument("Stft::spectra: output size");
  std::vector<double> frame(static_cast<size_t>(window_));
  const size_t nb = size_t(bins());
  for (int t = 0; t < frames_; ++t) frameSpectrum(x, t, frame, out.subspan(size_t(t) * nb, nb));
}

void Stft::addSpectraAdjoint(std::span<const Complex> grad, std::span<double> gradX) const {
  checkLength(gradX.size());
  if (grad.size() != size()) throw std::invalid_argument("Stft::addSpectraAdjoint: gradient size");
  std::vector<double> frame(static_cast<size_t>(window_));
  const size_t nb = size_t(bins());
  std::vector<Complex> g(nb);
  for (int t = 0; t < frames_; ++t) {
    const auto src = grad.subspan(size_t(t) * nb, nb);
    g.assign(src.begin(), src.end());
    addFrameAdjoint(g, t, frame, gradX);
  }
}

void Stft::magnitudes(std::span<const double> x, std::span<double> out) const {
  checkLength(x.size());
  if (out.size() != size()) throw std::invalid_argument("Stft::magnitudes: output size");
  std::vector<double> frame(static_cast<size_t>(window_));
  const size_t nb = size_t(bins());
  std::vector<Complex> z(nb);
  for (int t = 0; t < frames_; ++t) {
    frameSpectrum(x, t, frame, z);
    for (size_t k = 0; k < nb; ++k) out[size_t(t) * nb + k] = std::sqrt(std::norm(z[k]) + kMagnitudeEpsilon);
  }
}

void Stft::addMagnitudesBackward(std::span<const double> x, std::span<const double> gradMagnitudes,
                                 std::span<double> gradX) const {
  checkLength(x.size());
  checkLength(gradX.size());
  if (gradMagnitudes.size() != size()) throw std::invalid_argument("Stft::addMagnitudesBackward: gradient size");
  // Frame by frame: recompute the spectrum z, then d|z|/d(re, im) = (re, im) / |z|.
  std::vector<double> frame(static_cast<size_t>(window_));
  const size_t nb = size_t(bins());
  std::vector<Complex> z(nb);
  for (int t = 0; t < frames_; ++t) {
    frameSpectrum(x, t, frame, z);
    for (size_t k = 0; k < nb; ++k)
      z[k] *= gradMagnitudes[size_t(t) * nb + k] / std::sqrt(std::norm(z[k]) + kMagnitudeEpsilon);
    addFrameAdjoint(z, t, frame, gradX);
  }
}

}  // namespace audiosplat::loss
