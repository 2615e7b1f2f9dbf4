#version 450
// Copies the bins [lo, hi) of one spectrum array into another, per atom, writing zeros at
// the other indices of [first, last): the band split of the multiband loss (forward: X into
// a band's c2r input) and its adjoint (backward: a band's gradient spectrum into dL/dX).
// Grid: x over the bins, y over the atoms.
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Src { vec2 src[]; };   // atoms x srcStride
layout(std430, binding = 1) writeonly buffer Dst { vec2 dst[]; };  // atoms x dstStride
layout(push_constant) uniform Push {
  uint srcStride;
  uint dstStride;
  uint lo;
  uint hi;
  uint first;
  uint last;
  uint count;
} p;

void main() {
  const uint q = p.first + gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (q >= p.last || a >= p.count) return;
  dst[a * p.dstStride + q] = q >= p.lo && q < p.hi ? src[a * p.srcStride + q] : vec2(0.0);
}
