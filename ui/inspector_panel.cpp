#include "inspector_panel.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "atom_description.h"

namespace audiosplat::ui {

InspectorPanel::InspectorPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  title_ = new QLabel(this);
  title_->setStyleSheet(QStringLiteral("font-weight: bold"));
  layout->addWidget(title_);
  form_ = new QFormLayout;
  form_->setLabelAlignment(Qt::AlignRight);
  layout->addLayout(form_);
  layout->addStretch(1);
  clear();
}

void InspectorPanel::clear() {
  while (form_->rowCount() > 0) form_->removeRow(0);
  title_->setText(tr("No atom selected"));
}

void InspectorPanel::showAtom(int index, const Atom& atom, bool active) {
  const auto rows = describeAtom(atom, active);
  title_->setText(tr("Atom %1").arg(index + 1));
  // Reuse the rows while the same fields are shown: a live fit updates this often.
  if (form_->rowCount() != int(rows.size())) {
    while (form_->rowCount() > 0) form_->removeRow(0);
    for (const AtomRow& row : rows) {
      auto* value = new QLabel(this);
      value->setTextInteractionFlags(Qt::TextSelectableByMouse);
      form_->addRow(row.name, value);
    }
  }
  for (int i = 0; i < int(rows.size()); ++i) {
    static_cast<QLabel*>(form_->itemAt(i, QFormLayout::LabelRole)->widget())->setText(rows[size_t(i)].name);
    static_cast<QLabel*>(form_->itemAt(i, QFormLayout::FieldRole)->widget())->setText(rows[size_t(i)].value);
  }
}

QString InspectorPanel::value(const QString& name) const {
  for (int i = 0; i < form_->rowCount(); ++i) {
    auto* label = static_cast<QLabel*>(form_->itemAt(i, QFormLayout::LabelRole)->widget());
    if (label->text() == name) return static_cast<QLabel*>(form_->itemAt(i, QFormLayout::FieldRole)->widget())->text();
  }
  return {};
}

QString InspectorPanel::title() const { return title_->text(); }

}  // namespace audiosplat::ui
