#version 450
// Backward of step 2's unit-RMS normalisation bh = b / rms, rms = sqrt(mean b^2 + 1e-30):
// dL/db = dL/dbh / rms - b (b . dL/dbh) / (L rms^3). Grid: x over L samples, y over atoms.
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer GradUnitBand { float gbh[]; };  // atoms x L
layout(std430, binding = 1) readonly buffer Band { float b[]; };            // atoms x L
layout(std430, binding = 2) readonly buffer Sums { float sums[]; };         // [0]: sum b^2
layout(std430, binding = 3) readonly buffer Dots { float dots[]; };         // per atom
layout(std430, binding = 4) writeonly buffer GradBand { float gb[]; };      // atoms x L
layout(push_constant) uniform Push {
  uint samples;  // L
  uint atoms;
  uint dotsStride;
  uint bandDotSlot;  // b . dL/dbh
} p;

void main() {
  const uint n = gl_GlobalInvocationID.x;
  const uint a = gl_WorkGroupID.y;
  if (n >= p.samples || a >= p.atoms) return;
  const uint i = a * p.samples + n;
  const float L = float(p.samples);
  const float rms = sqrt(sums[a * 4u] / L + 1e-30);
  const float along = dots[a * p.dotsStride + p.bandDotSlot] / (L * rms * rms);
  gb[i] = (gbh[i] - b[i] * along) / rms;
}
