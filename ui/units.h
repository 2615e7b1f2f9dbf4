#pragma once
// How the editor writes physical quantities for people: note names, times, decibels.
#include <QString>

namespace audiosplat::ui {

// The nearest equal-tempered note (A4 = 440 Hz) and the offset in cents, e.g. "C4 +12c".
QString noteName(double hz, bool withCents = true);
// "1.234 s", or "12.3 ms" under a tenth of a second.
QString formatSeconds(double seconds);
// "440 Hz", "1.23 kHz".
QString formatHz(double hz);
double toDb(double linear);  // 20 log10, with -inf for 0

}  // namespace audiosplat::ui
