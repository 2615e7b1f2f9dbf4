#include "atom_glyphs.h"

#include <algorithm>
#include <cmath>

namespace audiosplat::ui {
namespace {

constexpr int kFadeSteps = 5;

// Distinct hues in the order atoms come, so that an atom's partials read as one.
QColor hueOf(int index) { return QColor::fromHsv(int(std::fmod(190.0 + index * 137.508, 360.0)), 150, 255); }

double loudestGain(const AtomSet& atoms) {
  double g = 0;
  for (const Atom& a : atoms.atoms) g = std::max(g, a.gain);
  return g;
}

// 1 for the loudest atom, down to 0.3 at 48 dB below it.
double brightness(const Atom& atom, double loudest) {
  if (!(loudest > 0) || !(atom.gain > 0)) return 0.3;
  return std::clamp(1.0 + 20.0 * std::log10(atom.gain / loudest) / 48.0 * 0.7, 0.3, 1.0);
}

QRectF noiseBand(const ViewMapping& view, const Atom& a) {
  const double half = std::pow(2.0, a.noiseWidth / 2.0);
  return QRectF(QPointF(view.x(a.onset), view.y(a.noiseCentre * half)),
                QPointF(std::max(view.x(a.onset + attackSeconds(a)), view.x(a.onset) + 3.0),
                        view.y(a.noiseCentre / half)));
}

}  // namespace

std::vector<PartialLine> partialLines(const Atom& a, double sampleRate) {
  std::vector<PartialLine> lines;
  const double limit = 0.98 * sampleRate / 2.0;
  const double f1 = a.fundamental * std::sqrt(1.0 + a.inharmonicity);
  for (int j = 1; j <= a.partials; ++j) {
    const double f = j * a.fundamental * std::sqrt(1.0 + a.inharmonicity * j * j);
    if (f >= limit) break;
    lines.push_back({f, a.decay * std::pow(f / f1, -a.dampingSlope), a.tilt * std::log2(double(j))});
  }
  return lines;
}

double attackSeconds(const Atom& a) {
  return (a.attackShape + 3.0 * std::sqrt(a.attackShape)) * a.attackScale;
}

void paintAtoms(QPainter& p, const ViewMapping& view, const AtomSet& atoms, const GlyphStyle& style) {
  p.save();
  p.setClipRect(view.plot);
  p.setRenderHint(QPainter::Antialiasing, true);
  const double loudest = loudestGain(atoms);
  // Selected and hovered last, so they are on top.
  std::vector<int> order;
  for (int i = 0; i < int(atoms.atoms.size()); ++i)
    if (i != style.selected && i != style.hovered) order.push_back(i);
  if (style.hovered >= 0 && style.hovered != style.selected && style.hovered < int(atoms.atoms.size()))
    order.push_back(style.hovered);
  if (style.selected >= 0 && style.selected < int(atoms.atoms.size())) order.push_back(style.selected);

  for (int i : order) {
    const Atom& a = atoms.atoms[size_t(i)];
    const bool active = a.gain >= style.inactiveGain;
    const bool selected = i == style.selected, hovered = i == style.hovered;
    QColor colour = selected ? QColor(255, 255, 255) : hueOf(i);
    double alpha = active ? brightness(a, loudest) : 0.18;
    if (hovered || selected) alpha = 1.0;
    const double x0 = view.x(a.onset);
    if (x0 > view.plot.right() + 1) continue;

    // Noise band: more opaque the more of the atom is noise.
    QColor band = colour;
    band.setAlphaF(float(alpha * (0.10 + 0.25 * (1.0 - a.tonalMix))));
    const QRectF bandRect = noiseBand(view, a);
    p.fillRect(bandRect, band);

    const auto lines = partialLines(a, atoms.sampleRate);
    p.setRenderHint(QPainter::Antialiasing, false);
    double top = bandRect.top(), bottom = bandRect.bottom();
    for (size_t j = 0; j < lines.size(); ++j) {
      const PartialLine& line = lines[j];
      const double y = view.y(line.hz);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
      const double x1 = std::max(view.x(a.onset + line.t60), x0 + 2.0);
      if (x1 < view.plot.left() || y < view.plot.top() - 2 || y > view.plot.bottom() + 2) continue;
      // Fades with the tilt (48 dB down is invisible) and along its decay.
      const double level = std::clamp(1.0 + line.levelDb / 48.0, 0.0, 1.0);
      if (level <= 0.02 && !selected) continue;
      // Stepped fade along the decay: solid pens are several times cheaper than gradients.
      const double peak = alpha * (0.25 + 0.75 * level);
      const double width = j == 0 ? (selected ? 3.0 : 2.2) : (selected ? 2.0 : 1.4);
      const int yPixel = int(std::lround(y));
      for (int step = 0; step < kFadeSteps; ++step) {
        QColor shade = colour;
        shade.setAlphaF(float(peak * (1.0 - double(step) / kFadeSteps)));
        QPen pen(shade, width);
        pen.setCapStyle(Qt::FlatCap);
        if (!active) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        const double a = x0 + (x1 - x0) * step / kFadeSteps, b = x0 + (x1 - x0) * (step + 1) / kFadeSteps;
        p.drawLine(QPointF(a, yPixel), QPointF(b, yPixel));
      }
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    QColor onset = colour;
    onset.setAlphaF(float(alpha));
    QPen onsetPen(onset, selected ? 2.0 : 1.2);
    if (!active) onsetPen.setStyle(Qt::DashLine);
    p.setPen(onsetPen);
    p.drawLine(QPointF(x0, top), QPointF(x0, bottom));
    if (selected || hovered) {
      p.setPen(QPen(onset, 1.0));
      p.drawRect(bandRect);
    }
  }
  p.restore();
}

int hitTestAtom(const ViewMapping& view, const AtomSet& atoms, QPointF point, double tolerance) {
  int best = -1;
  double bestDistance = tolerance;
  for (int i = 0; i < int(atoms.atoms.size()); ++i) {
    const Atom& a = atoms.atoms[size_t(i)];
    const double x0 = view.x(a.onset);
    double distance = std::numeric_limits<double>::infinity();
    double top = view.plot.bottom(), bottom = view.plot.top();
    for (const PartialLine& line : partialLines(a, atoms.sampleRate)) {
      const double y = view.y(line.hz), x1 = std::max(view.x(a.onset + line.t60), x0 + 2.0);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
      const double dx = point.x() < x0 ? x0 - point.x() : (point.x() > x1 ? point.x() - x1 : 0.0);
      distance = std::min(distance, std::hypot(dx, point.y() - y));
    }
    if (point.y() >= top && point.y() <= bottom) distance = std::min(distance, std::abs(point.x() - x0));
    // Inside the noise band counts as near, but less than being on a stroke.
    if (noiseBand(view, a).contains(point)) distance = std::min(distance, tolerance * 0.75);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}

}  // namespace audiosplat::ui
