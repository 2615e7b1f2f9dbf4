#version 450
// Windowed STFT frames of a chunk of atoms, two real frames per complex FFT input: frame m
// (chunk-local, m = atom F + t) goes to the real part of pair m / 2 if m is even, else to its
// imaginary part. Frame t of a signal covers x[t hop, t hop + W) (no padding).
// Grid: any 2D grid, flattened; one thread per complex value of the pairs.
#include "index_math.glsl"
#include "twiddle.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Signals { float x[]; };  // atoms x length
layout(std430, binding = 1) writeonly buffer Frames { vec2 frames[]; };  // pairs x W
layout(push_constant) uniform Push {
  uint samples;       // samples per signal
  uint logWindow;     // W = 2^logWindow
  uint hop;
  uint frames;        // F per signal
  uint firstAtom;     // of the chunk
  uint chunkFrames;   // atoms in the chunk x F
  float inverseFrames;  // 1 / frames
} p;

float windowed(uint m, uint j, float window) {
  if (m >= p.chunkFrames) return 0.0;
  const uint local = quotient(m, p.frames, p.inverseFrames);
  const uint t = m - local * p.frames;
  return window * x[(p.firstAtom + local) * p.samples + t * p.hop + j];
}

void main() {
  const uint e = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x +
                 gl_LocalInvocationID.x;
  const uint pair = e >> p.logWindow;
  if (2u * pair >= p.chunkFrames) return;
  const uint j = e & ((1u << p.logWindow) - 1u);
  const float window = hann(j, p.logWindow);
  frames[e] = vec2(windowed(2u * pair, j, window), windowed(2u * pair + 1u, j, window));
}
