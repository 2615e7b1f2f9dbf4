#pragma once
// The heavy steps behind the document, as plain functions for BackgroundWorker jobs:
// none of them may run on the GUI thread.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "document.h"
#include "playback/playback_buffer.h"

namespace audiosplat::ui {

constexpr int kSpectrogramRows = 512;

struct LoadedAudio {
  double sampleRate = 0;
  std::shared_ptr<const std::vector<double>> samples;
  std::shared_ptr<const analysis::LogSpectrogram> spectrogram;
};

// Shared between a load job and the GUI thread, which shows the progress and may cancel.
struct LoadProgress {
  std::atomic<int> permille{0};  // decoding takes 0..800, resampling and the spectrogram the rest
  std::atomic<bool> cancel{false};
};

// Reads any format the engine reads (mono at 22050 Hz) and computes its spectrogram.
// Throws audio::AudioError, or audio::LoadCancelled once progress->cancel is set.
LoadedAudio loadAudioDocument(const std::string& path, LoadProgress* progress = nullptr);

// The fit's reconstruction of a normalised segment (a snapshot's), back at the input's
// level and placed in the whole document, with spectrograms of it and of the residual.
std::shared_ptr<const Reconstruction> buildReconstruction(const std::vector<double>& audio, double sampleRate,
                                                          const std::vector<double>& normalisedSegment,
                                                          int64_t start, int64_t audibleLength, double scale,
                                                          int iteration);

// Every playback source: the audio, the reconstruction and residual (silent and equal to
// the audio without one), and the selected atom rendered alone (silent for none).
std::unique_ptr<playback::PlaybackBuffer> buildPlaybackBuffer(const std::vector<double>& audio, double sampleRate,
                                                              const Reconstruction* reconstruction,
                                                              const AtomSet& atoms, int selectedAtom);

}  // namespace audiosplat::ui
