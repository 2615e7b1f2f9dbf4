#pragma once
// Double-precision FFTs on the CPU (FFTW). Plans are cached per size and thread-safe
// to use from several threads (each call uses the new-array execute interface).
#include <complex>
#include <span>
#include <vector>

namespace audiosplat::dsp {

using Complex = std::complex<double>;

// Unnormalised forward real FFT: out has in.size()/2 + 1 bins.
void rfft(std::span<const double> in, std::span<Complex> out);
std::vector<Complex> rfft(std::span<const double> in);

// Inverse of rfft including the 1/n factor: in has n/2 + 1 bins, out has n samples.
// The imaginary parts of the DC and Nyquist bins are ignored.
void irfft(std::span<const Complex> in, std::span<double> out);

// Unnormalised complex FFT of any size, forward (e^{-i...}) or backward (e^{+i...}).
void fft(std::span<const Complex> in, std::span<Complex> out, bool inverse = false);

// Linear convolution of a and b (length a + b - 1) via FFT.
std::vector<double> convolve(std::span<const double> a, std::span<const double> b);
// Cross-correlation out[n] = sum_k a[n + k] b[k] for n = 0 .. outLength - 1 (a is zero
// past its end): the adjoint of convolving a signal of outLength samples with b.
std::vector<double> correlate(std::span<const double> a, std::span<const double> b,
                              size_t outLength);

// Smallest power of two >= n.
size_t nextPowerOfTwo(size_t n);

}  // namespace audiosplat::dsp
