// Double-precision exp, log, pow, sin and cos, which GLSL does not have (its transcendental
// functions are float-only). The fit's step on the device computes partial tables and raw
// coordinates in double, as the CPU does, so that its floats match the CPU's and do not depend
// on a GPU's own approximations. Classic reductions (Cody-Waite) and Taylor polynomials short
// enough to stay within a few ulp on the reduced ranges; no table lookups.
#ifndef AUDIOSPLAT_DOUBLE_MATH_GLSL
#define AUDIOSPLAT_DOUBLE_MATH_GLSL

const double D_PI = 3.14159265358979311600LF;
const double D_LN2 = 0.69314718055994528623LF;
const double D_LN10 = 2.30258509299404590109LF;
const double D_INV_LN2 = 1.44269504088896338700LF;
// ln 2 in two parts: k * D_LN2_HI is exact for |k| < 2^11 (its low bits are zero).
const double D_LN2_HI = 6.93147180369123816490e-01LF;
const double D_LN2_LO = 1.90821492927058770002e-10LF;
// pi/2 in three parts of 33 bits (fdlibm pio2_1, pio2_2, pio2_3): k * part is exact for
// |k| < 2^20, and what the three leave out (8.5e-32) is below a double ulp of the result.
const double D_PIO2_1 = 1.57079632673412561417e+00LF;
const double D_PIO2_2 = 6.07710050630396597660e-11LF;
const double D_PIO2_3 = 2.02226624871116645580e-21LF;
const double D_TWO_OVER_PI = 6.36619772367581382433e-01LF;

double dNaN() { return packDouble2x32(uvec2(0u, 0x7ff80000u)); }
double dInfinity() { return packDouble2x32(uvec2(0u, 0x7ff00000u)); }

// 2^k * x for any k that keeps the result normal, in two steps so that 2^k alone may overflow.
double dScale(double x, int k) {
  const int first = k / 2;
  return ldexp(ldexp(x, first), k - first);
}

// e^r for |r| <= ln(2)/2: Taylor to r^13 (the next term is < 4e-18 of the result).
double dExpReduced(double r) {
  double p = 1.0LF / 6227020800.0LF;  // 1/13!
  p = p * r + 1.0LF / 479001600.0LF;
  p = p * r + 1.0LF / 39916800.0LF;
  p = p * r + 1.0LF / 3628800.0LF;
  p = p * r + 1.0LF / 362880.0LF;
  p = p * r + 1.0LF / 40320.0LF;
  p = p * r + 1.0LF / 5040.0LF;
  p = p * r + 1.0LF / 720.0LF;
  p = p * r + 1.0LF / 120.0LF;
  p = p * r + 1.0LF / 24.0LF;
  p = p * r + 1.0LF / 6.0LF;
  p = p * r + 0.5LF;
  p = p * r + 1.0LF;
  return p * r + 1.0LF;
}

double dExp(double x) {
  if (isnan(x)) return x;
  if (x > 709.782712893384LF) return dInfinity();
  if (x < -745.1332191019412LF) return 0.0LF;
  const double k = floor(x * D_INV_LN2 + 0.5LF);
  const double r = (x - k * D_LN2_HI) - k * D_LN2_LO;
  return dScale(dExpReduced(r), int(k));
}

double dExp2(double x) {
  if (isnan(x)) return x;
  if (x >= 1024.0LF) return dInfinity();
  if (x < -1075.0LF) return 0.0LF;
  const double k = floor(x + 0.5LF);
  const double f = x - k;  // exact, |f| <= 1/2
  return dScale(dExpReduced(f * D_LN2_HI + f * D_LN2_LO), int(k));
}

// x = 2^e m with m in [sqrt(1/2), sqrt(2)); returns log(m) by atanh's series in s = (m-1)/(m+1),
// |s| <= 0.172 (terms to s^23: the next is < 2e-17 of the result).
double dLogReduced(double x, out int e) {
  int bias = 0;
  if (x < 2.2250738585072014e-308LF) {  // subnormal: scale by 2^54 first
    x *= 18014398509481984.0LF;
    bias = -54;
  }
  uvec2 bits = unpackDouble2x32(x);
  e = int((bits.y >> 20) & 0x7ffu) - 1023 + bias;
  bits.y = (bits.y & 0x000fffffu) | 0x3ff00000u;  // m in [1, 2)
  double m = packDouble2x32(bits);
  if (m > 1.4142135623730951LF) {
    m *= 0.5LF;
    e += 1;
  }
  const double f = m - 1.0LF;  // exact
  const double s = f / (2.0LF + f);
  const double s2 = s * s;
  double p = 1.0LF / 23.0LF;
  p = p * s2 + 1.0LF / 21.0LF;
  p = p * s2 + 1.0LF / 19.0LF;
  p = p * s2 + 1.0LF / 17.0LF;
  p = p * s2 + 1.0LF / 15.0LF;
  p = p * s2 + 1.0LF / 13.0LF;
  p = p * s2 + 1.0LF / 11.0LF;
  p = p * s2 + 1.0LF / 9.0LF;
  p = p * s2 + 1.0LF / 7.0LF;
  p = p * s2 + 1.0LF / 5.0LF;
  p = p * s2 + 1.0LF / 3.0LF;
  // 2 atanh(s) = f - s f + 2 s^3 p: written so that the leading term f is exact.
  return f - s * (f - 2.0LF * s2 * p);
}

bool dLogSpecial(double x, out double result) {
  if (isnan(x) || x < 0.0LF) {
    result = dNaN();
    return true;
  }
  if (x == 0.0LF) {
    result = -dInfinity();
    return true;
  }
  if (isinf(x)) {
    result = x;
    return true;
  }
  return false;
}

double dLog(double x) {
  double special;
  if (dLogSpecial(x, special)) return special;
  int e;
  const double lm = dLogReduced(x, e);
  return double(e) * D_LN2_HI + (double(e) * D_LN2_LO + lm);
}

double dLog2(double x) {
  double special;
  if (dLogSpecial(x, special)) return special;
  int e;
  const double lm = dLogReduced(x, e);
  return double(e) + lm * D_INV_LN2;
}

// x^y for x >= 0 as e^(y log x); 0^y is 0 for y > 0, x^0 is 1.
double dPow(double x, double y) {
  if (y == 0.0LF || x == 1.0LF) return 1.0LF;
  if (x == 0.0LF) return y > 0.0LF ? 0.0LF : dInfinity();
  return dExp(y * dLog(x));
}

// sin and cos of r, |r| <= pi/4: Taylor to r^17 and r^18 (next terms < 1e-19).
void dSinCosReduced(double r, out double s, out double c) {
  const double r2 = r * r;
  double ps = -1.0LF / 355687428096000.0LF;  // -1/17!
  ps = ps * r2 + 1.0LF / 1307674368000.0LF;
  ps = ps * r2 - 1.0LF / 6227020800.0LF;
  ps = ps * r2 + 1.0LF / 39916800.0LF;
  ps = ps * r2 - 1.0LF / 362880.0LF;
  ps = ps * r2 + 1.0LF / 5040.0LF;
  ps = ps * r2 - 1.0LF / 120.0LF;
  ps = ps * r2 + 1.0LF / 6.0LF;
  s = r - r * r2 * ps;
  double pc = 1.0LF / 6402373705728000.0LF;  // 1/18!
  pc = pc * r2 - 1.0LF / 20922789888000.0LF;
  pc = pc * r2 + 1.0LF / 87178291200.0LF;
  pc = pc * r2 - 1.0LF / 479001600.0LF;
  pc = pc * r2 + 1.0LF / 3628800.0LF;
  pc = pc * r2 - 1.0LF / 40320.0LF;
  pc = pc * r2 + 1.0LF / 720.0LF;
  pc = pc * r2 - 1.0LF / 24.0LF;
  pc = pc * r2 + 0.5LF;
  c = 1.0LF - r2 * pc;
}

// For |x| < 2^20 pi/2, which covers every angle the fit takes.
void dSinCos(double x, out double s, out double c) {
  const double k = floor(x * D_TWO_OVER_PI + 0.5LF);
  const double r = ((x - k * D_PIO2_1) - k * D_PIO2_2) - k * D_PIO2_3;
  double sr, cr;
  dSinCosReduced(r, sr, cr);
  const int quadrant = int(k) & 3;
  s = quadrant == 0 ? sr : quadrant == 1 ? cr : quadrant == 2 ? -sr : -cr;
  c = quadrant == 0 ? cr : quadrant == 1 ? -sr : quadrant == 2 ? -cr : sr;
}

double dSin(double x) {
  double s, c;
  dSinCos(x, s, c);
  return s;
}

double dCos(double x) {
  double s, c;
  dSinCos(x, s, c);
  return c;
}

#endif
