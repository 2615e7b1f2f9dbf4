#version 450
// Backward of step 5 for partial j's pole and amplitude, per chunk of 64 samples:
//   S_j = sum_n c_j[n-1] r_j[n]  (= sum_n dL/dy[n] dc_j[n]/dp_j, docs/atom-model.md) and
//   A_j = sum_n dL/dy[n] Im c_j[n]  (= dL/da_j),
// from the forward scan's state entering the chunk (c_j before its first sample) and the
// reverse scan's state entering it from the right (r_j after its last sample). r_j over the
// chunk is kept in a local array, then c_j runs forward beside it. A workgroup adds its
// chunks' sums (a fixed tree) into sums[((a * 64 + j) * 3 + part) * G + g] (part: Re S, Im S,
// A; g the workgroup of G along x) for atom_sum_rows.comp; partials past the audible ones
// write zeros. Grid: x over chunks, y over partials, z over atoms.
#include "atom_params.glsl"
#include "complex.glsl"

layout(local_size_x_id = 0) in;
ATOM_PARAMS_BUFFER(0)
layout(std430, binding = 1) readonly buffer Excitation { float e[]; };     // atoms x L
layout(std430, binding = 2) readonly buffer GradTonal { float gy[]; };     // atoms x L
layout(std430, binding = 3) readonly buffer Forward { vec2 entering[]; };  // atoms x 64 x chunks
layout(std430, binding = 4) readonly buffer Reverse { vec2 fromRight[]; }; // atoms x 64 x chunks
layout(std430, binding = 5) writeonly buffer Sums { float sums[]; };  // atoms x 64 x 3 x groups
layout(push_constant) uniform Push {
  uint samples;  // L
  uint chunks;   // L / CHUNK
} p;

const uint CHUNK = 64u;  // kTonalChunk

shared vec3 partial[gl_WorkGroupSize.x];

// The workgroup's sum of every thread's value, written by thread 0.
void store(vec3 value) {
  const uint t = gl_LocalInvocationID.x;
  partial[t] = value;
  barrier();
  for (uint width = gl_WorkGroupSize.x / 2u; width > 0u; width >>= 1u) {
    if (t < width) partial[t] += partial[t + width];
    barrier();
  }
  if (t == 0u) {
    const uint groups = gl_NumWorkGroups.x;
    const uint row = (gl_WorkGroupID.z * ATOM_MAX_PARTIALS + gl_WorkGroupID.y) * 3u;
    sums[row * groups + gl_WorkGroupID.x] = partial[0].x;
    sums[(row + 1u) * groups + gl_WorkGroupID.x] = partial[0].y;
    sums[(row + 2u) * groups + gl_WorkGroupID.x] = partial[0].z;
  }
}

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint j = gl_WorkGroupID.y;
  const uint a = gl_WorkGroupID.z;
  if (j >= atoms[a].partials) {  // the same for the whole workgroup
    store(vec3(0.0));
    return;
  }
  const vec2 pole = atoms[a].poles[j].xy;
  const uint state = (a * ATOM_MAX_PARTIALS + j) * p.chunks;
  const uint base = a * p.samples + k * CHUNK;
  vec2 r[CHUNK];
  vec2 next = fromRight[state + p.chunks - 1u - k];
  for (int n = int(CHUNK) - 1; n >= 0; --n) {
    next = cmul(pole, next) + vec2(gy[base + uint(n)], 0.0);
    r[n] = next;
  }
  vec2 c = entering[state + k];
  vec2 s = vec2(0.0);
  float amplitude = 0.0;
  for (uint n = 0u; n < CHUNK; ++n) {
    s += cmul(c, r[n]);
    c = cmul(pole, c) + vec2(e[base + n], 0.0);
    amplitude += gy[base + n] * c.y;
  }
  store(vec3(s, amplitude));
}
