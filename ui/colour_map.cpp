#include "colour_map.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace audiosplat::ui {
namespace {

// Samples of matplotlib's "inferno", evenly spaced.
constexpr std::array<std::array<int, 3>, 9> kStops{{{0, 0, 4},
                                                    {31, 12, 72},
                                                    {85, 15, 109},
                                                    {136, 34, 106},
                                                    {186, 54, 85},
                                                    {227, 89, 51},
                                                    {249, 140, 10},
                                                    {249, 201, 50},
                                                    {252, 255, 164}}};

const std::array<QRgb, 256>& lookup() {
  static const std::array<QRgb, 256> table = [] {
    std::array<QRgb, 256> t{};
    for (int i = 0; i < 256; ++i) {
      const double x = i / 255.0 * (kStops.size() - 1);
      const size_t k = std::min(size_t(x), kStops.size() - 2);
      const double f = x - double(k);
      int c[3];
      for (int j = 0; j < 3; ++j) c[j] = int(std::lround(kStops[k][j] + f * (kStops[k + 1][j] - kStops[k][j])));
      t[size_t(i)] = qRgb(c[0], c[1], c[2]);
    }
    return t;
  }();
  return table;
}

}  // namespace

QRgb colourAt(double t) {
  return lookup()[size_t(std::clamp(int(std::lround(t * 255.0)), 0, 255))];
}

QImage spectrogramImage(const analysis::LogSpectrogram& s, double floorDb, double ceilingDb) {
  QImage image(std::max(s.frames, 1), std::max(s.rows, 1), QImage::Format_RGB32);
  image.fill(lookup()[0]);
  const auto& table = lookup();
  const float scale = float(255.0 / std::max(ceilingDb - floorDb, 1e-6));
  for (int r = 0; r < s.rows; ++r) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(s.rows - 1 - r));
    const float* values = s.db.data() + size_t(r) * size_t(s.frames);
    for (int t = 0; t < s.frames; ++t) {
      const int index = int((values[t] - float(floorDb)) * scale);
      line[t] = table[size_t(std::clamp(index, 0, 255))];
    }
  }
  return image;
}

}  // namespace audiosplat::ui
