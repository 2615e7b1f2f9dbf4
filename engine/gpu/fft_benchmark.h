#pragma once
// Timings of the FFT workloads of a fit on the context's device, for docs/gpu.md and a
// `bench` command; not a test.
#include <string>
#include <vector>

namespace audiosplat::gpu {

class Context;

struct FftTiming {
  std::string workload;  // "64 x 32768-point real forward"
  double wallMs = 0;     // median of submit() to finish, host clock (includes submit cost)
  double gpuMs = 0;      // median between GPU timestamps (0 when the queue has none)
  double cpuMs = 0;      // the same transforms with dsp::fft / dsp::rfft (FFTW, double, 1 thread)
};

// 64 x 32768-point real FFTs (one per atom) and 1000 x 2048-point real and complex FFTs
// (STFT frames), each recorded once, warmed up (lavapipe compiles shaders at the first
// dispatch) and submitted `repeats` times.
std::vector<FftTiming> benchmarkFfts(Context& context, int repeats = 9);

}  // namespace audiosplat::gpu
