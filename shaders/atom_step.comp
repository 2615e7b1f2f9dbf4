#version 450
// The fit's step, one atom per thread, in double: the twin of gpu::chainAtomGradient followed
// by fit::Fitter::step's part for one atom (physicalPerRaw, adamStep, clampRaw, fromRaw).
// 1. The chain rule from the backward pass's per-atom sums (float) to dLoss/d physical
//    parameter, written to the state without the sparsity term.
// 2. A non-finite gradient entry k: problem 1 + k, Adam's state reset, the atom stays.
// 3. A held atom takes no step. Otherwise Adam in raw coordinates, then the raw clamps, then
//    the physical atom with its ranges' clamps. A raw coordinate k that is not finite after
//    its clamp: problem 101 + k, the physical atom unchanged (the host discards the step).
// Every operation follows the CPU's order, and `precise` keeps a compiler from fusing a
// multiply and an add into an fma (one rounding where the CPU rounds twice), so that the two
// agree to the last few ulp (the transcendental functions are double_math.glsl's).
#include "atom_params.glsl"
#include "atom_partials.glsl"
#include "atom_state.glsl"
#include "double_math.glsl"

layout(local_size_x_id = 0) in;
// AtomBackward's layout of the per-atom sums (gpu/atom_backward.h).
layout(constant_id = 1) const uint SLOTS = 16u;
layout(constant_id = 2) const uint SLOT_ONSET = 0u;
layout(constant_id = 3) const uint SLOT_WET = 1u;
layout(constant_id = 4) const uint SLOT_MIXED = 2u;
layout(constant_id = 5) const uint SLOT_TONAL = 3u;
layout(constant_id = 6) const uint SLOT_EXCITATION = 4u;
layout(constant_id = 7) const uint SLOT_ENVELOPE_A = 5u;
layout(constant_id = 8) const uint SLOT_ENVELOPE_B = 6u;
layout(constant_id = 9) const uint SLOT_BAND_A = 8u;
layout(constant_id = 10) const uint SLOT_BAND_B = 9u;
layout(constant_id = 11) const uint PARTIAL_VALUES = 3u;  // Re S_j, Im S_j, dL/da_j

// fit::RawCoordinate (gpu::RawCoordinateGpu).
const uint MAP_LOG = 0u;
const uint MAP_LOG2 = 1u;
const uint MAP_SCALED = 2u;
const uint MAP_LOGISTIC = 3u;
struct RawCoordinate {
  uint map;
  double lo, hi;
  double rawMin, rawMax;
  double physicalMin, physicalMax;
};

layout(std430, binding = 0) buffer States { AtomState states[]; };
ATOM_PARAMS_BUFFER(1)
layout(std430, binding = 2) readonly buffer Scalars { float scalars[]; };
layout(std430, binding = 3) readonly buffer Sums { float sums[]; };  // b, e, y, u per atom
layout(std430, binding = 4) readonly buffer Settings {
  double learningRate;
  double beta1;
  double beta2;
  double sparsity;
  double sampleRate;
  RawCoordinate coordinates[PARAM_COUNT];
};
layout(push_constant) uniform Push {
  uint count;
  uint partialOffset;  // where the partial values start in scalars
} p;

double norm(float sumOfSquares) { return sqrt(double(sumOfSquares) + 1e-30LF); }

double sigmoid(double x) { return 1.0LF / (1.0LF + dExp(-x)); }

bool finite(double x) { return !isnan(x) && !isinf(x); }

double physicalPerRaw(RawCoordinate c, double r) {
  if (c.map == MAP_LOG) return dExp(r);
  if (c.map == MAP_LOG2) return dExp2(r) * D_LN2;
  if (c.map == MAP_SCALED) return c.lo;
  const double s = sigmoid(r);
  precise const double d = (c.hi - c.lo) * s * (1.0LF - s);
  return d;
}

double fromRaw(RawCoordinate c, double r) {
  precise double v;
  if (c.map == MAP_LOG) v = dExp(r);
  else if (c.map == MAP_LOG2) v = dExp2(r);
  else if (c.map == MAP_SCALED) v = r * c.lo;
  else v = c.lo + (c.hi - c.lo) * sigmoid(r);
  // clampToRange; exp(log(lo)) can round just below lo.
  return isnan(v) ? c.physicalMin : min(max(v, c.physicalMin), c.physicalMax);
}

// std::clamp, which keeps a NaN (the check after it reports it).
double clampRaw(RawCoordinate c, double r) {
  return isnan(r) ? r : min(max(r, c.rawMin), c.rawMax);
}

void main() {
  const uint a = gl_GlobalInvocationID.x;
  if (a >= p.count) return;
  const double fs = sampleRate;
  const uint slots = a * SLOTS;
  const double x[PARAM_COUNT] = states[a].physical;

  precise double grad[PARAM_COUNT];
  for (uint k = 0u; k < PARAM_COUNT; ++k) grad[k] = 0.0LF;
  grad[PARAM_ONSET] = -fs * double(scalars[slots + SLOT_ONSET]);
  if (atoms[a].room >= 0) grad[PARAM_ROOM_WET] = double(scalars[slots + SLOT_WET]);
  grad[PARAM_GAIN] = double(scalars[slots + SLOT_MIXED]) / norm(sums[a * 4u + 3u]);
  grad[PARAM_TONAL_MIX] = double(scalars[slots + SLOT_TONAL]) / norm(sums[a * 4u + 2u]) -
                          double(scalars[slots + SLOT_EXCITATION]) / norm(sums[a * 4u + 1u]);

  // Partials (reference::addPartialGradient): the pole's sum S_j and dL/da_j through f_j and
  // alpha_j to f0, B, tilt, T60 and beta. Entries are numbered over audible partials only.
  const double f0 = x[PARAM_FUNDAMENTAL], B = x[PARAM_INHARMONICITY], T60 = x[PARAM_DECAY];
  const double beta = x[PARAM_DAMPING_SLOPE];
  precise const double f1 = f0 * sqrt(1.0LF + B);
  uint entry = 0u;
  for (uint j = 1u; j <= states[a].partials; ++j) {
    DPartial q;
    if (!atomPartial(f0, B, x[PARAM_TILT], T60, beta, j, fs, q)) continue;
    const uint v = p.partialOffset + (a * ATOM_MAX_PARTIALS + entry++) * PARTIAL_VALUES;
    const double sRe = double(scalars[v]), sIm = double(scalars[v + 1u]);
    const double gAmp = double(scalars[v + 2u]);
    precise const double psRe = q.poleRe * sRe - q.poleIm * sIm;  // p_j S_j
    precise const double psIm = q.poleRe * sIm + q.poleIm * sRe;
    const double gAlpha = q.amplitude * -psIm / fs;
    const double gOmega = q.amplitude * psRe / fs;
    const double jj = double(j) * double(j);
    precise const double gFreq = 2.0LF * D_PI * gOmega + gAmp * q.tiltGain * q.fadeSlope;
    grad[PARAM_FUNDAMENTAL] += gFreq * q.frequency / f0;
    grad[PARAM_INHARMONICITY] += gFreq * q.frequency * jj / (2.0LF * (1.0LF + B * jj));
    grad[PARAM_DECAY] += gAlpha * (-q.decayRate / T60);
    grad[PARAM_DAMPING_SLOPE] += gAlpha * q.decayRate * dLog(q.frequency / f1);
    grad[PARAM_INHARMONICITY] +=
        gAlpha * q.decayRate * beta * (jj / (2.0LF * (1.0LF + B * jj)) - 1.0LF / (2.0LF * (1.0LF + B)));
    grad[PARAM_TILT] += gAmp * q.amplitude * D_LN10 * dLog2(double(j)) / 20.0LF;
  }

  // Envelope (shaders/atom_excite_backward.comp says what the two sums are).
  const double shape = x[PARAM_ATTACK_SHAPE], theta = x[PARAM_ATTACK_SCALE];
  const double envA = double(scalars[slots + SLOT_ENVELOPE_A]);
  const double envB = double(scalars[slots + SLOT_ENVELOPE_B]);
  if (states[a].envelope == STATE_ENVELOPE_GAUSSIAN) {
    grad[PARAM_ATTACK_SHAPE] = 0.5LF / shape * envA + 0.5LF / sqrt(shape) * envB;
    grad[PARAM_ATTACK_SCALE] = envA / theta;
  } else if (shape == 1.0LF) {
    grad[PARAM_ATTACK_SCALE] = envB / theta;
  } else {
    grad[PARAM_ATTACK_SHAPE] = envA;
    grad[PARAM_ATTACK_SCALE] = (shape - 1.0LF) / theta * envB;
  }

  // Band gains.
  const double bw = x[PARAM_NOISE_WIDTH];
  grad[PARAM_NOISE_CENTRE] =
      double(scalars[slots + SLOT_BAND_A]) / (bw * x[PARAM_NOISE_CENTRE] * D_LN2);
  grad[PARAM_NOISE_WIDTH] = double(scalars[slots + SLOT_BAND_B]) / bw;
  states[a].gradient = grad;

  for (uint k = 0u; k < PARAM_COUNT; ++k)
    if (!finite(grad[k])) {
      for (uint i = 0u; i < PARAM_COUNT; ++i) {
        states[a].firstMoment[i] = 0.0LF;
        states[a].secondMoment[i] = 0.0LF;
      }
      states[a].adamSteps = 0;
      states[a].problem = STEP_GRADIENT_NOT_FINITE + k;
      return;
    }
  states[a].problem = STEP_OK;
  if (states[a].hold != 0u) return;

  // Adam (fit::adamStep) on g = dLoss/d raw, sparsity included.
  const int steps = states[a].adamSteps + 1;
  const double correction1 = 1.0LF - dPow(beta1, double(steps));
  const double correction2 = 1.0LF - dPow(beta2, double(steps));
  precise double raw[PARAM_COUNT] = states[a].raw;
  uint problem = STEP_OK;
  for (uint k = 0u; k < PARAM_COUNT; ++k) {
    const RawCoordinate c = coordinates[k];
    precise double g = grad[k];
    if (k == PARAM_GAIN) g += sparsity;
    g *= physicalPerRaw(c, raw[k]);
    precise const double m = beta1 * states[a].firstMoment[k] + (1.0LF - beta1) * g;
    precise const double v = beta2 * states[a].secondMoment[k] + (1.0LF - beta2) * g * g;
    states[a].firstMoment[k] = m;
    states[a].secondMoment[k] = v;
    const double mhat = m / correction1;
    const double vhat = v / correction2;
    raw[k] = clampRaw(c, raw[k] - learningRate * mhat / (sqrt(vhat) + 1e-8LF));
    if (problem == STEP_OK && !finite(raw[k])) problem = STEP_RAW_NOT_FINITE + k;
  }
  states[a].adamSteps = steps;
  states[a].raw = raw;
  states[a].problem = problem;
  if (problem != STEP_OK) return;
  for (uint k = 0u; k < PARAM_COUNT; ++k) states[a].physical[k] = fromRaw(coordinates[k], raw[k]);
}
