#pragma once
// The stages of rendering one atom (docs/atom-model.md, steps 1-7) with the
// intermediate values the gradient needs. Used by the reference renderer only.
#include <complex>
#include <vector>

#include "model/atom_set.h"

namespace audiosplat::reference {

using Complex = std::complex<double>;

// Partial j's frequency, amplitude and decay rate (steps 4-5).
struct Partial {
  int number;        // j, 1-based
  double frequency;  // f_j, Hz
  double amplitude;  // a_j = tilt * fade
  double tiltGain;   // 10^(rho log2 j / 20)
  double fadeSlope;  // d fade / d f_j, 1/Hz
  double decayRate;  // alpha_j, 1/s
  Complex pole;      // p_j = exp((-alpha_j + 2 pi i f_j) / fs)
};

struct AtomStages {
  double sampleRate = 0;
  int length = 0;                     // L
  std::vector<Complex> noiseSpectrum; // Z = rfft(z)
  std::vector<double> bandGain;       // G_q
  std::vector<double> band;           // b
  double bandRms = 0;
  std::vector<double> envelope;       // env(tau_n)
  std::vector<double> excitation;     // e = env * b / rms
  std::vector<Partial> partials;      // audible partials only (fade > 0)
  std::vector<double> tonal;          // y
  double excitationNorm = 0, tonalNorm = 0;
  std::vector<double> mixed;          // u
  double mixedNorm = 0;
  std::vector<double> dry;            // s = g u / |u|
  std::vector<double> wet;            // R * s (full convolution), empty without a room
  const Room* room = nullptr;
  std::vector<double> output;         // s_r
};

AtomStages runStages(const Atom& atom, const AtomSet& context);

// The atom's audible partials (fade > 0) in order of j, as runStages lists them.
std::vector<Partial> audiblePartials(const Atom& atom, double sampleRate);

// The chain rule from one partial to f0, B, tilt, T60 and beta, added into grad: poleSum is
// S_j = sum_n dL/dy[n] dc_j[n]/dp_j and amplitudeGrad dL/da_j (docs/atom-model.md,
// "Gradients"). Shared by the reference and the GPU's gpu::chainAtomGradient.
void addPartialGradient(const Atom& atom, const Partial& p, Complex poleSum, double amplitudeGrad,
                        double sampleRate, ParamVector& grad);

// The 256-sample raised-cosine fade at the end of every atom.
double endTaper(int n, int length);

// Fade of partials approaching fs/2 and its derivative.
double nyquistFade(double frequency, double sampleRate);
double nyquistFadeSlope(double frequency, double sampleRate);

}  // namespace audiosplat::reference
