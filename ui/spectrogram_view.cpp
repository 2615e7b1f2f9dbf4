#include "spectrogram_view.h"

#include <QElapsedTimer>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "atom_description.h"
#include "atom_glyphs.h"
#include "colour_map.h"
#include "units.h"

namespace audiosplat::ui {
namespace {

constexpr double kLeftMargin = 74, kRightMargin = 62, kRulerHeight = 26, kBottomMargin = 8;
constexpr double kMinVisibleSeconds = 0.02, kMinFrequencyRatio = 1.5, kLowestHz = 30.0;
const QColor kBackground(30, 31, 34), kAxisText(200, 202, 206), kAxisLine(90, 92, 98);
const QColor kSegment(64, 196, 180), kLoop(110, 150, 255), kPlayhead(255, 255, 255);

// A "nice" tick step (1, 2 or 5 times a power of ten) at least minStep.
double niceStep(double minStep) {
  const double power = std::pow(10.0, std::floor(std::log10(minStep)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= minStep) return m * power;
  return 10.0 * power;
}

}  // namespace

SpectrogramView::SpectrogramView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(480, 260);
  setAttribute(Qt::WA_OpaquePaintEvent);
}

void SpectrogramView::setSpectrogram(std::shared_ptr<const analysis::LogSpectrogram> target, double durationSeconds) {
  target_ = std::move(target);
  reconstruction_.reset();
  atoms_ = AtomSet{};
  selected_ = hovered_ = -1;
  duration_ = durationSeconds;
  sampleRate_ = target_ ? target_->sampleRate : 22050.0;
  segmentStart_ = segmentEnd_ = loopStart_ = loopEnd_ = playhead_ = 0;
  fLo_ = kLowestHz;
  fHi_ = sampleRate_ / 2;
  rebuildImages();
  zoomToFit();
}

void SpectrogramView::setReconstruction(std::shared_ptr<const Reconstruction> reconstruction) {
  reconstruction_ = std::move(reconstruction);
  rebuildImages();
  update();
}

void SpectrogramView::setAtoms(const AtomSet& atoms, double inactiveGain) {
  atoms_ = atoms;
  inactiveGain_ = inactiveGain;
  if (selected_ >= atomCount()) selected_ = -1;
  if (hovered_ >= atomCount()) hovered_ = -1;
  update();
}

void SpectrogramView::setFitSegment(double startSeconds, double endSeconds) {
  segmentStart_ = startSeconds;
  segmentEnd_ = endSeconds;
  update();
}

void SpectrogramView::setMode(ViewMode mode) {
  mode_ = mode;
  update();
}

void SpectrogramView::setStacked(bool stacked) {
  stacked_ = stacked;
  update();
}

void SpectrogramView::setColourRange(double floorDb, double ceilingDb) {
  floorDb_ = floorDb;
  ceilingDb_ = std::max(ceilingDb, floorDb + 1.0);
  rebuildImages();
  update();
}

void SpectrogramView::setSelectedAtom(int index) {
  selected_ = index >= 0 && index < atomCount() ? index : -1;
  update();
}

void SpectrogramView::setPlayhead(double seconds, bool follow) {
  playhead_ = seconds;
  if (follow && (seconds < t0_ || seconds > t1_)) {
    const double width = t1_ - t0_;
    setVisibleRange(seconds - 0.05 * width, seconds + 0.95 * width);
  }
  update();
}

void SpectrogramView::setLoopRange(double startSeconds, double endSeconds) {
  loopStart_ = startSeconds;
  loopEnd_ = endSeconds;
  update();
}

void SpectrogramView::rebuildImages() {
  ++imagesVersion_;
  targetImage_ = target_ ? spectrogramImage(*target_, floorDb_, ceilingDb_) : QImage();
  reconstructionImage_ = residualImage_ = QImage();
  if (reconstruction_) {
    reconstructionImage_ = spectrogramImage(reconstruction_->reconstruction.spectrogram, floorDb_, ceilingDb_);
    residualImage_ = spectrogramImage(reconstruction_->residual.spectrogram, floorDb_, ceilingDb_);
  }
}

QRectF SpectrogramView::plotRect() const {
  return QRectF(kLeftMargin, kRulerHeight, std::max(10.0, width() - kLeftMargin - kRightMargin),
                std::max(10.0, height() - kRulerHeight - kBottomMargin));
}

QRectF SpectrogramView::rulerRect() const {
  const QRectF plot = plotRect();
  return QRectF(plot.left(), 0, plot.width(), kRulerHeight);
}

std::vector<SpectrogramView::Lane> SpectrogramView::lanes() const {
  const QRectF plot = plotRect();
  if (!stacked_) return {{plot, mode_}};
  constexpr double kGap = 6;
  const double height = std::max(10.0, (plot.height() - 2 * kGap) / 3);
  std::vector<Lane> out;
  for (int i = 0; i < 3; ++i)
    out.push_back({QRectF(plot.left(), plot.top() + i * (height + kGap), plot.width(), height), ViewMode(i)});
  return out;
}

const SpectrogramView::Lane* SpectrogramView::laneAt(QPointF point) const {
  lanes_ = lanes();
  for (const Lane& lane : lanes_)
    if (lane.plot.contains(point)) return &lane;
  return nullptr;
}

ViewMapping SpectrogramView::mapping() const { return {lanes().front().plot, t0_, t1_, fLo_, fHi_}; }

ViewMapping SpectrogramView::mappingAt(QPointF point) const {
  const Lane* lane = laneAt(point);
  return {lane ? lane->plot : lanes().front().plot, t0_, t1_, fLo_, fHi_};
}

void SpectrogramView::clampView() {
  const double total = std::max(duration_, kMinVisibleSeconds);
  double width = std::clamp(t1_ - t0_, kMinVisibleSeconds, total);
  t0_ = std::clamp(t0_, 0.0, total - width);
  t1_ = t0_ + width;
  const double nyquist = sampleRate_ / 2;
  double ratio = std::clamp(fHi_ / fLo_, kMinFrequencyRatio, nyquist / kLowestHz);
  fLo_ = std::clamp(fLo_, kLowestHz, nyquist / ratio);
  fHi_ = fLo_ * ratio;
}

void SpectrogramView::setVisibleRange(double t0, double t1) {
  t0_ = t0;
  t1_ = t1;
  clampView();
  update();
  emit visibleRangeChanged(t0_, t1_);
}

void SpectrogramView::zoomTime(double factor, double anchor) {
  const double width = (t1_ - t0_) / factor;
  const double fraction = (anchor - t0_) / (t1_ - t0_);
  setVisibleRange(anchor - fraction * width, anchor - fraction * width + width);
}

void SpectrogramView::zoomFrequency(double factor, double anchorHz) {
  const double octaves = std::log2(fHi_ / fLo_) / factor;
  const double fraction = std::log2(anchorHz / fLo_) / std::log2(fHi_ / fLo_);
  fLo_ = anchorHz / std::pow(2.0, fraction * octaves);
  fHi_ = fLo_ * std::pow(2.0, octaves);
  clampView();
  update();
}

void SpectrogramView::scrollFrequency(double octaves) {
  fLo_ *= std::pow(2.0, octaves);
  fHi_ *= std::pow(2.0, octaves);
  clampView();
  update();
}

void SpectrogramView::zoomToFit() {
  fLo_ = kLowestHz;
  fHi_ = sampleRate_ / 2;
  setVisibleRange(0, std::max(duration_, kMinVisibleSeconds));
}

bool SpectrogramView::levelAt(double seconds, double hz, ViewMode mode, double* db) const {
  auto read = [&](const analysis::LogSpectrogram& s) {
    const long frame = std::lround((seconds * s.sampleRate - double(s.startSample)) / s.hop);
    const long row = std::lround(s.rowOf(hz));
    if (frame < 0 || frame >= s.frames || row < 0 || row >= s.rows) return false;
    *db = s.at(int(row), int(frame));
    return true;
  };
  const bool inSegment = reconstruction_ && seconds >= segmentStart_ && seconds < segmentEnd_;
  if (mode == ViewMode::Reconstruction) {
    if (inSegment) return read(reconstruction_->reconstruction.spectrogram);
    return false;
  }
  if (mode == ViewMode::Residual && inSegment) return read(reconstruction_->residual.spectrogram);
  return target_ && read(*target_);
}

void SpectrogramView::paintEvent(QPaintEvent*) {
  QElapsedTimer timer;
  timer.start();
  paintAll();
  emit painted(double(timer.nsecsElapsed()) * 1e-6);
}

void SpectrogramView::paintAll() {
  QPainter p(this);
  p.fillRect(rect(), kBackground);
  if (!target_) {
    p.setPen(kAxisText);
    p.drawText(rect(), Qt::AlignCenter,
               tr("Open an audio file: File ▸ Open, a recent file, or drop it here.\n"
                  "Then Fit ▸ Start turns what is visible into atoms."));
    return;
  }
  const std::vector<Lane> all = lanes();
  for (size_t i = 0; i < all.size(); ++i) paintLane(p, i, all[i]);
  const ViewMapping whole{plotRect(), t0_, t1_, fLo_, fHi_};
  paintRuler(p, whole);
  paintLegend(p, whole);

  // Playhead over everything.
  const double x = whole.x(playhead_);
  if (x >= whole.plot.left() && x <= whole.plot.right()) {
    p.setPen(QPen(kPlayhead, 1.2));
    p.drawLine(QPointF(x, kRulerHeight * 0.5), QPointF(x, whole.plot.bottom()));
    const QPointF tip[3] = {{x - 5, 2}, {x + 5, 2}, {x, 10}};
    p.setBrush(kPlayhead);
    p.drawPolygon(tip, 3);
  }
}

void SpectrogramView::paintLane(QPainter& p, size_t index, const Lane& lane) {
  const ViewMapping view{lane.plot, t0_, t1_, fLo_, fHi_};
  const BackgroundKey key{t0_, t1_, fLo_, fHi_, view.plot.size().toSize(), lane.mode, imagesVersion_, segmentStart_, segmentEnd_};
  QImage& background = backgrounds_[index];
  if (!(key == backgroundKeys_[index]) || background.isNull()) {
    background = QImage(key.size, QImage::Format_RGB32);
    QPainter cache(&background);
    ViewMapping local = view;
    local.plot.moveTopLeft(QPointF(0, 0));
    paintSpectrogram(cache, local, lane.mode);
    backgroundKeys_[index] = key;
  }
  p.drawImage(view.plot.topLeft(), background);
  paintAtoms(p, view, atoms_, {inactiveGain_, selected_, hovered_});
  paintFrequencyAxis(p, view);
  paintLaneLabel(p, lane);
}

// Which view a lane is, top-left over its plot.
void SpectrogramView::paintLaneLabel(QPainter& p, const Lane& lane) {
  static const char* names[] = {"Target", "Reconstruction", "Residual"};
  QString label = tr(names[int(lane.mode)]);
  if (lane.mode != ViewMode::Target && reconstruction_)
    label += tr("  (iteration %1)").arg(reconstruction_->iteration);
  else if (lane.mode != ViewMode::Target)
    label += tr("  (no fit yet)");
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0, 0, 0, 150));
  const QRectF labelRect(lane.plot.left() + 6, lane.plot.top() + 6, p.fontMetrics().horizontalAdvance(label) + 14, 20);
  p.drawRoundedRect(labelRect, 4, 4);
  p.setPen(kAxisText);
  p.drawText(labelRect, Qt::AlignCenter, label);
}

void SpectrogramView::paintImage(QPainter& p, const ViewMapping& view, const QImage& image,
                                 const analysis::LogSpectrogram& s, double fromSeconds, double toSeconds) {
  if (image.isNull() || s.frames == 0) return;
  // Image pixel x spans frame x's centre +/- half a hop; row r sits at image y = rows - 1 - r.
  auto imageX = [&](double seconds) { return (seconds * s.sampleRate - double(s.startSample)) / s.hop + 0.5; };
  auto imageY = [&](double hz) { return s.rows - 0.5 - s.rowOf(hz); };
  const double from = std::max(fromSeconds, view.t0), to = std::min(toSeconds, view.t1);
  if (to <= from) return;
  const QRectF target(QPointF(view.x(from), view.plot.top()), QPointF(view.x(to), view.plot.bottom()));
  const QRectF source(QPointF(imageX(from), imageY(view.fHi)), QPointF(imageX(to), imageY(view.fLo)));
  p.drawImage(target, image, source);
}

void SpectrogramView::paintSpectrogram(QPainter& p, const ViewMapping& view, ViewMode mode) {
  p.save();
  p.setClipRect(view.plot);
  p.setRenderHint(QPainter::SmoothPixmapTransform, true);
  p.fillRect(view.plot, colourAt(0.0));
  if (mode != ViewMode::Reconstruction) paintImage(p, view, targetImage_, *target_, 0, duration_);
  if (reconstruction_ && mode == ViewMode::Reconstruction)
    paintImage(p, view, reconstructionImage_, reconstruction_->reconstruction.spectrogram,
               reconstruction_->reconstruction.startSeconds, reconstruction_->reconstruction.endSeconds);
  if (reconstruction_ && mode == ViewMode::Residual)
    paintImage(p, view, residualImage_, reconstruction_->residual.spectrogram, reconstruction_->residual.startSeconds,
               reconstruction_->residual.endSeconds);
  // Outside the fitted segment there is nothing to reconstruct: shade it.
  if (mode != ViewMode::Target && segmentEnd_ > segmentStart_) {
    const QColor shade(0, 0, 0, 110);
    p.fillRect(QRectF(QPointF(view.plot.left(), view.plot.top()), QPointF(view.x(segmentStart_), view.plot.bottom())), shade);
    p.fillRect(QRectF(QPointF(view.x(segmentEnd_), view.plot.top()), QPointF(view.plot.right(), view.plot.bottom())), shade);
  }
  p.restore();
}

void SpectrogramView::paintFrequencyAxis(QPainter& p, const ViewMapping& view) {
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  p.setFont(small);
  const double textHeight = p.fontMetrics().height();
  double lastY = 1e9;
  // Hz labels at 1-2-5 steps, in the right column of the margin.
  for (double decade = 10; decade <= 100000; decade *= 10) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double hz = m * decade;
      if (hz < view.fLo || hz > view.fHi) continue;
      const double y = view.y(hz);
      p.setPen(kAxisLine);
      p.drawLine(QPointF(view.plot.left() - 5, y), QPointF(view.plot.left(), y));
      if (std::abs(lastY - y) < textHeight) continue;
      lastY = y;
      p.setPen(kAxisText);
      const QString text = hz >= 1000 ? QStringLiteral("%1k").arg(hz / 1000) : QString::number(hz);
      p.drawText(QRectF(30, y - textHeight / 2, view.plot.left() - 38, textHeight), Qt::AlignRight | Qt::AlignVCenter, text);
    }
  }
  // Note names of every C in the left column: C0 = 16.35 Hz.
  p.setPen(QColor(150, 190, 255));
  for (int octave = 0; octave <= 10; ++octave) {
    const double hz = 16.3516 * std::pow(2.0, octave);
    if (hz < view.fLo || hz > view.fHi) continue;
    const double y = view.y(hz);
    p.drawLine(QPointF(view.plot.left() - 3, y), QPointF(view.plot.left() + 4, y));
    p.drawText(QRectF(2, y - textHeight / 2, 28, textHeight), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("C%1").arg(octave));
  }
  p.setPen(kAxisText);
  p.drawText(QRectF(0, 4, kLeftMargin - 6, kRulerHeight - 6), Qt::AlignRight | Qt::AlignVCenter, tr("Hz"));
  p.setFont(font());
}

void SpectrogramView::paintRuler(QPainter& p, const ViewMapping& view) {
  const QRectF ruler = rulerRect();
  p.fillRect(ruler, QColor(40, 41, 45));
  if (segmentEnd_ > segmentStart_) {
    const QRectF band(QPointF(std::max(view.x(segmentStart_), ruler.left()), ruler.bottom() - 5),
                      QPointF(std::min(view.x(segmentEnd_), ruler.right()), ruler.bottom()));
    p.fillRect(band, kSegment);
  }
  const double loopA = rulerDragging_ ? std::min(rulerPressSeconds_, rulerDragSeconds_) : loopStart_;
  const double loopB = rulerDragging_ ? std::max(rulerPressSeconds_, rulerDragSeconds_) : loopEnd_;
  if (loopB > loopA) {
    QColor fill = kLoop;
    fill.setAlpha(90);
    p.fillRect(QRectF(QPointF(std::max(view.x(loopA), ruler.left()), ruler.top()),
                      QPointF(std::min(view.x(loopB), ruler.right()), ruler.bottom() - 5)),
               fill);
  }
  const double step = niceStep((t1_ - t0_) * 80.0 / std::max(ruler.width(), 1.0));
  const int decimals = std::max(0, -int(std::floor(std::log10(step) + 1e-9)));
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  p.setFont(small);
  for (double t = std::ceil(t0_ / step) * step; t <= t1_; t += step) {
    const double x = view.x(t);
    p.setPen(kAxisLine);
    p.drawLine(QPointF(x, ruler.bottom() - 8), QPointF(x, ruler.bottom()));
    const QString label = QStringLiteral("%1 s").arg(t, 0, 'f', decimals);
    if (x + 3 + p.fontMetrics().horizontalAdvance(label) > ruler.right()) continue;  // would run into the legend
    p.setPen(kAxisText);
    p.drawText(QRectF(x + 3, ruler.top(), 80, ruler.height() - 6), Qt::AlignLeft | Qt::AlignVCenter, label);
  }
  p.setFont(font());
}

void SpectrogramView::paintLegend(QPainter& p, const ViewMapping& view) {
  const QRectF bar(view.plot.right() + 10, view.plot.top(), 12, view.plot.height());
  for (int y = 0; y < int(bar.height()); ++y) {
    p.setPen(QColor(colourAt(1.0 - y / std::max(bar.height() - 1, 1.0))));
    p.drawLine(QPointF(bar.left(), bar.top() + y), QPointF(bar.right(), bar.top() + y));
  }
  p.setPen(kAxisLine);
  p.setBrush(Qt::NoBrush);
  p.drawRect(bar);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  p.setFont(small);
  p.setPen(kAxisText);
  const double range = ceilingDb_ - floorDb_;
  const double step = range > 80 ? 20 : 10;
  const double textHeight = p.fontMetrics().height();
  for (double db = std::ceil(floorDb_ / step) * step; db <= ceilingDb_; db += step) {
    const double y = bar.bottom() - (db - floorDb_) / range * bar.height();
    p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y));
    p.drawText(QRectF(bar.right() + 4, y - textHeight / 2, kRightMargin - 26, textHeight), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number(db));
  }
  p.drawText(QRectF(bar.left() - 4, 4, kRightMargin - 4, kRulerHeight - 6), Qt::AlignLeft | Qt::AlignVCenter, tr("dB"));
  p.setFont(font());
}

void SpectrogramView::mousePressEvent(QMouseEvent* event) {
  if (!target_ || event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  const QPointF pos = event->position();
  const ViewMapping view = mappingAt(pos);
  if (rulerRect().contains(pos)) {
    rulerDragging_ = true;
    rulerPressSeconds_ = rulerDragSeconds_ = std::clamp(view.time(pos.x()), 0.0, duration_);
    return;
  }
  if (view.plot.contains(pos)) {
    const int hit = hitTestAtom(view, atoms_, pos);
    setSelectedAtom(hit);
    emit atomClicked(hit);
  }
}

void SpectrogramView::mouseMoveEvent(QMouseEvent* event) {
  if (!target_) return;
  const QPointF pos = event->position();
  const ViewMapping view = mappingAt(pos);
  if (rulerDragging_) {
    rulerDragSeconds_ = std::clamp(view.time(pos.x()), 0.0, duration_);
    update();
    return;
  }
  const Lane* lane = laneAt(pos);
  if (!lane) {
    emit cursorReadout(QString());
    return;
  }
  const double seconds = view.time(pos.x()), hz = view.hz(pos.y());
  QString text = tr("%1   %2 (%3)").arg(formatSeconds(seconds), formatHz(hz), noteName(hz));
  double db = 0;
  if (levelAt(seconds, hz, lane->mode, &db)) text += tr("   %1 dB").arg(db, 0, 'f', 1);
  emit cursorReadout(text);
  const int hover = hitTestAtom(view, atoms_, pos);
  if (hover != hovered_) {
    hovered_ = hover;
    update();
  }
}

void SpectrogramView::mouseReleaseEvent(QMouseEvent* event) {
  if (!rulerDragging_ || event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
  rulerDragging_ = false;
  const ViewMapping view = mapping();
  // Under four pixels of travel is a click: seek. Further is a drag: a loop range.
  if (std::abs(view.x(rulerDragSeconds_) - view.x(rulerPressSeconds_)) < 4.0) {
    emit seekRequested(rulerPressSeconds_);
  } else {
    emit loopRangeSelected(std::min(rulerPressSeconds_, rulerDragSeconds_), std::max(rulerPressSeconds_, rulerDragSeconds_));
  }
  update();
}

void SpectrogramView::wheelEvent(QWheelEvent* event) {
  if (!target_) return;
  const QPoint angle = event->angleDelta();
  const double steps = (angle.y() != 0 ? angle.y() : angle.x()) / 120.0;
  const ViewMapping view = mappingAt(event->position());
  const Qt::KeyboardModifiers mods = event->modifiers();
  if (mods & Qt::ControlModifier) {
    if (mods & Qt::ShiftModifier)
      zoomFrequency(std::pow(1.25, steps), view.hz(event->position().y()));
    else
      zoomTime(std::pow(1.25, steps), view.time(event->position().x()));
  } else if (mods & Qt::ShiftModifier) {
    scrollFrequency(steps * 0.25);
  } else {
    const double shift = -steps * 0.1 * (t1_ - t0_);
    setVisibleRange(t0_ + shift, t1_ + shift);
  }
  event->accept();
}

void SpectrogramView::keyPressEvent(QKeyEvent* event) {
  const double width = t1_ - t0_;
  switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomTime(1.5); break;
    case Qt::Key_Minus: zoomTime(1.0 / 1.5); break;
    case Qt::Key_Left: setVisibleRange(t0_ - 0.1 * width, t1_ - 0.1 * width); break;
    case Qt::Key_Right: setVisibleRange(t0_ + 0.1 * width, t1_ + 0.1 * width); break;
    case Qt::Key_Up: scrollFrequency(0.25); break;
    case Qt::Key_Down: scrollFrequency(-0.25); break;
    default: QWidget::keyPressEvent(event);
  }
}

void SpectrogramView::leaveEvent(QEvent* event) {
  emit cursorReadout(QString());
  if (hovered_ >= 0) {
    hovered_ = -1;
    update();
  }
  QWidget::leaveEvent(event);
}

bool SpectrogramView::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int hit = hitTestAtom(mappingAt(help->pos()), atoms_, help->pos());
    if (hit >= 0) {
      const Atom& a = atoms_.atoms[size_t(hit)];
      QToolTip::showText(help->globalPos(), atomTooltip(hit, a, a.gain >= inactiveGain_), this);
    } else {
      QToolTip::hideText();
    }
    return true;
  }
  return QWidget::event(event);
}

}  // namespace audiosplat::ui
