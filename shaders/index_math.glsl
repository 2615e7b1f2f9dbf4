// Integer quotients without integer division: lavapipe turns a division by a value unknown
// at compile time into a scalar loop over the SIMD lanes, the slowest thing a shader can do.
// Valid for n < 2^24 (exact in float); `inverse` is 1.0 / d computed on the host.
#ifndef INDEX_MATH_GLSL
#define INDEX_MATH_GLSL

uint quotient(uint n, uint d, float inverse) {
  uint q = uint(float(n) * inverse);  // within one of n / d
  if (q * d > n) --q;
  else if ((q + 1u) * d <= n) ++q;
  return q;
}

#endif
