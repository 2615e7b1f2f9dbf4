#pragma once
// Atoms drawn over the spectrogram as glyphs that show what each one is: an onset line,
// one stroke per partial at j f0 sqrt(1 + B j^2) that fades with the tilt and lasts the
// partial's T60, and the noise band (fc +/- bw/2 octaves) as a translucent box over the
// attack. Brightness follows the gain; inactive atoms are dimmed and dashed.
#include <QPainter>
#include <vector>

#include "model/atom_set.h"
#include "view_mapping.h"

namespace audiosplat::ui {

struct GlyphStyle {
  double inactiveGain = 1e-3;  // gains below this draw dimmed
  int selected = -1;
  int hovered = -1;
};

// Each partial's frequency (Hz) and T60 (s) below the model's fade-out near Nyquist,
// and its level relative to the first partial (dB, from the tilt).
struct PartialLine {
  double hz;
  double t60;
  double levelDb;
};
std::vector<PartialLine> partialLines(const Atom& atom, double sampleRate);

// The attack's extent in seconds from the onset: mean + 3 standard deviations.
double attackSeconds(const Atom& atom);

void paintAtoms(QPainter& painter, const ViewMapping& view, const AtomSet& atoms, const GlyphStyle& style);

// The atom whose glyph is nearest to point (partials, onset line, noise band) within
// tolerance pixels; -1 when none is.
int hitTestAtom(const ViewMapping& view, const AtomSet& atoms, QPointF point, double tolerance = 6.0);

}  // namespace audiosplat::ui
