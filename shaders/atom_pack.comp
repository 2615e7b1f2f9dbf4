#version 450
// gpu::packAtom on the device: each atom's AtomParams from its physical parameters in
// AtomState, so that a fit that steps on the device never sends its atoms to the host. In
// double, operation for operation as engine/gpu/atom_params.cpp and the reference it calls
// (atom_pipeline.cpp, fractional_delay.cpp, reference_renderer.cpp), each float rounded once
// at the end: the entries match the CPU's floats to the bit, or to an ulp where the few-ulp
// double functions land on the other side of a rounding. `slot`, `room` and `span` are left
// as they are: the host's AtomRenderer::prepare() writes them, and they change only with the
// discrete choices. Grid: x over atoms.
#include "atom_params.glsl"
#include "atom_partials.glsl"
#include "atom_state.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint TONAL_CHUNK = 64u;  // kTonalChunk: samples per scan chunk
layout(std430, binding = 0) readonly buffer States { AtomState states[]; };
layout(std430, binding = 1) buffer Params { AtomParams params[]; };
layout(push_constant) uniform Push {
  double sampleRate;  // fs
  double start;       // the segment's first sample (an integer)
  uint atomLength;    // L
  uint segment;       // N
  uint count;
} p;

const double DELAY_HALF_WIDTH = 8.0LF;  // W

// reference::delayKernel and delayKernelSlope at x: K(x) = sinc(x) cos^2(pi x / (2W)).
void delayTap(double x, out double value, out double slope) {
  value = 0.0LF;
  slope = 0.0LF;
  if (abs(x) >= DELAY_HALF_WIDTH) return;
  precise const double angle = D_PI * x;
  double s, c;
  dSinCos(angle, s, c);
  precise double sinc, sincSlope;
  if (abs(x) < 1e-8LF)
    sinc = 1.0LF - D_PI * D_PI * x * x / 6.0LF;
  else
    sinc = s / angle;
  if (abs(x) < 1e-4LF)
    sincSlope = -D_PI * D_PI * x / 3.0LF;
  else
    sincSlope = (c - sinc) / x;
  precise const double window = dCos(angle / (2.0LF * DELAY_HALF_WIDTH));
  precise const double windowSine = dSin(angle / DELAY_HALF_WIDTH);  // in the window's slope
  precise const double v = sinc * window * window;
  precise const double d =
      sincSlope * window * window - sinc * (D_PI / (2.0LF * DELAY_HALF_WIDTH)) * windowSine;
  value = v;
  slope = d;
}

int clampToSegment(double q) { return int(clamp(q, 0.0LF, double(p.segment))); }

void main() {
  const uint a = gl_GlobalInvocationID.x;
  if (a >= p.count) return;
  const double fs = p.sampleRate;
  const double onset = states[a].physical[PARAM_ONSET];
  const double k = states[a].physical[PARAM_ATTACK_SHAPE];
  const double theta = states[a].physical[PARAM_ATTACK_SCALE];
  const double fc = states[a].physical[PARAM_NOISE_CENTRE];
  const double bw = states[a].physical[PARAM_NOISE_WIDTH];

  precise const double bandOffset = dLog2(fs / (double(p.atomLength) * fc));
  const float bandHi = float(bandOffset);
  precise const double bandRest = bandOffset - double(bandHi);
  params[a].bandOffset = vec2(bandHi, float(bandRest));
  precise const double invWidth = 1.0LF / bw;
  params[a].bandInvWidth = float(invWidth);

  // packEnvelope: the gamma with k == 1 is a plain decay.
  uint envelope;
  precise double shape = 0.0LF, rate;
  if (states[a].envelope == STATE_ENVELOPE_GAUSSIAN) {
    envelope = ENVELOPE_GAUSSIAN;
    shape = sqrt(k);
    rate = 1.0LF / (fs * sqrt(k) * theta);
  } else if (k == 1.0LF) {
    envelope = ENVELOPE_DECAY;
    rate = 1.0LF / (fs * theta);
  } else {
    envelope = ENVELOPE_GAMMA;
    shape = k - 1.0LF;
    rate = 1.0LF / (fs * (k - 1.0LF) * theta);
  }
  params[a].envelope = envelope;
  params[a].envShape = float(shape);
  params[a].envRate = float(rate);

  // packPartials: the audible ones first, zeros after them (the tonal kernels' groups of 8
  // read up to the group's end, and packAtom value-initialises the whole table).
  const double f0 = states[a].physical[PARAM_FUNDAMENTAL];
  const double B = states[a].physical[PARAM_INHARMONICITY];
  const double tilt = states[a].physical[PARAM_TILT];
  const double T60 = states[a].physical[PARAM_DECAY];
  const double beta = states[a].physical[PARAM_DAMPING_SLOPE];
  const uint K = min(states[a].partials, ATOM_MAX_PARTIALS);  // packAtom refuses more
  uint audible = 0u;
  for (uint j = 1u; j <= K; ++j) {
    DPartial partial;
    if (!atomPartial(f0, B, tilt, T60, beta, j, fs, partial)) continue;
    // p_j^chunk = e^(chunk re) (cos chunk im, sin chunk im), as std::exp(chunk z): chunk z is
    // exact (a power of two), and dSinCos reduces the angle (up to 64 pi) by pi/2 in three
    // parts, so its sine and cosine stay accurate near their zeros.
    precise const double re = -partial.decayRate / fs;
    precise const double im = 2.0LF * D_PI * partial.frequency / fs;
    const double chunk = double(TONAL_CHUNK);
    const double magnitude = dExp(chunk * re);
    double s, c;
    dSinCos(chunk * im, s, c);
    precise const double chunkRe = magnitude * c, chunkIm = magnitude * s;
    params[a].poles[audible] =
        vec4(float(partial.poleRe), float(partial.poleIm), float(chunkRe), float(chunkIm));
    params[a].amplitudes[audible] = float(partial.amplitude);
    ++audible;
  }
  for (uint j = audible; j < ATOM_MAX_PARTIALS; ++j) {
    params[a].poles[j] = vec4(0.0);
    params[a].amplitudes[j] = 0.0;
  }
  params[a].partials = audible;

  params[a].tonalMix = float(states[a].physical[PARAM_TONAL_MIX]);
  params[a].gain = float(states[a].physical[PARAM_GAIN]);
  params[a].wet = float(states[a].physical[PARAM_ROOM_WET]);

  // Onset D = I + f: the whole part places, the fraction picks the taps. Integers below 2^53
  // are exact in double, so the CPU's int64 arithmetic is done here in double.
  precise const double d = onset * fs;
  const double whole = floor(d);
  precise const double fraction = d - whole;
  for (uint i = 0u; i < ATOM_TAPS; ++i) {
    double value, slope;
    delayTap(double(int(i) - 7) - fraction, value, slope);
    params[a].taps[i] = float(value);
    params[a].slopes[i] = float(slope);
  }
  // Far from the segment the onset is irrelevant (first == last); keep it in int range.
  params[a].onset = int(clamp(whole - p.start, -1073741824.0LF, 1073741824.0LF));
  // reference::atomSpan: [I - W + 1, I + span + W), span as the host set it.
  params[a].first = clampToSegment(whole - 7.0LF - p.start);
  params[a].last = clampToSegment(whole + double(params[a].span) + 8.0LF - p.start);
}
