#include "loss_plot.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace audiosplat::ui {

LossPlot::LossPlot(QWidget* parent) : QWidget(parent) { setMinimumSize(200, 110); }

void LossPlot::setHistory(std::vector<double> losses) {
  losses_ = std::move(losses);
  update();
}

void LossPlot::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(30, 31, 34));
  p.setRenderHint(QPainter::Antialiasing, true);
  const QRectF plot = QRectF(rect()).adjusted(48, 10, -10, -22);
  p.setPen(QColor(90, 92, 98));
  p.drawRect(plot);
  p.setPen(QColor(200, 202, 206));
  double lo = INFINITY, hi = -INFINITY;
  for (double v : losses_)
    if (v > 0 && std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!(hi > 0)) {
    p.drawText(rect(), Qt::AlignCenter, tr("Loss appears here while fitting"));
    return;
  }
  // Whole decades around the data, at least one.
  const double top = std::ceil(std::log10(hi) + 1e-9), bottom = std::min(std::floor(std::log10(lo)), top - 1);
  auto y = [&](double v) { return plot.bottom() - (std::log10(v) - bottom) / (top - bottom) * plot.height(); };
  const double n = std::max<double>(double(losses_.size()) - 1, 1);
  auto x = [&](size_t i) { return plot.left() + double(i) / n * plot.width(); };
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  p.setFont(small);
  for (double d = bottom; d <= top; ++d) {
    const double yy = y(std::pow(10.0, d));
    p.setPen(QColor(60, 62, 68));
    p.drawLine(QPointF(plot.left(), yy), QPointF(plot.right(), yy));
    p.setPen(QColor(200, 202, 206));
    p.drawText(QRectF(0, yy - 8, plot.left() - 4, 16), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("1e%1").arg(d));
  }
  p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), 18), Qt::AlignRight | Qt::AlignVCenter,
             tr("iteration %1   loss %2").arg(losses_.size()).arg(losses_.back(), 0, 'g', 4));
  QPainterPath path;
  bool started = false;
  for (size_t i = 0; i < losses_.size(); ++i) {
    if (!(losses_[i] > 0) || !std::isfinite(losses_[i])) continue;
    const QPointF point(x(i), y(losses_[i]));
    started ? path.lineTo(point) : path.moveTo(point);
    started = true;
  }
  p.setPen(QPen(QColor(64, 196, 180), 1.6));
  p.setBrush(Qt::NoBrush);
  p.drawPath(path);
}

}  // namespace audiosplat::ui
