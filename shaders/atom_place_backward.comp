#version 450
#extension GL_EXT_control_flow_attributes : require
// Backward of step 8 (placement), a gather: dL/ds_r[n] = sum_i g[q] taps[i] and the onset's
// term s_r[n] sum_i g[q] slopes[i] (its gradient is -fs times their sum), over the outputs
// q = n + I - 7 + i in [first, last) the atom touched. A thread makes 8 consecutive n from
// one window of 23 gradient samples. g is per atom (gradStride = N) or shared by all atoms
// (gradStride = 0, a loss of the mixture). Zero from the atom's span to the stride.
// Grid: x over blocks of 8, y over atoms.
#include "atom_params.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Gradient { float g[]; };     // atoms x N, or N
layout(std430, binding = 2) readonly buffer Source { float source[]; };  // atoms x stride: s_r
layout(std430, binding = 3) writeonly buffer GradSource { float gs[]; }; // atoms x stride
layout(std430, binding = 4) writeonly buffer OnsetTerm { float onsetTerm[]; };  // atoms x stride
layout(push_constant) uniform Push {
  uint segment;     // N
  uint stride;
  uint atoms;
  uint gradStride;  // N or 0
} p;

const uint BLOCK = 8u;
const uint WINDOW = BLOCK + ATOM_TAPS - 1u;

void main() {
  const uint n0 = gl_GlobalInvocationID.x * BLOCK;
  const uint a = gl_WorkGroupID.y;
  if (n0 >= p.stride || a >= p.atoms) return;
  const int first = atoms[a].first, last = atoms[a].last;
  const int span = int(atoms[a].span);
  // window[w] = g[lowest + w]; output o, tap i reads w = o + i.
  const int lowest = int(n0) + atoms[a].onset - 7;
  float window[WINDOW];
  [[unroll]] for (uint w = 0u; w < WINDOW; ++w) {
    const int q = lowest + int(w);
    window[w] = q >= first && q < last ? g[a * p.gradStride + uint(q)] : 0.0;
  }
  float taps[ATOM_TAPS], slopes[ATOM_TAPS];
  [[unroll]] for (uint i = 0u; i < ATOM_TAPS; ++i) {
    taps[i] = atoms[a].taps[i];
    slopes[i] = atoms[a].slopes[i];
  }
  const uint base = a * p.stride;
  [[unroll]] for (uint o = 0u; o < BLOCK; ++o) {
    const uint n = n0 + o;
    if (n >= p.stride) break;
    float value = 0.0, slope = 0.0;
    [[unroll]] for (uint i = 0u; i < ATOM_TAPS; ++i) {
      value += window[o + i] * taps[i];
      slope += window[o + i] * slopes[i];
    }
    const bool inside = int(n) < span;
    gs[base + n] = inside ? value : 0.0;
    onsetTerm[base + n] = inside ? source[base + n] * slope : 0.0;
  }
}
