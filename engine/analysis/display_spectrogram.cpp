#include "analysis/display_spectrogram.h"

#include <QtGlobal>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "gpu/context.h"
#include "gpu/error.h"
#include "gpu/spectrogram.h"

namespace audiosplat::analysis {
namespace {

// Why lavapipe gets the CPU path: 60 s at 22050 Hz, fftSize 2048, hop 256 (5168 frames), on
// a 2-core VM shared with other builds (load 7-10), Mesa 22.3.6 llvmpipe, medians of 5:
// gpu::SpectrogramKernels 212-580 ms wall, ~200 ms of CPU time over all of llvmpipe's threads;
// analysis::spectrogram (FFTW, one thread) 179-307 ms wall, ~175 ms of CPU time. logFrequency
// adds 4-14 ms to either. So lavapipe is slower, costs as much CPU and would take every core
// from the fit and the UI; it also pays ~200 ms to make the device and ~400 ms of shader
// compilation on first use. On a real GPU the kernels' work is negligible.

enum class Request { Auto, Gpu, Cpu };

Request requested() {
  const char* value = std::getenv("AUDIOSPLAT_SPECTROGRAM");
  if (!value || !*value) return Request::Auto;
  const std::string text(value);
  if (text == "gpu") return Request::Gpu;
  if (text == "cpu") return Request::Cpu;
  static std::once_flag warned;
  std::call_once(warned, [&] { qWarning("AUDIOSPLAT_SPECTROGRAM=%s: expected gpu or cpu; ignored", value); });
  return Request::Auto;
}

// The process-wide GPU side. Never destroyed: at exit the Vulkan driver's own static
// objects may already be gone, so a Context destroyed by a static destructor could crash.
class GpuSpectrograms {
 public:
  static GpuSpectrograms& instance() {
    static GpuSpectrograms* const gpu = new GpuSpectrograms;
    return *gpu;
  }

  // The context, made on the first call; null when none could be made or the GPU failed.
  gpu::Context* context() {
    std::call_once(created_, [this] {
      try {
        context_ = std::make_unique<gpu::Context>();
      } catch (const gpu::GpuError& e) {
        disable("no Vulkan device", e.what());
      }
    });
    return failed_ ? nullptr : context_.get();
  }

  // The spectrogram on the GPU; nullopt (and the GPU off from then on) after a GpuError.
  std::optional<analysis::Spectrogram> compute(std::span<const double> signal, double sampleRate,
                                               int64_t startSample, const analysis::SpectrogramSettings& settings) {
    gpu::Context* context = this->context();
    if (!context) return std::nullopt;
    // One set of kernels and buffers, used by one job at a time (the queue is shared anyway).
    std::lock_guard lock(mutex_);
    if (failed_) return std::nullopt;
    try {
      if (!kernels_ || kernels_->settings().fftSize != settings.fftSize || kernels_->settings().hop != settings.hop) {
        kernels_.reset();
        kernels_ = std::make_unique<gpu::SpectrogramKernels>(*context, settings);
      }
      return kernels_->compute(signal, sampleRate, startSample);
    } catch (const gpu::GpuError& e) {
      kernels_.reset();
      disable("GPU error", e.what());
      return std::nullopt;
    }
  }

 private:
  void disable(const char* why, const char* message) {
    failed_ = true;
    qWarning("Spectrograms on the CPU (%s): %s", why, message);
  }

  std::once_flag created_;
  std::unique_ptr<gpu::Context> context_;
  std::atomic<bool> failed_ = false;
  std::mutex mutex_;
  std::unique_ptr<gpu::SpectrogramKernels> kernels_;
};

}  // namespace

SpectrogramPath displaySpectrogramPath() {
  const Request request = requested();
  if (request == Request::Cpu) return SpectrogramPath::Cpu;
  const gpu::Context* context = GpuSpectrograms::instance().context();
  if (!context) return SpectrogramPath::Cpu;
  if (request == Request::Gpu) return SpectrogramPath::Gpu;
  return context->info().type == "CPU" ? SpectrogramPath::Cpu : SpectrogramPath::Gpu;
}

analysis::LogSpectrogram displaySpectrogram(std::span<const double> signal, double sampleRate, int64_t startSample,
                                            int rows, const analysis::SpectrogramSettings& settings) {
  std::optional<analysis::Spectrogram> levels;
  if (displaySpectrogramPath() == SpectrogramPath::Gpu)
    levels = GpuSpectrograms::instance().compute(signal, sampleRate, startSample, settings);
  if (!levels) levels = analysis::spectrogram(signal, sampleRate, startSample, settings);
  return analysis::logFrequency(*levels, rows);
}

}  // namespace audiosplat::analysis
