#version 450
#extension GL_EXT_control_flow_attributes : require
// Step 8, placement as a gather: x[q] = sum_i s_r[q - I - (i - 7)] taps[i] (in the CPU's
// order) for the output samples [first, last) the atom can touch, 0 elsewhere. A thread makes
// 8 consecutive outputs from one window of 23 source samples (zero outside the atom), so each
// sample and tap is loaded once instead of 8 times. Grid: x over blocks of 8, y over atoms.
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Source { float source[]; };  // atoms x stride
layout(std430, binding = 2) writeonly buffer Placed { float placed[]; }; // atoms x segment
layout(push_constant) uniform Push {
  uint segment;  // N
  uint stride;
  uint atoms;
} p;

const uint BLOCK = 8u;
const uint WINDOW = BLOCK + ATOM_TAPS - 1u;

void main() {
  const uint q0 = gl_GlobalInvocationID.x * BLOCK;
  const uint a = gl_WorkGroupID.y;
  if (q0 >= p.segment || a >= p.atoms) return;
  const int first = atoms[a].first, last = atoms[a].last;
  float x[BLOCK];
  [[unroll]] for (uint o = 0u; o < BLOCK; ++o) x[o] = 0.0;
  if (int(q0 + BLOCK) > first && int(q0) < last) {
    float taps[ATOM_TAPS];
    [[unroll]] for (uint i = 0u; i < ATOM_TAPS; ++i) taps[i] = atoms[a].taps[i];
    // window[w] = s_r[lowest + w]; output o, tap i reads w = o + 15 - i.
    const int lowest = int(q0) - atoms[a].onset + 7 - int(ATOM_TAPS - 1u);
    const int span = int(atoms[a].span);
    const uint base = a * p.stride;
    float window[WINDOW];
    [[unroll]] for (uint w = 0u; w < WINDOW; ++w) {
      const int n = lowest + int(w);
      window[w] = n >= 0 && n < span ? source[base + uint(n)] : 0.0;
    }
    [[unroll]] for (uint o = 0u; o < BLOCK; ++o) {
      float sum = 0.0;
      [[unroll]] for (uint i = 0u; i < ATOM_TAPS; ++i)
        sum += window[o + ATOM_TAPS - 1u - i] * taps[i];
      const int q = int(q0 + o);
      x[o] = q >= first && q < last ? sum : 0.0;
    }
  }
  [[unroll]] for (uint o = 0u; o < BLOCK; ++o)
    if (q0 + o < p.segment) placed[a * p.segment + q0 + o] = x[o];
}
