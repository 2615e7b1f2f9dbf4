#include "model/atom_pipeline.h"

#include <cmath>
#include <stdexcept>

#include "dsp/fft.h"
#include "model/noise.h"

namespace audiosplat::reference {
namespace {
constexpr double kTiny = 1e-30;  // keeps norms differentiable at 0
constexpr int kTaperLength = 256;
const double kLn1000 = std::log(1000.0);

double norm(const std::vector<double>& v) {
  double sum = kTiny;
  for (double x : v) sum += x * x;
  return std::sqrt(sum);
}

std::vector<double> envelope(const Atom& atom, int length, double fs) {
  std::vector<double> env(length);
  const double k = atom.attackShape, theta = atom.attackScale;
  for (int n = 0; n < length; ++n) {
    const double tau = n / fs;
    if (atom.envelope == Envelope::Gamma) {
      if (k == 1.0) {
        env[n] = std::exp(-tau / theta);
      } else {
        const double peak = (k - 1.0) * theta;
        env[n] = tau == 0.0 ? 0.0 : std::exp((k - 1.0) * std::log(tau / peak) - (tau - peak) / theta);
      }
    } else {
      const double z = tau / (std::sqrt(k) * theta) - std::sqrt(k);
      env[n] = std::exp(-0.5 * z * z);
    }
  }
  return env;
}

}  // namespace

double endTaper(int n, int length) {
  const int fromEnd = length - 1 - n;
  if (fromEnd >= kTaperLength) return 1.0;
  return 0.5 - 0.5 * std::cos(M_PI * (fromEnd + 0.5) / kTaperLength);
}

double nyquistFade(double frequency, double fs) {
  const double nyquist = fs / 2.0, lo = 0.8 * nyquist, width = 0.18 * nyquist;
  if (frequency <= lo) return 1.0;
  if (frequency >= lo + width) return 0.0;
  return 0.5 * (1.0 + std::cos(M_PI * (frequency - lo) / width));
}

double nyquistFadeSlope(double frequency, double fs) {
  const double nyquist = fs / 2.0, lo = 0.8 * nyquist, width = 0.18 * nyquist;
  if (frequency <= lo || frequency >= lo + width) return 0.0;
  return -0.5 * M_PI / width * std::sin(M_PI * (frequency - lo) / width);
}

std::vector<Partial> audiblePartials(const Atom& atom, double fs) {
  std::vector<Partial> out;
  const double f1 = atom.fundamental * std::sqrt(1.0 + atom.inharmonicity);
  for (int j = 1; j <= atom.partials; ++j) {
    Partial p;
    p.number = j;
    p.frequency = j * atom.fundamental * std::sqrt(1.0 + atom.inharmonicity * j * j);
    const double fade = nyquistFade(p.frequency, fs);
    if (fade <= 0.0) continue;
    p.tiltGain = std::pow(10.0, atom.tilt * std::log2(double(j)) / 20.0);
    p.amplitude = p.tiltGain * fade;
    p.fadeSlope = nyquistFadeSlope(p.frequency, fs);
    p.decayRate = kLn1000 / atom.decay * std::pow(p.frequency / f1, atom.dampingSlope);
    p.pole = std::exp(Complex(-p.decayRate, 2.0 * M_PI * p.frequency) / fs);
    out.push_back(p);
  }
  return out;
}

void addPartialGradient(const Atom& atom, const Partial& p, Complex poleSum, double amplitudeGrad,
                        double fs, ParamVector& grad) {
  const double gAlpha = p.amplitude * (-p.pole * poleSum).imag() / fs;
  const double gOmega = p.amplitude * (p.pole * poleSum).real() / fs;
  const double f1 = atom.fundamental * std::sqrt(1.0 + atom.inharmonicity);
  const double B = atom.inharmonicity, beta = atom.dampingSlope;
  const double j = p.number, jj = j * j;
  // Through f_j: the pole's frequency and the Nyquist fade.
  const double gFreq = 2.0 * M_PI * gOmega + amplitudeGrad * p.tiltGain * p.fadeSlope;
  grad[int(Param::Fundamental)] += gFreq * p.frequency / atom.fundamental;
  grad[int(Param::Inharmonicity)] += gFreq * p.frequency * jj / (2.0 * (1.0 + B * jj));
  // Through alpha_j = ln(1000)/T60 * (f_j/f_1)^beta.
  grad[int(Param::Decay)] += gAlpha * (-p.decayRate / atom.decay);
  grad[int(Param::DampingSlope)] += gAlpha * p.decayRate * std::log(p.frequency / f1);
  grad[int(Param::Inharmonicity)] +=
      gAlpha * p.decayRate * beta * (jj / (2.0 * (1.0 + B * jj)) - 1.0 / (2.0 * (1.0 + B)));
  grad[int(Param::Tilt)] += amplitudeGrad * p.amplitude * std::log(10.0) * std::log2(j) / 20.0;
}

AtomStages runStages(const Atom& atom, const AtomSet& context) {
  AtomStages st;
  const int L = context.atomLength;
  const double fs = context.sampleRate;
  if (L < 2 * kTaperLength || (L & (L - 1)) != 0)
    throw std::invalid_argument("atom length must be a power of two >= 512");
  st.sampleRate = fs;
  st.length = L;

  // 1-2. Deterministic noise, filtered by a gaussian band in log frequency, unit RMS.
  std::vector<double> z(L);
  noise::fill(atom.seed, z);
  st.noiseSpectrum = dsp::rfft(z);
  st.bandGain.assign(L / 2 + 1, 0.0);
  std::vector<Complex> filtered(L / 2 + 1);
  for (int q = 1; q <= L / 2; ++q) {
    const double v = std::log2(q * fs / L / atom.noiseCentre) / atom.noiseWidth;
    st.bandGain[q] = std::exp(-0.5 * v * v);
    filtered[q] = st.bandGain[q] * st.noiseSpectrum[q];
  }
  st.band.assign(L, 0.0);
  dsp::irfft(filtered, st.band);
  double power = 0.0;
  for (double v : st.band) power += v * v;
  st.bandRms = std::sqrt(power / L + kTiny);

  // 3. Excitation.
  st.envelope = envelope(atom, L, fs);
  st.excitation.resize(L);
  for (int n = 0; n < L; ++n) st.excitation[n] = st.envelope[n] * st.band[n] / st.bandRms;

  // 4-5. Resonance by one complex one-pole filter per partial.
  st.partials = audiblePartials(atom, fs);
  st.tonal.assign(L, 0.0);
  for (const Partial& p : st.partials) {
    Complex c = 0.0;
    for (int n = 0; n < L; ++n) {
      c = p.pole * c + st.excitation[n];
      st.tonal[n] += p.amplitude * c.imag();
    }
  }

  // 6. Mix, taper, gain.
  st.excitationNorm = norm(st.excitation);
  st.tonalNorm = norm(st.tonal);
  const double m = atom.tonalMix;
  st.mixed.resize(L);
  for (int n = 0; n < L; ++n)
    st.mixed[n] = endTaper(n, L) * ((1.0 - m) * st.excitation[n] / st.excitationNorm +
                                    m * st.tonal[n] / st.tonalNorm);
  st.mixedNorm = norm(st.mixed);
  st.dry.resize(L);
  for (int n = 0; n < L; ++n) st.dry[n] = atom.gain * st.mixed[n] / st.mixedNorm;

  // 7. Room.
  if (atom.room >= 0) {
    if (atom.room >= int(context.rooms.size()))
      throw std::invalid_argument("atom refers to room " + std::to_string(atom.room) +
                                  " but only " + std::to_string(context.rooms.size()) + " exist");
    st.room = &context.rooms[atom.room];
  }
  if (st.room && st.room->norm() > 0.0) {
    st.wet = dsp::convolve(st.dry, st.room->impulse);
    const double w = atom.roomWet, scale = w / st.room->norm();
    st.output.resize(st.wet.size());
    for (size_t n = 0; n < st.wet.size(); ++n)
      st.output[n] = (n < size_t(L) ? (1.0 - w) * st.dry[n] : 0.0) + scale * st.wet[n];
  } else {
    st.output = st.dry;
  }
  return st;
}

}  // namespace audiosplat::reference
