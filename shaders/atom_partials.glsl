// One partial of an atom in double, operation for operation as the CPU's
// reference::audiblePartials (engine/model/atom_pipeline.cpp), so that the device's partial
// table rounds to the CPU's floats: the pack kernel (atom_pack.comp) and the step kernel's
// chain rule share it. `precise` keeps a compiler from fusing a multiply and an add into an
// fma, which rounds once where the CPU rounds twice.
#ifndef AUDIOSPLAT_ATOM_PARTIALS_GLSL
#define AUDIOSPLAT_ATOM_PARTIALS_GLSL

#include "double_math.glsl"

const double D_LN1000 = 6.907755278982137LF;  // std::log(1000.0)

struct DPartial {
  uint number;            // j, 1-based
  double frequency;       // f_j, Hz
  double amplitude;       // a_j = tiltGain * fade
  double tiltGain;        // 10^(rho log2 j / 20)
  double fadeSlope;       // d fade / d f_j, 1/Hz
  double decayRate;       // alpha_j, 1/s
  double poleRe, poleIm;  // p_j = exp((-alpha_j + 2 pi i f_j) / fs)
};

// Partial j (1-based) of an atom, as reference::audiblePartials computes it; false when it is
// not audible (fade <= 0), in which case the reference skips it.
bool atomPartial(double f0, double B, double tilt, double T60, double beta, uint j, double fs,
                 out DPartial p) {
  const double jd = double(j);
  precise const double frequency = jd * f0 * sqrt(1.0LF + B * jd * jd);
  // nyquistFade and nyquistFadeSlope: a raised-cosine fade from 0.8 to 0.98 of fs/2.
  precise const double nyquist = fs / 2.0LF;
  precise const double lo = 0.8LF * nyquist, width = 0.18LF * nyquist;
  double fade = 1.0LF, fadeSlope = 0.0LF;
  if (frequency >= lo + width) {
    fade = 0.0LF;
  } else if (frequency > lo) {
    precise const double angle = D_PI * (frequency - lo) / width;
    double s, c;
    dSinCos(angle, s, c);
    precise const double fading = 0.5LF * (1.0LF + c);
    precise const double slope = -0.5LF * D_PI / width * s;
    fade = fading;
    fadeSlope = slope;
  }
  p.number = j;
  p.frequency = frequency;
  if (fade <= 0.0LF) return false;

  precise const double tiltGain = dPow(10.0LF, tilt * dLog2(jd) / 20.0LF);
  precise const double amplitude = tiltGain * fade;
  precise const double f1 = f0 * sqrt(1.0LF + B);
  precise const double decayRate = D_LN1000 / T60 * dPow(frequency / f1, beta);
  // std::exp of the complex (-alpha, 2 pi f) / fs: e^re (cos im, sin im), as glibc's cexp.
  precise const double re = -decayRate / fs;
  precise const double im = 2.0LF * D_PI * frequency / fs;
  const double magnitude = dExp(re);
  double s, c;
  dSinCos(im, s, c);
  precise const double poleRe = magnitude * c, poleIm = magnitude * s;
  p.amplitude = amplitude;
  p.tiltGain = tiltGain;
  p.fadeSlope = fadeSlope;
  p.decayRate = decayRate;
  p.poleRe = poleRe;
  p.poleIm = poleIm;
  return true;
}

#endif
