#include "units.h"

#include <cmath>
#include <limits>

namespace audiosplat::ui {

QString noteName(double hz, bool withCents) {
  if (!(hz > 0)) return QStringLiteral("-");
  static const char* names[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
  const double midi = 69.0 + 12.0 * std::log2(hz / 440.0);
  const long nearest = std::lround(midi);
  const int cents = int(std::lround((midi - double(nearest)) * 100.0));
  const int pitchClass = int(((nearest % 12) + 12) % 12);
  const long octave = nearest / 12 - 1 - (nearest < 0 && nearest % 12 != 0 ? 1 : 0);
  QString text = QStringLiteral("%1%2").arg(names[pitchClass]).arg(octave);
  if (withCents) text += QStringLiteral(" %1%2c").arg(cents >= 0 ? "+" : "").arg(cents);
  return text;
}

QString formatSeconds(double seconds) {
  if (std::abs(seconds) < 0.1) return QStringLiteral("%1 ms").arg(seconds * 1000.0, 0, 'f', 1);
  return QStringLiteral("%1 s").arg(seconds, 0, 'f', 3);
}

QString formatHz(double hz) {
  if (hz >= 1000.0) return QStringLiteral("%1 kHz").arg(hz / 1000.0, 0, 'f', 2);
  return QStringLiteral("%1 Hz").arg(hz, 0, 'f', hz < 100.0 ? 1 : 0);
}

double toDb(double linear) {
  return linear > 0 ? 20.0 * std::log10(linear) : -std::numeric_limits<double>::infinity();
}

}  // namespace audiosplat::ui
