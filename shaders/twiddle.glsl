// exp(-2 pi i e / 2^d) computed, not loaded (on lavapipe a load costs far more than a
// polynomial): the FFT's twiddles and the multiband loss's Hann windows.
#ifndef AUDIOSPLAT_TWIDDLE_GLSL
#define AUDIOSPLAT_TWIDDLE_GLSL

// exp(-2 pi i e / 2^logD), e < 2^logD <= 2^24, within 5e-8 (rms 2.1e-8, as a table of floats
// rounded from double: 4.2e-8): the angle reduced to [0, pi/4] exactly in integers, scaled with
// its rounding error kept (fma), Taylor polynomials, the error terms added last. Computing is
// far cheaper than loading on lavapipe. `precise`: no reassociation of the compensations.
vec2 twiddle(uint e, uint logD) {
  const uint x = e << (24u - logD);  // in units of 2 pi / 2^24
  const uint octant = x >> 21;
  uint r = x & 0x1FFFFFu;
  if ((octant & 1u) != 0u) r = 0x200000u - r;
  const float fr = float(r);
  precise const float hi = fr * 3.74507039e-7;  // 2 pi / 2^24 = 3.74507039e-7 - 1.04216071e-14
  precise const float lo = fma(fr, 3.74507039e-7, -hi) + fr * -1.04216071e-14;
  precise const float p2 = hi * hi;
  precise const float p2lo = fma(hi, hi, -p2);
  // sin(hi + lo) = hi + hi p2 P(p2) + lo (1 - p2 / 2)
  const float ps = fma(p2, fma(p2, fma(p2, 2.7557319e-6, -1.9841270e-4), 8.3333333e-3), -1.6666667e-1);
  precise const float s = hi + fma(hi * p2, ps, lo * fma(p2, -0.5, 1.0));
  // cos(hi + lo) = 1 - p2 / 2 - p2lo / 2 + p2^2 Q(p2) - lo hi
  const float pc = fma(p2, fma(p2, fma(p2, -2.7557319e-7, 2.4801587e-5), -1.3888889e-3), 4.1666667e-2);
  precise const float h = 0.5 * p2;
  precise const float w = 1.0 - h;
  precise const float c = w + ((((1.0 - w) - h) - 0.5 * p2lo) + fma(p2 * p2, pc, -lo * hi));
  const bool swap = ((octant + 1u) & 2u) != 0u;
  return vec2((((octant + 2u) & 4u) != 0u ? -1.0 : 1.0) * (swap ? s : c),
              ((octant & 4u) != 0u ? 1.0 : -1.0) * (swap ? c : s));
}

// The periodic Hann window of length 2^logW at j: 0.5 - 0.5 cos(2 pi j / 2^logW).
float hann(uint j, uint logW) { return 0.5 - 0.5 * twiddle(j, logW).x; }

#endif
