// One atom's optimizer state on the device, in double (engine/gpu/atom_state.h mirrors this
// std430 layout field for field). Continuous parameters in Param order (engine/model/atom.h).
#ifndef AUDIOSPLAT_ATOM_STATE_GLSL
#define AUDIOSPLAT_ATOM_STATE_GLSL

const uint PARAM_COUNT = 13u;
const uint PARAM_ONSET = 0u;            // s
const uint PARAM_GAIN = 1u;
const uint PARAM_ATTACK_SHAPE = 2u;     // k
const uint PARAM_ATTACK_SCALE = 3u;     // theta, s
const uint PARAM_NOISE_CENTRE = 4u;     // Hz
const uint PARAM_NOISE_WIDTH = 5u;      // octaves
const uint PARAM_FUNDAMENTAL = 6u;      // Hz
const uint PARAM_INHARMONICITY = 7u;    // B
const uint PARAM_TILT = 8u;             // dB per octave
const uint PARAM_DECAY = 9u;            // T60, s
const uint PARAM_DAMPING_SLOPE = 10u;   // beta
const uint PARAM_TONAL_MIX = 11u;       // m
const uint PARAM_ROOM_WET = 12u;        // w

const uint STATE_ENVELOPE_GAMMA = 0u;   // model Envelope::Gamma
const uint STATE_ENVELOPE_GAUSSIAN = 1u;

// What atom_step found: 0 nothing; 1 + k: dLoss/d parameter k is not finite (the atom sat the
// step out, its Adam state reset); 101 + k: the step made raw coordinate k non-finite.
const uint STEP_OK = 0u;
const uint STEP_GRADIENT_NOT_FINITE = 1u;
const uint STEP_RAW_NOT_FINITE = 101u;

struct AtomState {
  double physical[PARAM_COUNT];      // the atom as it is rendered
  double raw[PARAM_COUNT];           // Adam's coordinates (engine/fit/raw_params.h)
  double firstMoment[PARAM_COUNT];
  double secondMoment[PARAM_COUNT];
  double gradient[PARAM_COUNT];      // written by atom_step: dLoss/d physical, no sparsity
  int adamSteps;                     // Adam steps since the state was reset
  uint envelope;                     // STATE_ENVELOPE_*
  uint partials;                     // K
  uint hold;                         // nonzero: pinned, takes no step
  uint problem;                      // written by atom_step: STEP_*
  uint pad0, pad1, pad2;
};

#endif
