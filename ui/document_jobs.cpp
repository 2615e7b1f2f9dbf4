#include "document_jobs.h"

#include <algorithm>

#include "audio/audio_file.h"
#include "model/reference_renderer.h"
#include "analysis/display_spectrogram.h"

namespace audiosplat::ui {
namespace {

const analysis::SpectrogramSettings kDisplaySettings{2048, 256};

// The spectrogram of signal[first, last) with frames on the document's hop grid, plus
// half a window either side so the frames inside see their true context.
SpectrogramLayer layerOf(const std::vector<double>& signal, double sampleRate, int64_t first, int64_t last) {
  const int64_t hop = kDisplaySettings.hop, margin = kDisplaySettings.fftSize / 2;
  const int64_t from = std::max<int64_t>(0, (first - margin) / hop * hop);
  const int64_t to = std::min<int64_t>(int64_t(signal.size()), last + margin);
  SpectrogramLayer layer;
  const std::span<const double> part(signal.data() + from, size_t(std::max<int64_t>(0, to - from)));
  layer.spectrogram = analysis::displaySpectrogram(part, sampleRate, from, kSpectrogramRows, kDisplaySettings);
  layer.startSeconds = double(first) / sampleRate;
  layer.endSeconds = double(last) / sampleRate;
  return layer;
}

}  // namespace

LoadedAudio loadAudioDocument(const std::string& path, LoadProgress* progress) {
  audio::LoadOptions options;
  if (progress)
    options.progress = [progress](double fraction) {
      progress->permille = int(800 * fraction);
      return !progress->cancel.load();
    };
  audio::Audio loaded = audio::load(path, options);
  if (progress) {
    if (progress->cancel) throw audio::LoadCancelled();
    progress->permille = 850;
  }
  LoadedAudio out;
  out.sampleRate = loaded.sampleRate;
  out.spectrogram = std::make_shared<const analysis::LogSpectrogram>(
      analysis::displaySpectrogram(loaded.samples, loaded.sampleRate, 0, kSpectrogramRows, kDisplaySettings));
  out.samples = std::make_shared<const std::vector<double>>(std::move(loaded.samples));
  return out;
}

std::shared_ptr<const Reconstruction> buildReconstruction(const std::vector<double>& audio, double sampleRate,
                                                          const std::vector<double>& normalisedSegment,
                                                          int64_t start, int64_t audibleLength, double scale,
                                                          int iteration) {
  auto out = std::make_shared<Reconstruction>();
  out->iteration = iteration;
  out->samples.assign(audio.size(), 0.0);
  const int64_t end = std::min<int64_t>({start + audibleLength, int64_t(audio.size()),
                                         start + int64_t(normalisedSegment.size())});
  for (int64_t i = std::max<int64_t>(start, 0); i < end; ++i)
    out->samples[size_t(i)] = normalisedSegment[size_t(i - start)] / scale;
  std::vector<double> residual(audio.size());
  for (size_t i = 0; i < audio.size(); ++i) residual[i] = audio[i] - out->samples[i];
  out->reconstruction = layerOf(out->samples, sampleRate, start, end);
  out->residual = layerOf(residual, sampleRate, start, end);
  return out;
}

std::unique_ptr<playback::PlaybackBuffer> buildPlaybackBuffer(const std::vector<double>& audio, double sampleRate,
                                                              const Reconstruction* reconstruction,
                                                              const AtomSet& atoms, int selectedAtom) {
  using playback::PlaybackSource;
  auto buffer = std::make_unique<playback::PlaybackBuffer>();
  buffer->sampleRate = sampleRate;
  buffer->channel(PlaybackSource::Original).assign(audio.begin(), audio.end());
  if (reconstruction) {
    auto& rec = buffer->channel(PlaybackSource::Reconstruction);
    auto& res = buffer->channel(PlaybackSource::Residual);
    rec.resize(audio.size());
    res.resize(audio.size());
    for (size_t i = 0; i < audio.size(); ++i) {
      rec[i] = float(reconstruction->samples[i]);
      res[i] = float(audio[i] - reconstruction->samples[i]);
    }
  } else {
    buffer->channel(PlaybackSource::Residual).assign(audio.begin(), audio.end());
  }
  if (selectedAtom >= 0 && selectedAtom < int(atoms.atoms.size())) {
    std::vector<double> alone(audio.size(), 0.0);
    reference::addAtom(atoms.atoms[size_t(selectedAtom)], atoms, 0, alone);
    buffer->channel(PlaybackSource::Selection).assign(alone.begin(), alone.end());
  }
  return buffer;
}

}  // namespace audiosplat::analysis
