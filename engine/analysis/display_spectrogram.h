#pragma once
// The editor's display spectrograms, for jobs on worker threads (any number at once): the
// STFT levels on the GPU (gpu::SpectrogramKernels, one process-wide Vulkan context made on
// first use) or on the CPU (analysis::spectrogram, FFTW), then analysis::logFrequency.
// Which one: AUDIOSPLAT_SPECTROGRAM=gpu or =cpu forces it (read at every call); otherwise
// the GPU when the context's device is a real GPU and the CPU when it is lavapipe (slower
// than FFTW, see display_spectrogram.cpp). Without a Vulkan device, or after a GPU error,
// the CPU, remembered for the rest of the process.
#include <cstdint>
#include <span>

#include "analysis/spectrogram.h"

namespace audiosplat::analysis {

enum class SpectrogramPath { Cpu, Gpu };

// analysis::logFrequency(analysis::spectrogram(signal, sampleRate, startSample, settings), rows)
// on the path displaySpectrogramPath() chooses.
analysis::LogSpectrogram displaySpectrogram(std::span<const double> signal, double sampleRate,
                                            int64_t startSample, int rows,
                                            const analysis::SpectrogramSettings& settings = {});

// The path the next displaySpectrogram takes (makes the GPU context on first use when the
// choice depends on it).
SpectrogramPath displaySpectrogramPath();

}  // namespace audiosplat::analysis
