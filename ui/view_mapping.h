#pragma once
// Where time and frequency land in a spectrogram view: linear time across the plot,
// log frequency up it. Shared by the view, its axes and the atom glyphs.
#include <QRectF>
#include <cmath>

namespace audiosplat::ui {

struct ViewMapping {
  QRectF plot;         // widget pixels of the plot area
  double t0 = 0, t1 = 1;       // visible seconds
  double fLo = 30, fHi = 11025;  // visible Hz

  double x(double seconds) const { return plot.left() + (seconds - t0) / (t1 - t0) * plot.width(); }
  double y(double hz) const {
    return plot.bottom() - std::log(hz / fLo) / std::log(fHi / fLo) * plot.height();
  }
  double time(double px) const { return t0 + (px - plot.left()) / plot.width() * (t1 - t0); }
  double hz(double py) const { return fLo * std::pow(fHi / fLo, (plot.bottom() - py) / plot.height()); }
};

}  // namespace audiosplat::ui
