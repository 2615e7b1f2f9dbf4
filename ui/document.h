#pragma once
// What the editor has open: the audio, its spectrogram, and the atoms of the latest fit
// with their reconstruction. Plain data owned by the main window; the heavy parts are
// computed on workers (document_jobs.h) and swapped in whole.
#include <QString>
#include <memory>
#include <vector>

#include "analysis/spectrogram.h"
#include "model/atom_set.h"

namespace audiosplat::ui {

// A spectrogram of part of the document (reconstruction or residual of the fitted segment).
struct SpectrogramLayer {
  analysis::LogSpectrogram spectrogram;
  double startSeconds = 0;  // the part of the layer that is valid; drawn clipped to it
  double endSeconds = 0;
};

struct Reconstruction {
  std::vector<double> samples;  // the whole document's length, zero outside the segment
  SpectrogramLayer reconstruction;
  SpectrogramLayer residual;
  int iteration = 0;
};

struct Document {
  QString path;
  double sampleRate = 0;
  std::shared_ptr<const std::vector<double>> samples;  // mono, at the working rate
  std::shared_ptr<const analysis::LogSpectrogram> spectrogram;

  AtomSet atoms;             // the latest fit's atoms at the input's level, absolute time
  double inactiveGain = 0;   // gains below this count as inactive (at the input's level)
  int64_t segmentStart = 0;  // the fitted segment, in samples
  int64_t segmentLength = 0;
  std::shared_ptr<const Reconstruction> reconstruction;

  double duration() const { return samples && sampleRate > 0 ? double(samples->size()) / sampleRate : 0; }
};

}  // namespace audiosplat::ui
