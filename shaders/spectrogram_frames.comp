#version 450
// Windowed frames of a block for the spectrogram's FFT (engine/gpu/spectrogram.h):
// frames[t n + j] = window[j] chunk[t hop + j], where the chunk holds the block's samples
// from half a window before its first frame, zero-padded outside the signal by the CPU.
// Two points per thread. Grid: x over point pairs of a frame, y over the block's frames.
layout(local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Chunk { float chunk[]; };
layout(std430, binding = 1) readonly buffer Window { vec2 window[]; };  // n/2 pairs
layout(std430, binding = 2) writeonly buffer Frames { vec2 frames[]; };  // frames x n/2 pairs
layout(push_constant) uniform Push {
  uint pairs;  // n / 2
  uint hop;
} p;

void main() {
  const uint e = gl_GlobalInvocationID.x;
  const uint t = gl_WorkGroupID.y;
  if (e >= p.pairs) return;
  // The hop may be odd: read the samples one by one.
  const uint first = t * p.hop + 2u * e;
  frames[t * p.pairs + e] = window[e] * vec2(chunk[first], chunk[first + 1u]);
}
