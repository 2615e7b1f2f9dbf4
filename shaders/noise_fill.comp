#version 450
// Fills values[atom * samples + n] for n < samples, atom < atoms with the gaussian noise sample
// n of seeds[atom] (float bits), or with the raw hash(seeds[atom], n) when rawHash != 0
// (the bit-exact check against engine/model/noise.h). Grid: x over n, y over atoms.
#include "noise.glsl"

layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Seeds { uint seeds[]; };
layout(std430, binding = 1) writeonly buffer Values { uint values[]; };
layout(push_constant) uniform Push {
  uint samples;  // L
  uint atoms;
  uint rawHash;
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint atom = gl_WorkGroupID.y;
  if (n >= p.samples || atom >= p.atoms) return;
  const uint seed = seeds[atom];
  values[atom * p.samples + n] =
      p.rawHash != 0u ? noiseHash(seed, n) : floatBitsToUint(noiseGaussian(seed, n));
}
