#include "dsp/fft.h"

#include <fftw3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>

namespace audiosplat::dsp {
namespace {

// FFTW's planner is not thread-safe; execution of an existing plan on new arrays is.
// Plans are made once per (kind, size) and kept for the life of the process.
enum class Kind { R2C, C2R, Forward, Backward };

fftw_plan makePlan(Kind kind, int n) {
  static std::mutex mutex;
  static std::map<std::pair<Kind, int>, fftw_plan> plans;
  std::lock_guard lock(mutex);
  auto& plan = plans[{kind, n}];
  if (plan) return plan;
  const unsigned flags = FFTW_ESTIMATE | FFTW_UNALIGNED;
  double* real = fftw_alloc_real(size_t(n));
  fftw_complex* cplx = fftw_alloc_complex(size_t(n));
  fftw_complex* cplx2 = fftw_alloc_complex(size_t(n));
  switch (kind) {
    case Kind::R2C: plan = fftw_plan_dft_r2c_1d(n, real, cplx, flags); break;
    case Kind::C2R: plan = fftw_plan_dft_c2r_1d(n, cplx, real, flags | FFTW_DESTROY_INPUT); break;
    case Kind::Forward: plan = fftw_plan_dft_1d(n, cplx, cplx2, FFTW_FORWARD, flags); break;
    case Kind::Backward: plan = fftw_plan_dft_1d(n, cplx, cplx2, FFTW_BACKWARD, flags); break;
  }
  fftw_free(real);
  fftw_free(cplx);
  fftw_free(cplx2);
  if (!plan) throw std::runtime_error("FFTW could not plan a transform");
  return plan;
}

// Each thread remembers the plans it has used, so the shared table's lock is taken
// once per (thread, kind, size) rather than once per transform.
fftw_plan planFor(Kind kind, int n) {
  thread_local std::map<std::pair<Kind, int>, fftw_plan> seen;
  auto& plan = seen[{kind, n}];
  if (!plan) plan = makePlan(kind, n);
  return plan;
}

fftw_complex* asFftw(Complex* p) { return reinterpret_cast<fftw_complex*>(p); }

}  // namespace

void rfft(std::span<const double> in, std::span<Complex> out) {
  const int n = int(in.size());
  if (out.size() != size_t(n / 2 + 1)) throw std::invalid_argument("rfft: output size");
  fftw_execute_dft_r2c(planFor(Kind::R2C, n), const_cast<double*>(in.data()), asFftw(out.data()));
}

std::vector<Complex> rfft(std::span<const double> in) {
  std::vector<Complex> out(in.size() / 2 + 1);
  rfft(in, out);
  return out;
}

void irfft(std::span<const Complex> in, std::span<double> out) {
  const int n = int(out.size());
  if (in.size() != size_t(n / 2 + 1)) throw std::invalid_argument("irfft: input size");
  std::vector<Complex> scratch(in.begin(), in.end());  // c2r destroys its input
  fftw_execute_dft_c2r(planFor(Kind::C2R, n), asFftw(scratch.data()), out.data());
  const double scale = 1.0 / n;
  for (double& v : out) v *= scale;
}

void fft(std::span<const Complex> in, std::span<Complex> out, bool inverse) {
  const int n = int(in.size());
  if (out.size() != in.size()) throw std::invalid_argument("fft: sizes differ");
  fftw_execute_dft(planFor(inverse ? Kind::Backward : Kind::Forward, n),
                   asFftw(const_cast<Complex*>(in.data())), asFftw(out.data()));
}

size_t nextPowerOfTwo(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

std::vector<double> convolve(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) return {};
  const size_t outLength = a.size() + b.size() - 1;
  const size_t n = nextPowerOfTwo(outLength);
  std::vector<double> pa(n, 0.0), pb(n, 0.0);
  std::copy(a.begin(), a.end(), pa.begin());
  std::copy(b.begin(), b.end(), pb.begin());
  auto fa = rfft(pa);
  const auto fb = rfft(pb);
  for (size_t i = 0; i < fa.size(); ++i) fa[i] *= fb[i];
  irfft(fa, pa);
  pa.resize(outLength);
  return pa;
}

std::vector<double> correlate(std::span<const double> a, std::span<const double> b,
                              size_t outLength) {
  if (outLength == 0) return {};
  if (b.empty()) return std::vector<double>(outLength, 0.0);
  // out[n] = sum_k a[n + k] b[k] = (a conv reverse(b))[n + len(b) - 1].
  std::vector<double> reversed(b.rbegin(), b.rend());
  std::vector<double> full = convolve(a, reversed);
  std::vector<double> out(outLength, 0.0);
  for (size_t i = 0; i < outLength; ++i) {
    const size_t j = i + b.size() - 1;
    if (j < full.size()) out[i] = full[j];
  }
  return out;
}

}  // namespace audiosplat::dsp
