#include "gpu/fft_benchmark.h"

#include <algorithm>
#include <chrono>
#include <complex>
#include <functional>
#include <random>

#include "dsp/fft.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/fft.h"
#include "gpu/real_fft.h"
#include "gpu/sequence.h"

namespace audiosplat::gpu {
namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Runs sequence `repeats` times after one warm-up run.
FftTiming time(Context& context, Sequence& sequence, int repeats, const std::function<void()>& cpu) {
  sequence.submit();
  std::vector<double> wall, gpu, host;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    sequence.submit();
    wall.push_back(msSince(start));
    const auto stamps = sequence.timestampsMs();
    if (stamps.size() == 2) gpu.push_back(stamps[1]);
  }
  for (int i = 0; i < std::min(repeats, 3); ++i) {
    const auto start = Clock::now();
    cpu();
    host.push_back(msSince(start));
  }
  return {"", median(wall), gpu.empty() ? 0.0 : median(gpu), median(host)};
}

std::vector<float> noise(size_t count) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> values(count);
  for (float& v : values) v = normal(rng);
  return values;
}

FftTiming realForward(Context& context, uint32_t n, uint32_t batch, int repeats) {
  const auto input = noise(size_t(n) * batch);
  Buffer in(context, input.size() * 4), out(context, size_t(batch) * (n / 2 + 1) * 8);
  in.upload(input);
  RealFft fft(context, n, batch);
  Sequence sequence(context);
  const bool stamps = context.limits().timestampValidBits > 0;
  if (stamps) sequence.timestamp();
  fft.recordForward(sequence, in, out, batch);
  if (stamps) sequence.timestamp();
  std::vector<double> frame(n);
  std::vector<dsp::Complex> bins(n / 2 + 1);
  FftTiming timing = time(context, sequence, repeats, [&] {
    for (uint32_t b = 0; b < batch; ++b) {
      std::copy(input.begin() + size_t(b) * n, input.begin() + size_t(b + 1) * n, frame.begin());
      dsp::rfft(frame, bins);
    }
  });
  timing.workload = std::to_string(batch) + " x " + std::to_string(n) + "-point real forward";
  return timing;
}

FftTiming complexForward(Context& context, uint32_t n, uint32_t batch, int repeats) {
  const auto input = noise(size_t(2) * n * batch);
  Buffer in(context, input.size() * 4), out(context, input.size() * 4);
  in.upload(input);
  Fft fft(context, n, batch);
  Sequence sequence(context);
  const bool stamps = context.limits().timestampValidBits > 0;
  if (stamps) sequence.timestamp();
  fft.record(sequence, in, out, batch, Direction::Forward);
  if (stamps) sequence.timestamp();
  std::vector<dsp::Complex> frame(n), spectrum(n);
  FftTiming timing = time(context, sequence, repeats, [&] {
    for (uint32_t b = 0; b < batch; ++b) {
      for (uint32_t m = 0; m < n; ++m)
        frame[m] = {input[2 * (size_t(b) * n + m)], input[2 * (size_t(b) * n + m) + 1]};
      dsp::fft(frame, spectrum);
    }
  });
  timing.workload = std::to_string(batch) + " x " + std::to_string(n) + "-point complex forward";
  return timing;
}

}  // namespace

std::vector<FftTiming> benchmarkFfts(Context& context, int repeats) {
  return {realForward(context, 32768, 64, repeats), realForward(context, 2048, 1000, repeats),
          complexForward(context, 2048, 1000, repeats)};
}

}  // namespace audiosplat::gpu
