// exp and the gamma envelope's logarithm to a few float ulps on every GPU. Vulkan lets exp()
// be (3 + 2|x|) ulps off and log() 2^-21 absolute near 1; the atom's envelope multiplies a
// narrow noise band, so such errors, being rough, spread over the spectrum, where the
// partials' resonances pick them up (measured: 1e-5 of envelope error gave 2e-4 of tonal error).
#ifndef AUDIOSPLAT_ATOM_MATH_GLSL
#define AUDIOSPLAT_ATOM_MATH_GLSL

// exp(x): x = k ln 2 + r (ln 2 split in two, Cody-Waite), |r| <= ln(2)/2, Taylor to r^7
// (truncation < 6e-9); 0 below the smallest normal float.
float accurateExp(float x) {
  if (x < -87.0) return 0.0;
  const float k = round(x * 1.44269504);
  const float r = (x - k * 0.693145751953125) - k * 1.4286068202862268e-06;
  const float poly = 1.0 + r * (1.0 + r * (1.0 / 2.0 + r * (1.0 / 6.0 + r * (1.0 / 24.0 +
                     r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
  return poly * intBitsToFloat((int(k) + 127) << 23);  // 2^k as bits: k >= -126 here
}

// ln(t) - (t - 1) for normal t > 0 (the gamma envelope's exponent over k - 1, t = tau / tp).
// t = 2^e m, m in [0.707, 1.414], u = m - 1 exact; ln m = 2 atanh(s), s = u / (2 + u),
// |s| <= 0.172, series to s^11. For e = 0, 2s - u = -u^2 / (2 + u) avoids the cancellation
// at the envelope's peak.
float logMinusLinear(float t) {
  const int bits = floatBitsToInt(t);
  int e = ((bits >> 23) & 0xFF) - 126;  // t = 2^e m, m in [0.5, 1), by the float's bits
  float m = intBitsToFloat((bits & 0x807FFFFF) | 0x3F000000);
  if (m < 0.70710678) {
    m *= 2.0;
    --e;
  }
  const float u = m - 1.0;
  const float s = u / (2.0 + u);
  const float s2 = s * s;
  const float tail = 2.0 * s * s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 +
                     s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0)))));  // ln m - 2s
  if (e == 0) return -u * u / (2.0 + u) + tail;
  return (float(e) * 0.693147181 + (2.0 * s + tail)) - (t - 1.0);
}

#endif
