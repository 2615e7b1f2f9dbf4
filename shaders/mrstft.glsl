// Shared by the mrstft_*.comp kernels (engine/gpu/mrstft_loss.h). Every kernel handles the
// five FFT sizes in one dispatch (workgroup y = size s, window W = 2048 >> s, hop W/4,
// frames N/hop + 1). Each size's frames live in their own buffer, at bindings 0..4 (the FFT
// works on whole buffers, and GLSL cannot index buffers by a variable: see the switches).
// The real FFTs are W/2-point complex FFTs of the frames read as complex values (as
// gpu::RealFft); the kernels here do the real FFT's post- and pre-processing themselves.
#ifndef AUDIOSPLAT_MRSTFT_GLSL
#define AUDIOSPLAT_MRSTFT_GLSL

#include "complex.glsl"

const uint SIZES = 5;
const float kMagnitudeEpsilon = 1e-18;  // |X| = sqrt(re^2 + im^2 + eps), as model/stft.h
const float kLogFloor = 1e-7;           // ln(|X| + floor), as model/loss_mrstft.h

// The tables buffer: the Hann windows of sizes 0..4 one after another (size s at
// 4096 - 2 W), then exp(-2 pi i q / 2048), q <= 1024, as (cos, sin) pairs.
const uint kTwiddleOffset = 3968u;

uint logWindow(uint size) { return 11u - size; }
uint frameCount(uint segment, uint size) { return (segment >> (logWindow(size) - 2u)) + 1u; }
uint windowOffset(uint size) { return 4096u - (4096u >> size); }

float magnitude(vec2 x) { return sqrt(dot(x, x) + kMagnitudeEpsilon); }

// Bin q of the real FFT from a = Z[q mod M], c = conj Z[(M - q) mod M] (shaders/rfft_post.comp)
// with w = exp(-2 pi i q / W).
vec2 realBin(vec2 a, vec2 c, vec2 w) { return 0.5 * (a + c) + cmul(w, -0.5 * ctimesI(a - c)); }

// Point k < M of the M-point spectrum whose inverse FFT is the c2r of the bins X, from
// a = X[k], c = conj X[M - k] (shaders/irfft_pre.comp), w = exp(-2 pi i k / W).
vec2 halfPoint(vec2 a, vec2 c, vec2 w) { return a + c + ctimesI(cmul(a - c, cconj(w))); }

#endif
