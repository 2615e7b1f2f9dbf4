#include "analysis/spectrogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "dsp/fft.h"

namespace audiosplat::analysis {

Spectrogram spectrogram(std::span<const double> signal, double sampleRate, int64_t startSample,
                        const SpectrogramSettings& settings) {
  const int n = settings.fftSize;
  if (n < 16 || (n & (n - 1)) != 0 || settings.hop < 1)
    throw std::invalid_argument("spectrogram: the FFT size must be a power of two >= 16 and the hop >= 1");
  Spectrogram s;
  s.sampleRate = sampleRate;
  s.fftSize = n;
  s.hop = settings.hop;
  s.startSample = startSample;
  s.bins = n / 2 + 1;
  s.frames = signal.empty() ? 0 : int((signal.size() - 1) / size_t(settings.hop)) + 1;
  s.db.resize(size_t(s.frames) * size_t(s.bins));

  std::vector<double> window(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) window[size_t(i)] = 0.5 - 0.5 * std::cos(2.0 * M_PI * i / n);
  // A full-scale sine peaks at |X| = sum(window) / 2 = n / 4.
  const double reference = n / 4.0;
  std::vector<double> frame(static_cast<size_t>(n));
  std::vector<dsp::Complex> spectrum(static_cast<size_t>(s.bins));
  const int64_t length = int64_t(signal.size());
  for (int t = 0; t < s.frames; ++t) {
    const int64_t first = int64_t(t) * settings.hop - n / 2;
    for (int i = 0; i < n; ++i) {
      const int64_t k = first + i;
      frame[size_t(i)] = (k >= 0 && k < length) ? signal[size_t(k)] * window[size_t(i)] : 0.0;
    }
    dsp::rfft(frame, spectrum);
    float* row = s.db.data() + size_t(t) * size_t(s.bins);
    for (int b = 0; b < s.bins; ++b) {
      const double magnitude = std::abs(spectrum[size_t(b)]) / reference;
      row[b] = magnitude > 0 ? std::max(float(20.0 * std::log10(magnitude)), kSpectrogramFloorDb)
                             : kSpectrogramFloorDb;
    }
  }
  return s;
}

double LogSpectrogram::rowHz(double row) const {
  return rows > 1 ? minHz * std::pow(maxHz / minHz, row / double(rows - 1)) : minHz;
}

double LogSpectrogram::rowOf(double hz) const {
  return rows > 1 ? std::log(hz / minHz) / std::log(maxHz / minHz) * double(rows - 1) : 0.0;
}

double LogSpectrogram::frameTime(double frame) const {
  return (double(startSample) + frame * hop) / sampleRate;
}

LogSpectrogram logFrequency(const Spectrogram& s, int rows, double minHz) {
  if (rows < 2) throw std::invalid_argument("logFrequency: at least two rows");
  LogSpectrogram out;
  out.sampleRate = s.sampleRate;
  out.hop = s.hop;
  out.startSample = s.startSample;
  out.frames = s.frames;
  out.rows = rows;
  out.minHz = minHz;
  out.maxHz = s.sampleRate / 2;
  out.db.resize(size_t(rows) * size_t(s.frames));

  // Per row: either a range of bins to take the maximum of, or two bins to interpolate.
  struct RowSource {
    int first, last;  // inclusive bin range (first > last: interpolate)
    int lower;
    float fraction;
  };
  const double binHz = s.sampleRate / s.fftSize;
  std::vector<RowSource> sources(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    const double lo = out.rowHz(r - 0.5) / binHz, hi = out.rowHz(r + 0.5) / binHz;
    const double centre = std::min(out.rowHz(r) / binHz, double(s.bins - 1));
    RowSource& src = sources[size_t(r)];
    src.first = std::max(0, int(std::ceil(lo)));
    src.last = std::min(s.bins - 1, int(std::floor(hi)));
    src.lower = std::min(int(centre), s.bins - 2);
    src.fraction = float(centre - src.lower);
  }
  for (int t = 0; t < s.frames; ++t) {
    const float* bins = s.db.data() + size_t(t) * size_t(s.bins);
    for (int r = 0; r < rows; ++r) {
      const RowSource& src = sources[size_t(r)];
      float value;
      if (src.first <= src.last) {
        value = *std::max_element(bins + src.first, bins + src.last + 1);
      } else {
        value = bins[src.lower] + src.fraction * (bins[src.lower + 1] - bins[src.lower]);
      }
      out.db[size_t(r) * size_t(s.frames) + size_t(t)] = value;
    }
  }
  return out;
}

}  // namespace audiosplat::analysis
