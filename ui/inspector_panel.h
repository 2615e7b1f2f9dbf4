#pragma once
// The selected atom's parameters in physical units (the Inspector dock).
#include <QWidget>

#include "model/atom.h"

class QLabel;
class QFormLayout;

namespace audiosplat::ui {

class InspectorPanel : public QWidget {
  Q_OBJECT
 public:
  explicit InspectorPanel(QWidget* parent = nullptr);
  void showAtom(int index, const Atom& atom, bool active);
  void clear();
  // The value shown for a row name ("Fundamental", "Gain", ...); empty when none.
  QString value(const QString& name) const;
  QString title() const;

 private:
  QLabel* title_;
  QFormLayout* form_;
};

}  // namespace audiosplat::ui
