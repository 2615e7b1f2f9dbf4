#include "analysis/initialisers.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "dsp/fft.h"

namespace audiosplat::analysis {
namespace {

constexpr int kWindow = 2048;
constexpr int kHop = 256;

double energy(std::span<const double> x) {
  double e = 0.0;
  for (double v : x) e += v * v;
  return e;
}

// Magnitude spectrogram, frames centred on t * hop (zero padded), bins 0..W/2.
struct Spectrogram {
  int frames = 0, bins = kWindow / 2 + 1;
  std::vector<double> mag;  // frame-major
  double& at(int t, int k) { return mag[size_t(t) * bins + k]; }
};

Spectrogram spectrogram(std::span<const double> x) {
  Spectrogram s;
  s.frames = int(x.size() / kHop) + 1;
  s.mag.assign(size_t(s.frames) * s.bins, 0.0);
  std::vector<double> frame(kWindow);
  for (int t = 0; t < s.frames; ++t) {
    for (int j = 0; j < kWindow; ++j) {
      const int64_t n = int64_t(t) * kHop - kWindow / 2 + j;
      const double w = 0.5 - 0.5 * std::cos(2.0 * M_PI * j / kWindow);
      frame[j] = (n >= 0 && n < int64_t(x.size())) ? w * x[n] : 0.0;
    }
    const auto spectrum = dsp::rfft(frame);
    for (int k = 0; k < s.bins; ++k) s.at(t, k) = std::abs(spectrum[k]);
  }
  return s;
}

// Parameters both initialisers start from; each sets what it knows better.
Atom baseAtom(std::mt19937& rng) {
  Atom a;
  a.attackShape = 2.0;
  a.attackScale = 0.002;
  a.noiseWidth = 2.0;
  a.inharmonicity = 1e-4;
  a.tilt = -6.0;
  a.dampingSlope = 0.5;
  a.tonalMix = 0.8;
  a.partials = 16;
  a.seed = uint32_t(rng());
  return a;
}

}  // namespace

std::vector<Atom> randomAtoms(const InitialiserInput& in) {
  std::mt19937 rng(in.seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double fs = in.sampleRate, duration = double(in.target.size()) / fs;
  const double gain = std::sqrt(energy(in.target) / std::max(1, in.count)) * 0.5 + 1e-4;
  std::vector<Atom> atoms;
  for (int i = 0; i < in.count; ++i) {
    Atom a = baseAtom(rng);
    a.onset = double(in.start) / fs + u(rng) * duration * 0.9;
    a.gain = gain;
    a.attackShape = 1.0 + 4.0 * u(rng);
    a.attackScale = 0.001 * std::pow(20.0, u(rng));
    a.noiseCentre = std::min(100.0 * std::pow(2.0, 6.0 * u(rng)), 0.45 * fs);
    a.noiseWidth = 0.5 + 1.5 * u(rng);
    a.fundamental = std::min(50.0 * std::pow(2.0, 5.5 * u(rng)), 0.45 * fs);
    a.decay = 0.05 * std::pow(40.0, u(rng));
    a.tonalMix = 0.3 + 0.6 * u(rng);
    atoms.push_back(a);
  }
  return atoms;
}

std::vector<Atom> spectralPeakAtoms(const InitialiserInput& in) {
  const double fs = in.sampleRate;
  const double binHz = fs / kWindow, frameSeconds = double(kHop) / fs;
  Spectrogram s = spectrogram(in.target);
  const double globalPeak = *std::max_element(s.mag.begin(), s.mag.end());
  std::mt19937 rng(in.seed);
  std::vector<Atom> atoms;
  const int lowBin = int(std::ceil(30.0 / binHz)), highBin = s.bins - 2;
  // STFT energy per frame, from Parseval with a Hann window (sum w^2 = 3W/8) and
  // one-sided bins: energy of x ~ 2 sum |X|^2 hop / (W * 3W/8).
  const double energyPerMag2 = 2.0 * kHop / (kWindow * 3.0 * kWindow / 8.0);

  while (int(atoms.size()) < in.count && globalPeak > 0.0) {
    int bestT = 0, bestK = lowBin;
    for (int t = 0; t < s.frames; ++t)
      for (int k = lowBin; k <= highBin; ++k)
        if (s.at(t, k) > s.at(bestT, bestK)) bestT = t, bestK = k;
    const double peak = s.at(bestT, bestK);
    if (peak < globalPeak * 1e-3) break;  // the rest is below -60 dB: leave it to random atoms

    // Frequency by parabolic interpolation of the log magnitude.
    const double a = std::log(s.at(bestT, bestK - 1) + 1e-12), b = std::log(peak + 1e-12),
                 c = std::log(s.at(bestT, bestK + 1) + 1e-12);
    const double offset = std::clamp(0.5 * (a - c) / (a - 2 * b + c), -0.5, 0.5);
    const double frequency = (bestK + offset) * binHz;

    // Fundamental: the divisor whose harmonic series holds clearly more energy.
    double f0 = frequency, bestScore = 0.0;
    for (int h = 1; h <= 4; ++h) {
      const double candidate = frequency / h;
      if (candidate < 30.0) break;
      double score = 0.0;
      for (int j = 1; j <= 8; ++j) {
        const int k = int(std::lround(j * candidate / binHz));
        if (k > highBin) break;
        score += s.at(bestT, k);
      }
      if (score > bestScore * 1.3) bestScore = score, f0 = candidate;
    }

    // Onset: walk back while the bin is still above a tenth of the peak; decay: time
    // until it falls 30 dB, doubled for 60 dB.
    int onsetFrame = bestT;
    while (onsetFrame > 0 && s.at(onsetFrame - 1, bestK) > 0.1 * peak) --onsetFrame;
    int endFrame = bestT;
    while (endFrame + 1 < s.frames && s.at(endFrame + 1, bestK) > peak * 0.0316) ++endFrame;
    const double t60 = std::clamp(2.0 * (endFrame - bestT + 1) * frameSeconds, 0.02, 8.0);

    // Tilt from the first partials' levels; energy from the harmonic region removed below.
    const int k1 = int(std::lround(f0 / binHz));
    double tiltSum = 0.0;
    int tiltCount = 0;
    for (int j = 2; j <= 6; ++j) {
      const int k = int(std::lround(j * f0 / binHz));
      if (k > highBin || k1 < 1) break;
      const double ratio = (s.at(bestT, k) + 1e-9) / (s.at(bestT, k1) + 1e-9);
      tiltSum += 20.0 * std::log10(ratio) / std::log2(double(j));
      ++tiltCount;
    }
    double removed = 0.0;
    for (int t = std::max(0, onsetFrame - 1); t <= endFrame; ++t) {
      for (int j = 1; j * f0 <= highBin * binHz; ++j) {
        const int centre = int(std::lround(j * f0 / binHz));
        for (int k = std::max(1, centre - 2); k <= std::min(highBin, centre + 2); ++k) {
          removed += s.at(t, k) * s.at(t, k);
          s.at(t, k) = 0.0;
        }
      }
    }

    Atom atom = baseAtom(rng);
    atom.fundamental = std::clamp(f0, 20.0, 0.45 * fs);
    atom.partials = std::clamp(int(0.45 * fs / atom.fundamental), 1, 32);
    atom.onset = (double(in.start) + std::max(0.0, onsetFrame * double(kHop) - kWindow / 4)) / fs;
    atom.attackScale = std::clamp((bestT - onsetFrame) * frameSeconds, 0.001, 0.2);
    atom.attackShape = 2.0;
    atom.decay = t60;
    atom.tilt = tiltCount ? std::clamp(tiltSum / tiltCount, -24.0, 0.0) : -6.0;
    atom.noiseCentre = std::clamp(4.0 * atom.fundamental, 100.0, 0.45 * fs);
    atom.gain = std::max(std::sqrt(removed * energyPerMag2), 1e-3);
    atoms.push_back(atom);
  }

  if (int(atoms.size()) < in.count) {
    InitialiserInput rest = in;
    rest.count = in.count - int(atoms.size());
    rest.seed = in.seed + 1;
    for (Atom a : randomAtoms(rest)) {
      a.gain *= 0.1;  // the spectrogram had nothing left for them: start quiet
      atoms.push_back(a);
    }
  }
  return atoms;
}

}  // namespace audiosplat::analysis
