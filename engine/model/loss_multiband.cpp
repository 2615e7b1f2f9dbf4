#include "model/loss_multiband.h"

#include <array>
#include <cmath>
#include <stdexcept>

#include "dsp/fft.h"
#include "model/stft.h"

namespace audiosplat::loss {
namespace {

constexpr size_t kSmallestBand = 512;
struct WindowHop {
  int window, hop;
};
constexpr std::array<WindowHop, 3> kBandStfts{{{128, 64}, {64, 32}, {16, 8}}};
constexpr WindowHop kFullBandStft{2048, 256};

// Band s keeps the bins [s/4, s/2) of x's spectrum, the smallest band [0, s/2): every bin
// below N/2 lies in exactly one band, and X's Nyquist bin in none.
size_t bandLow(size_t s) { return s == kSmallestBand ? 0 : s / 4; }

// The layout and one STFT per group for signals of length N; built once per call (its
// only cost is the Hann windows) and read-only afterwards.
class Multiband {
 public:
  explicit Multiband(size_t n) : layout_(multibandLayout(n)) {
    stfts_.reserve(layout_.groups.size());
    for (const auto& g : layout_.groups)
      stfts_.emplace_back(g.bandSize ? size_t(g.bandSize) : n, g.window, g.hop, 0);
  }

  const FeatureLayout& layout() const { return layout_; }

  void features(std::span<const double> x, std::span<double> out) const {
    checkLength(x.size());
    const std::vector<Complex> spectrum = orthonormalSpectrum(x);
    std::vector<double> band;
    size_t g = 0;
    for (size_t s = kSmallestBand; s <= layout_.length; s *= 2) {
      bandSignal(spectrum, s, band);
      for (size_t k = 0; k < kBandStfts.size(); ++k, ++g) stfts_[g].magnitudes(band, groupSpan(out, g));
    }
    stfts_[g].magnitudes(x, groupSpan(out, g));
  }

  void addBackward(std::span<const double> x, std::span<const double> grad,
                   std::span<double> gradX) const {
    checkLength(x.size());
    checkLength(gradX.size());
    if (grad.size() != layout_.total) throw std::invalid_argument("multiband: gradient size");
    const size_t n = layout_.length;
    const std::vector<Complex> spectrum = orthonormalSpectrum(x);
    // Gradient with respect to X, already divided by x's Hermitian weights (see below).
    std::vector<Complex> gradSpectrum(n / 2 + 1, Complex(0.0));
    std::vector<double> band, gradBand;
    size_t g = 0;
    for (size_t s = kSmallestBand; s <= n; s *= 2) {
      bandSignal(spectrum, s, band);
      gradBand.assign(s, 0.0);
      for (size_t k = 0; k < kBandStfts.size(); ++k, ++g)
        stfts_[g].addMagnitudesBackward(band, groupSpan(grad, g), gradBand);
      // b = irfft_ortho(B): dL/dB_q = c_q rfft(gb)_q / sqrt(s) with its Hermitian weight c_q;
      // X = rfft(x) / sqrt(N) then needs dL/dX_q / c_q. Every band bin is interior in both
      // transforms or DC in both, so the weights cancel.
      const std::vector<Complex> gb = dsp::rfft(gradBand);
      const double scale = 1.0 / std::sqrt(double(s));
      for (size_t q = bandLow(s); q < s / 2; ++q) gradSpectrum[q] = gb[q] * scale;
    }
    std::vector<double> fromBands(n);
    dsp::irfft(gradSpectrum, fromBands);
    const double scale = std::sqrt(double(n));  // irfft's 1/N against the orthonormal 1/sqrt(N)
    for (size_t i = 0; i < n; ++i) gradX[i] += scale * fromBands[i];
    stfts_[g].addMagnitudesBackward(x, groupSpan(grad, g), gradX);
  }

 private:
  void checkLength(size_t n) const {
    if (n != layout_.length) throw std::invalid_argument("multiband: signal length differs");
  }

  template <class T>
  std::span<T> groupSpan(std::span<T> all, size_t g) const {
    return all.subspan(layout_.groups[g].offset, layout_.groups[g].size());
  }

  std::vector<Complex> orthonormalSpectrum(std::span<const double> x) const {
    std::vector<Complex> spectrum = dsp::rfft(x);
    const double scale = 1.0 / std::sqrt(double(x.size()));
    for (Complex& v : spectrum) v *= scale;
    return spectrum;
  }

  // b_s = irfft_s(B_s) / sqrt(s) with the unnormalised Hermitian inverse (orthonormal):
  // dsp::irfft already divides by s, hence the factor sqrt(s).
  static void bandSignal(std::span<const Complex> spectrum, size_t s, std::vector<double>& band) {
    std::vector<Complex> bins(s / 2 + 1, Complex(0.0));
    for (size_t q = bandLow(s); q < s / 2; ++q) bins[q] = spectrum[q];
    band.resize(s);
    dsp::irfft(bins, band);
    const double scale = std::sqrt(double(s));
    for (double& v : band) v *= scale;
  }

  FeatureLayout layout_;
  std::vector<Stft> stfts_;
};

double sign(double v) { return double(v > 0.0) - double(v < 0.0); }

}  // namespace

FeatureLayout multibandLayout(size_t length) {
  if (length < kMultibandMinLength || (length & (length - 1)) != 0)
    throw std::invalid_argument("multiband: the length must be a power of two >= 2048");
  FeatureLayout layout;
  layout.length = length;
  auto add = [&](int bandSize, WindowHop stft, size_t signalLength) {
    FeatureLayout::Group g{bandSize, stft.window, stft.hop,
                           int((signalLength - size_t(stft.window)) / size_t(stft.hop) + 1),
                           stft.window / 2 + 1, layout.total};
    layout.groups.push_back(g);
    layout.total += g.size();
  };
  for (size_t s = kSmallestBand; s <= length; s *= 2)
    for (const WindowHop& stft : kBandStfts) add(int(s), stft, s);
  add(0, kFullBandStft, length);
  return layout;
}

std::vector<double> multibandFeatures(std::span<const double> x) {
  const Multiband multiband(x.size());
  std::vector<double> out(multiband.layout().total);
  multiband.features(x, out);
  return out;
}

double multibandLoss(std::span<const double> targetFeatures, std::span<const double> summedFeatures,
                     const FeatureLayout& layout, std::vector<double>* gradFeatures) {
  if (targetFeatures.size() != layout.total || summedFeatures.size() != layout.total)
    throw std::invalid_argument("multibandLoss: feature sizes differ from the layout");
  if (gradFeatures) gradFeatures->assign(layout.total, 0.0);
  double loss = 0.0;
  for (const auto& g : layout.groups) {
    const double perFeature = 1.0 / double(g.size());  // each group's mean
    double sum = 0.0;
    for (size_t i = g.offset; i < g.offset + g.size(); ++i) {
      const double residual = summedFeatures[i] - targetFeatures[i];
      sum += std::abs(residual);
      if (gradFeatures) (*gradFeatures)[i] = sign(residual) * perFeature;
    }
    loss += sum * perFeature;
  }
  return loss;
}

std::vector<double> multibandFeaturesBackward(std::span<const double> x,
                                              std::span<const double> gradFeatures) {
  const Multiband multiband(x.size());
  std::vector<double> gradX(x.size(), 0.0);
  multiband.addBackward(x, gradFeatures, gradX);
  return gradX;
}

double multibandLossForAtoms(std::span<const double> targetFeatures,
                             const std::vector<std::vector<double>>& atomSignals,
                             std::vector<std::vector<double>>* gradAtomSignals) {
  if (atomSignals.empty()) throw std::invalid_argument("multibandLossForAtoms: no atom");
  const Multiband multiband(atomSignals.front().size());
  const FeatureLayout& layout = multiband.layout();
  // Only the running sum is kept: 64 atoms' features at N = 2^15 would take 170 MB.
  std::vector<double> summed(layout.total, 0.0), atomFeatures(layout.total);
  for (const auto& signal : atomSignals) {
    multiband.features(signal, atomFeatures);
    for (size_t i = 0; i < layout.total; ++i) summed[i] += atomFeatures[i];
  }
  if (!gradAtomSignals) return multibandLoss(targetFeatures, summed, layout, nullptr);
  std::vector<double> gradFeatures;
  const double loss = multibandLoss(targetFeatures, summed, layout, &gradFeatures);
  // The loss sees only the sum, so every atom receives the same dLoss/dFeatures.
  gradAtomSignals->resize(atomSignals.size());
  for (size_t a = 0; a < atomSignals.size(); ++a) {
    (*gradAtomSignals)[a].assign(layout.length, 0.0);
    multiband.addBackward(atomSignals[a], gradFeatures, (*gradAtomSignals)[a]);
  }
  return loss;
}

}  // namespace audiosplat::loss
