#include "model/reference_renderer.h"

#include <cmath>

#include "dsp/fft.h"
#include "model/atom_pipeline.h"
#include "model/fractional_delay.h"

namespace audiosplat::reference {
namespace {

constexpr int W = kDelayHalfWidth;

// Onset in samples split as D = I + f with f in [0, 1).
struct Onset {
  int64_t whole;
  double fraction;
};
Onset splitOnset(double onsetSeconds, double fs) {
  const double d = onsetSeconds * fs;
  const double whole = std::floor(d);
  return {int64_t(whole), d - whole};
}

// d(v/|v|)^T applied to g: g/|v| - v (v.g)/|v|^3.
std::vector<double> normalizeBackward(const std::vector<double>& v, double norm,
                                      const std::vector<double>& g) {
  double dot = 0.0;
  for (size_t i = 0; i < v.size(); ++i) dot += v[i] * g[i];
  std::vector<double> out(v.size());
  const double inv = 1.0 / norm, inv3 = inv * inv * inv;
  for (size_t i = 0; i < v.size(); ++i) out[i] = g[i] * inv - v[i] * dot * inv3;
  return out;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace

std::vector<double> renderAtomLocal(const Atom& atom, const AtomSet& context) {
  return runStages(atom, context).output;
}

std::pair<int64_t, int64_t> atomSpan(const Atom& atom, const AtomSet& context) {
  const Onset d = splitOnset(atom.onset, context.sampleRate);
  int64_t length = context.atomLength;
  if (atom.room >= 0 && atom.room < int(context.rooms.size()))
    length += int64_t(context.rooms[atom.room].impulse.size()) - 1;
  return {d.whole - W + 1, d.whole + length + W};
}

void addAtom(const Atom& atom, const AtomSet& context, int64_t start, std::span<double> out) {
  const auto [first, last] = atomSpan(atom, context);
  const int64_t end = start + int64_t(out.size());
  if (last <= start || first >= end) return;
  const std::vector<double> s = renderAtomLocal(atom, context);
  const Onset d = splitOnset(atom.onset, context.sampleRate);
  const DelayTaps taps = delayTaps(d.fraction);
  const int64_t S = int64_t(s.size());
  for (int64_t q = std::max(first, start); q < std::min(last, end); ++q) {
    double acc = 0.0;
    for (int i = 0; i < 2 * W; ++i) {
      const int64_t n = q - d.whole - (i - W + 1);
      if (n >= 0 && n < S) acc += s[n] * taps.value[i];
    }
    out[q - start] += acc;
  }
}

std::vector<double> renderSegment(const AtomSet& set, int64_t start, size_t length) {
  std::vector<double> out(length, 0.0);
  for (const Atom& atom : set.atoms) addAtom(atom, set, start, out);
  return out;
}

std::vector<double> render(const AtomSet& set) { return renderSegment(set, 0, size_t(set.length)); }

ParamVector atomGradient(const Atom& atom, const AtomSet& context, int64_t start,
                         std::span<const double> gradOut) {
  ParamVector grad{};
  const auto [first, last] = atomSpan(atom, context);
  const int64_t end = start + int64_t(gradOut.size());
  if (last <= start || first >= end) return grad;

  const AtomStages st = runStages(atom, context);
  const double fs = st.sampleRate;
  const int L = st.length;
  const int64_t S = int64_t(st.output.size());

  // 8. Placement: dL/ds_r[n] = sum_q g[q] K(q - n - D); dL/dt0 = -fs sum g[q] s_r[n] K'(.).
  const Onset d = splitOnset(atom.onset, fs);
  const DelayTaps taps = delayTaps(d.fraction);
  std::vector<double> gOut(S, 0.0);
  double gOnset = 0.0;
  for (int64_t q = std::max(first, start); q < std::min(last, end); ++q) {
    const double g = gradOut[q - start];
    if (g == 0.0) continue;
    for (int i = 0; i < 2 * W; ++i) {
      const int64_t n = q - d.whole - (i - W + 1);
      if (n < 0 || n >= S) continue;
      gOut[n] += g * taps.value[i];
      gOnset += g * st.output[n] * taps.slope[i];
    }
  }
  grad[int(Param::Onset)] = -fs * gOnset;

  // 7. Room.
  std::vector<double> gDry(L);
  if (!st.wet.empty()) {
    const double w = atom.roomWet, rNorm = st.room->norm();
    const std::vector<double> throughRoom = dsp::correlate(gOut, st.room->impulse, size_t(L));
    double gWet = 0.0;
    for (int64_t n = 0; n < S; ++n)
      gWet += gOut[n] * (st.wet[n] / rNorm - (n < L ? st.dry[n] : 0.0));
    grad[int(Param::RoomWet)] = gWet;
    for (int n = 0; n < L; ++n) gDry[n] = (1.0 - w) * gOut[n] + w / rNorm * throughRoom[n];
  } else {
    std::copy(gOut.begin(), gOut.begin() + L, gDry.begin());
  }

  // 6. Gain and normalisations.
  std::vector<double> unitMixed(L);
  for (int n = 0; n < L; ++n) unitMixed[n] = st.mixed[n] / st.mixedNorm;
  grad[int(Param::Gain)] = dot(gDry, unitMixed);
  std::vector<double> gUnit(L);
  for (int n = 0; n < L; ++n) gUnit[n] = atom.gain * gDry[n];
  const std::vector<double> gMixed = normalizeBackward(st.mixed, st.mixedNorm, gUnit);
  const double m = atom.tonalMix;
  std::vector<double> gUnitExc(L), gUnitTon(L);
  double gMix = 0.0;
  for (int n = 0; n < L; ++n) {
    const double g = endTaper(n, L) * gMixed[n];
    gMix += g * (st.tonal[n] / st.tonalNorm - st.excitation[n] / st.excitationNorm);
    gUnitExc[n] = (1.0 - m) * g;
    gUnitTon[n] = m * g;
  }
  grad[int(Param::TonalMix)] = gMix;
  std::vector<double> gExc = normalizeBackward(st.excitation, st.excitationNorm, gUnitExc);
  const std::vector<double> gTonal = normalizeBackward(st.tonal, st.tonalNorm, gUnitTon);

  // 5. Tonal part: per partial, forward recurrences for c and dc/dp, backward for dL/de.
  for (const Partial& p : st.partials) {
    Complex c = 0.0, dc = 0.0, sumGD = 0.0;
    double gAmp = 0.0;
    for (int n = 0; n < L; ++n) {
      dc = p.pole * dc + c;  // uses c[n-1]
      c = p.pole * c + st.excitation[n];
      gAmp += gTonal[n] * c.imag();
      sumGD += gTonal[n] * dc;
    }
    Complex r = 0.0;
    for (int n = L - 1; n >= 0; --n) {
      r = gTonal[n] + p.pole * r;
      gExc[n] += p.amplitude * r.imag();
    }
    addPartialGradient(atom, p, sumGD, gAmp, fs, grad);
  }

  // 3. Excitation = envelope * band / rms.
  const double k = atom.attackShape, theta = atom.attackScale;
  std::vector<double> gBandUnit(L);
  double gK = 0.0, gTheta = 0.0;
  for (int n = 0; n < L; ++n) {
    const double unitBand = st.band[n] / st.bandRms;
    gBandUnit[n] = gExc[n] * st.envelope[n];
    const double gLogEnv = gExc[n] * unitBand * st.envelope[n];  // dL/d(ln env)
    if (gLogEnv == 0.0) continue;
    const double tau = n / fs;
    if (atom.envelope == Envelope::Gamma) {
      if (tau == 0.0) continue;
      if (k != 1.0) gK += gLogEnv * std::log(tau / ((k - 1.0) * theta));
      gTheta += gLogEnv * (-(k - 1.0) / theta + tau / (theta * theta));
    } else {
      const double sk = std::sqrt(k);
      const double z = tau / (sk * theta) - sk;
      gK += gLogEnv * -z * (-0.5 * tau / (k * sk * theta) - 0.5 / sk);
      gTheta += gLogEnv * z * tau / (sk * theta * theta);
    }
  }
  grad[int(Param::AttackShape)] = gK;
  grad[int(Param::AttackScale)] = gTheta;

  // 2. Band: through the RMS normalisation, then the gaussian band gains G_q.
  const double bandDot = dot(st.band, gBandUnit);
  std::vector<double> gBand(L);
  const double rms = st.bandRms;
  for (int n = 0; n < L; ++n) gBand[n] = gBandUnit[n] / rms - st.band[n] * bandDot / (L * rms * rms * rms);
  const std::vector<Complex> Q = dsp::rfft(gBand);
  double gCentre = 0.0, gWidth = 0.0;
  for (int q = 1; q <= L / 2; ++q) {
    const double weight = (q == L / 2 ? 1.0 : 2.0) / L;
    const double gGain = weight * (st.noiseSpectrum[q] * std::conj(Q[q])).real();
    const double v = std::log2(q * fs / L / atom.noiseCentre) / atom.noiseWidth;
    const double G = st.bandGain[q];
    gCentre += gGain * G * v / (atom.noiseWidth * atom.noiseCentre * M_LN2);
    gWidth += gGain * G * v * v / atom.noiseWidth;
  }
  grad[int(Param::NoiseCentre)] = gCentre;
  grad[int(Param::NoiseWidth)] = gWidth;
  return grad;
}

}  // namespace audiosplat::reference
