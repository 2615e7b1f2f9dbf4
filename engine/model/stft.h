#pragma once
// A short-time Fourier transform with an explicit frame convention, and its adjoint:
// the building block of both losses (docs/atom-model.md, "Losses").
#include <complex>
#include <cstddef>
#include <span>
#include <vector>

namespace audiosplat::loss {

using Complex = std::complex<double>;

// Magnitudes are sqrt(re^2 + im^2 + kMagnitudeEpsilon): differentiable at 0.
inline constexpr double kMagnitudeEpsilon = 1e-18;

// STFT of a signal of fixed length n. Frame t (0 <= t < frames()) covers
// x[t hop - pad, t hop - pad + window), zero outside x, times the periodic Hann window
// w[j] = 0.5 - 0.5 cos(2 pi j / window), through an unnormalised real FFT (bins
// 0 .. window/2). frames() = (n + 2 pad - window) / hop + 1, so pad = 0 keeps the frames
// that lie inside x (multiband) and pad = window/2 centres frame t on sample t hop (mrstft).
// Every value is stored frame-major: index t * bins() + k. The methods are const and
// allocate their own scratch, so one object may serve several threads.
class Stft {
 public:
  Stft(size_t length, int window, int hop, int pad);

  size_t length() const { return length_; }
  int window() const { return window_; }
  int hop() const { return hop_; }
  int pad() const { return pad_; }
  int frames() const { return frames_; }
  int bins() const { return window_ / 2 + 1; }
  size_t size() const { return size_t(frames_) * size_t(bins()); }

  void spectra(std::span<const double> x, std::span<Complex> out) const;
  // Adds to gradX the adjoint of spectra() applied to grad, where grad holds
  // dL/dRe + i dL/dIm of every value.
  void addSpectraAdjoint(std::span<const Complex> grad, std::span<double> gradX) const;

  void magnitudes(std::span<const double> x, std::span<double> out) const;
  // Adds to gradX the vector-Jacobian product of magnitudes(x) with gradMagnitudes.
  void addMagnitudesBackward(std::span<const double> x, std::span<const double> gradMagnitudes,
                             std::span<double> gradX) const;

 private:
  // Frame t starts at sample `start`; its window positions [first, last) lie inside x.
  struct Span {
    long long start;
    int first, last;
  };
  Span frameSpan(int t) const;
  void frameSpectrum(std::span<const double> x, int t, std::span<double> frame,
                     std::span<Complex> spectrum) const;
  // Consumes grad (it is rescaled in place) and uses frame as scratch.
  void addFrameAdjoint(std::span<Complex> grad, int t, std::span<double> frame,
                       std::span<double> gradX) const;
  void checkLength(size_t n) const;

  size_t length_;
  int window_, hop_, pad_, frames_;
  std::vector<double> hann_;
};

}  // namespace audiosplat::loss
