#pragma once
// Magnitude spectrograms in dB for display: a linear-frequency STFT of a whole mono
// signal, and its resampling onto log-spaced frequency rows (what the editor draws).
// Plain functions over plain data: callers run them on a worker thread.
#include <cstdint>
#include <span>
#include <vector>

namespace audiosplat::analysis {

struct SpectrogramSettings {
  int fftSize = 2048;  // periodic Hann window of this length
  int hop = 256;
};

// Frame t is centred on sample startSample + t * hop (zero outside the signal).
struct Spectrogram {
  double sampleRate = 0;
  int fftSize = 0;
  int hop = 0;
  int64_t startSample = 0;
  int frames = 0;
  int bins = 0;           // fftSize / 2 + 1
  std::vector<float> db;  // frames x bins, frame-major; 20 log10 |X| / (sum of window / 2)
  float at(int frame, int bin) const { return db[size_t(frame) * size_t(bins) + size_t(bin)]; }
};

// dB floor: silence is drawn at this level instead of minus infinity.
constexpr float kSpectrogramFloorDb = -160.0f;

// The STFT of `signal` (whose first sample is absolute sample startSample), with
// frames centred on every hop from the first to the last sample. A full-scale sine
// reads about 0 dB.
Spectrogram spectrogram(std::span<const double> signal, double sampleRate, int64_t startSample = 0,
                        const SpectrogramSettings& settings = {});

// The same frames on `rows` log-spaced frequencies from minHz to the Nyquist frequency:
// row r is at minHz * (nyquist / minHz)^(r / (rows - 1)). Each row takes the largest bin
// within its share of the axis (so narrow peaks survive at high frequencies) and
// interpolates between bins where rows are denser than bins.
struct LogSpectrogram {
  double sampleRate = 0;
  int hop = 0;
  int64_t startSample = 0;
  int frames = 0;
  int rows = 0;
  double minHz = 0;
  double maxHz = 0;
  std::vector<float> db;  // rows x frames, row-major (row 0 = lowest frequency)
  float at(int row, int frame) const { return db[size_t(row) * size_t(frames) + size_t(frame)]; }
  double rowHz(double row) const;      // frequency of a (fractional) row
  double rowOf(double hz) const;       // fractional row of a frequency
  double frameTime(double frame) const;  // seconds of a (fractional) frame centre
};

LogSpectrogram logFrequency(const Spectrogram& s, int rows = 512, double minHz = 30.0);

}  // namespace audiosplat::analysis
