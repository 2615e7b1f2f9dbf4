#pragma once
// The editor's central view: the document's spectrogram (target, reconstruction or
// residual) as a cached image on a log-frequency axis, a time ruler with the playhead,
// loop range and fitted segment, a dB legend, and the atoms drawn over it as glyphs.
// Zoom: ctrl+wheel or +/- (time), ctrl+shift+wheel (frequency); scroll: wheel, shift+wheel,
// arrow keys. A click on the ruler seeks, a drag on it selects a loop range; a click on
// a glyph selects its atom.
#include <QImage>
#include <QWidget>
#include <memory>

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
  ViewMapping mapping() const;

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
  QRectF plotRect() const;
  QRectF rulerRect() const;
  void rebuildImages();
  void paintSpectrogram(QPainter& p, const ViewMapping& view);
  void paintImage(QPainter& p, const ViewMapping& view, const QImage& image, const analysis::LogSpectrogram& s,
                  double fromSeconds, double toSeconds);
  void paintFrequencyAxis(QPainter& p, const ViewMapping& view);
  void paintRuler(QPainter& p, const ViewMapping& view);
  void paintLegend(QPainter& p, const ViewMapping& view);
  // The dB under a point of the current mode's spectrogram, if there is one there.
  bool levelAt(double seconds, double hz, double* db) const;
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
  QImage background_;
  BackgroundKey backgroundKey_{};
  int imagesVersion_ = 0;
  AtomSet atoms_;
  double inactiveGain_ = 1e-3;
  int selected_ = -1, hovered_ = -1;
  ViewMode mode_ = ViewMode::Target;
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
