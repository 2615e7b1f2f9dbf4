// The peak-normalised envelope of step 3 at `elapsed` samples from the atom's start, as
// engine/model/atom_pipeline.cpp: gamma exp((k - 1)(ln t - t + 1)) with t = tau / tp, decay
// (gamma with k = 1) exp(-tau / theta), gaussian exp(-z^2 / 2), z = tau / (sqrt(k) theta) -
// sqrt(k). The rate per sample comes from the CPU so that t and z round once.
#ifndef AUDIOSPLAT_ATOM_ENVELOPE_GLSL
#define AUDIOSPLAT_ATOM_ENVELOPE_GLSL
#include "atom_math.glsl"
#include "atom_params.glsl"

// kind, shape and rate: an AtomParams' envelope, envShape and envRate (passed apart so that
// no compiler copies the whole block).

float atomEnvelope(uint kind, float shape, float rate, uint n) {
  const float elapsed = float(n);
  if (kind == ENVELOPE_DECAY) return accurateExp(-elapsed * rate);
  if (kind == ENVELOPE_GAUSSIAN) {
    const float z = elapsed * rate - shape;
    return accurateExp(-0.5 * z * z);
  }
  return n == 0u ? 0.0 : accurateExp(shape * logMinusLinear(elapsed * rate));
}

#endif
