#pragma once
// The fit's loss against iterations on a log scale (the Loss dock).
#include <QWidget>
#include <vector>

namespace audiosplat::ui {

class LossPlot : public QWidget {
  Q_OBJECT
 public:
  explicit LossPlot(QWidget* parent = nullptr);
  void setHistory(std::vector<double> losses);
  const std::vector<double>& history() const { return losses_; }
  QSize sizeHint() const override { return {320, 160}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  std::vector<double> losses_;
};

}  // namespace audiosplat::ui
