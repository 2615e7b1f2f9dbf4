#pragma once
// The editor's central view: the document's spectrogram (target, reconstruction or
// residual, one at a time or all three stacked in lanes that share the time axis) as cached
// images on a log-frequency axis, a time ruler with the playhead,
// loop range and fitted segment, a dB legend, and the atoms drawn over it as glyphs.
// Zoom: ctrl+wheel or +/- (time), ctrl+shift+wheel (frequency); scroll: wheel, shift+wheel,
// arrow keys. A click on the ruler seeks, a drag on it selects a loop range; a click on
// a glyph selects its atom.
#include <QImage>
#include <QWidget>
#include <array>
#include <memory>
#include <vector>

#include "document.h"
#include "view_mapping.h"

namespace audiosplat::ui {

enum class ViewMode { Target = 0, Reconstruction, Residual };

class SpectrogramView : public QWidget {
  Q_OBJECT
 public:
  explicit SpectrogramView(QWidget* parent = nullptr);

  void setSpectrogram(std::shared_ptr<const analysis::LogSpectrogram> target, double durationSeconds);
  void setReconstruction(std::shared_ptr<const Reconstruction> reconstruction);
  void setAtoms(const AtomSet& atoms, double inactiveGain);
  void setFitSegment(double startSeconds, double endSeconds);  // end <= start: none
  void setMode(ViewMode mode);
  ViewMode mode() const { return mode_; }
  // Stacked: target, reconstruction and residual in three lanes, atoms drawn on each.
  void setStacked(bool stacked);
  bool stacked() const { return stacked_; }
  void setColourRange(double floorDb, double ceilingDb);
  double floorDb() const { return floorDb_; }
  double ceilingDb() const { return ceilingDb_; }
  void setSelectedAtom(int index);
  int selectedAtom() const { return selected_; }
  int atomCount() const { return int(atoms_.atoms.size()); }
  // follow: page the view so the playhead stays visible.
  void setPlayhead(double seconds, bool follow);
  void setLoopRange(double startSeconds, double endSeconds);

  double visibleStart() const { return t0_; }
  double visibleEnd() const { return t1_; }
  double lowestHz() const { return fLo_; }
  double highestHz() const { return fHi_; }
  double duration() const { return duration_; }
  void setVisibleRange(double t0, double t1);
  void zoomTime(double factor, double anchorSeconds);
  void zoomTime(double factor) { zoomTime(factor, 0.5 * (t0_ + t1_)); }
  void zoomFrequency(double factor, double anchorHz);
  void scrollFrequency(double octaves);
  void zoomToFit();
  // The first lane's mapping (the only one unless stacked), and the lane's under a point.
  ViewMapping mapping() const;
  ViewMapping mappingAt(QPointF point) const;

 signals:
  void visibleRangeChanged(double t0, double t1);
  void cursorReadout(const QString& text);
  void atomClicked(int index);  // -1: clicked where there is no atom
  void seekRequested(double seconds);
  void loopRangeSelected(double startSeconds, double endSeconds);
  void painted(double milliseconds);  // how long the last paint took

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void wheelEvent(QWheelEvent*) override;
  void keyPressEvent(QKeyEvent*) override;
  void leaveEvent(QEvent*) override;
  bool event(QEvent*) override;

 private:
  void paintAll();
  QRectF plotRect() const;  // all lanes together
  struct Lane {
    QRectF plot;
    ViewMode mode;
  };
  std::vector<Lane> lanes() const;
  const Lane* laneAt(QPointF point) const;  // null outside every lane; points into lanes_
  void paintLane(QPainter& p, size_t index, const Lane& lane);
  void paintLaneLabel(QPainter& p, const Lane& lane);
  QRectF rulerRect() const;
  void rebuildImages();
  void paintSpectrogram(QPainter& p, const ViewMapping& view, ViewMode mode);
  void paintImage(QPainter& p, const ViewMapping& view, const QImage& image, const analysis::LogSpectrogram& s,
                  double fromSeconds, double toSeconds);
  void paintFrequencyAxis(QPainter& p, const ViewMapping& view);
  void paintRuler(QPainter& p, const ViewMapping& view);
  void paintLegend(QPainter& p, const ViewMapping& view);
  // The dB under a point of one mode's spectrogram, if there is one there.
  bool levelAt(double seconds, double hz, ViewMode mode, double* db) const;
  void clampView();

  std::shared_ptr<const analysis::LogSpectrogram> target_;
  std::shared_ptr<const Reconstruction> reconstruction_;
  QImage targetImage_, reconstructionImage_, residualImage_;
  // The spectrogram as last drawn into the plot: a live fit repaints the atoms several
  // times a second over an unchanged spectrogram, so scaling it again would be waste.
  struct BackgroundKey {
    double t0, t1, fLo, fHi;
    QSize size;
    ViewMode mode;
    int version;
    double segmentStart, segmentEnd;
    bool operator==(const BackgroundKey&) const = default;
  };
  std::array<QImage, 3> backgrounds_;  // per lane
  std::array<BackgroundKey, 3> backgroundKeys_{};
  mutable std::vector<Lane> lanes_;     // as last laid out
  int imagesVersion_ = 0;
  AtomSet atoms_;
  double inactiveGain_ = 1e-3;
  int selected_ = -1, hovered_ = -1;
  ViewMode mode_ = ViewMode::Target;
  bool stacked_ = false;
  double floorDb_ = -100, ceilingDb_ = 0;
  double duration_ = 0, sampleRate_ = 22050;
  double t0_ = 0, t1_ = 1, fLo_ = 30, fHi_ = 11025;
  double segmentStart_ = 0, segmentEnd_ = 0;
  double playhead_ = 0, loopStart_ = 0, loopEnd_ = 0;
  bool rulerDragging_ = false;
  double rulerPressSeconds_ = 0;
  double rulerDragSeconds_ = 0;
};

}  // namespace audiosplat::ui
