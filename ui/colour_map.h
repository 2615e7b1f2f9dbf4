#pragma once
// The dB colour map of the spectrogram (a perceptual black-purple-orange-yellow ramp,
// like matplotlib's inferno) and the image of a spectrogram under it.
#include <QColor>
#include <QImage>

#include "analysis/spectrogram.h"

namespace audiosplat::ui {

// The colour of position t in [0, 1] along the ramp (clamped).
QRgb colourAt(double t);

// One pixel a frame (x) and a row (y, lowest frequency at the bottom); floorDb maps to
// the ramp's start and ceilingDb to its end.
QImage spectrogramImage(const analysis::LogSpectrogram& s, double floorDb, double ceilingDb);

}  // namespace audiosplat::ui
