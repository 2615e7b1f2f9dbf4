#pragma once
// What the next fit uses (the Fit settings dock): atoms, iterations, loss, sparsity
// weight, learning rate, initialiser and seed. Stored in QSettings between sessions.
#include <QWidget>

#include "fit/fit_settings.h"

class QSpinBox;
class QDoubleSpinBox;
class QComboBox;

namespace audiosplat::ui {

class FitSettingsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit FitSettingsPanel(QWidget* parent = nullptr);
  fit::FitSettings settings() const;
  void setSettings(const fit::FitSettings& settings);
  void load();        // from QSettings (defaults sized for a first look on the CPU)
  void save() const;  // to QSettings

 private:
  QSpinBox* atoms_;
  QSpinBox* iterations_;
  QComboBox* loss_;
  QDoubleSpinBox* sparsity_;
  QDoubleSpinBox* learningRate_;
  QSpinBox* freezeAfter_;
  QComboBox* initialiser_;
  QSpinBox* seed_;
};

}  // namespace audiosplat::ui
