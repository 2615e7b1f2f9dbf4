#include "fit_settings_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>

namespace audiosplat::ui {

FitSettingsPanel::FitSettingsPanel(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  atoms_ = new QSpinBox(this);
  atoms_->setRange(1, 4096);
  atoms_->setToolTip(tr("How many atoms the fit starts with; unneeded ones fade to inactive"));
  iterations_ = new QSpinBox(this);
  iterations_->setRange(1, 100000);
  iterations_->setSingleStep(100);
  loss_ = new QComboBox(this);
  loss_->addItem(tr("multiband"), int(fit::LossKind::Multiband));
  loss_->addItem(tr("mrstft"), int(fit::LossKind::Mrstft));
  sparsity_ = new QDoubleSpinBox(this);
  sparsity_->setRange(0.0, 100.0);
  sparsity_->setDecimals(3);
  sparsity_->setSingleStep(0.01);
  sparsity_->setToolTip(tr("Weight of the sum of gains: higher leaves fewer atoms active"));
  learningRate_ = new QDoubleSpinBox(this);
  learningRate_->setRange(0.0001, 1.0);
  learningRate_->setDecimals(4);
  learningRate_->setSingleStep(0.005);
  learningRate_->setToolTip(tr("Adam's step size at the first iteration; it falls linearly to 0.0001 by "
                               "the last. Higher converges sooner in short fits (0.03 for a few "
                               "hundred iterations), 0.01 is the original experiment's"));
  freezeAfter_ = new QSpinBox(this);
  freezeAfter_->setRange(0, 100000);
  freezeAfter_->setSingleStep(10);
  freezeAfter_->setSuffix(tr(" iterations"));
  freezeAfter_->setSpecialValueText(tr("never"));
  freezeAfter_->setToolTip(tr("An atom inactive (gain below 1e-3) for this many iterations in a row is "
                              "left out of the rest of the fit, which then runs faster; editing it "
                              "brings it back"));
  initialiser_ = new QComboBox(this);
  initialiser_->addItem(tr("spectral peaks"), int(fit::Initialiser::SpectralPeaks));
  initialiser_->addItem(tr("random"), int(fit::Initialiser::Random));
  seed_ = new QSpinBox(this);
  seed_->setRange(0, 1 << 30);
  form->addRow(tr("Atoms"), atoms_);
  form->addRow(tr("Iterations"), iterations_);
  form->addRow(tr("Loss"), loss_);
  form->addRow(tr("Sparsity"), sparsity_);
  form->addRow(tr("Learning rate"), learningRate_);
  form->addRow(tr("Leave out inactive after"), freezeAfter_);
  form->addRow(tr("Initialiser"), initialiser_);
  form->addRow(tr("Seed"), seed_);
  auto* note = new QLabel(tr("Fits one segment (up to 1.49 s) from the start of the visible range."), this);
  note->setWordWrap(true);
  note->setStyleSheet(QStringLiteral("color: gray"));
  form->addRow(note);
}

fit::FitSettings FitSettingsPanel::settings() const {
  fit::FitSettings s;
  s.atoms = atoms_->value();
  s.iterations = iterations_->value();
  s.loss = fit::LossKind(loss_->currentData().toInt());
  s.sparsity = sparsity_->value();
  s.learningRateStart = learningRate_->value();
  s.freezeInactiveAfter = freezeAfter_->value();
  s.initialiser = fit::Initialiser(initialiser_->currentData().toInt());
  s.seed = uint32_t(seed_->value());
  return s;
}

void FitSettingsPanel::setSettings(const fit::FitSettings& s) {
  atoms_->setValue(s.atoms);
  iterations_->setValue(s.iterations);
  loss_->setCurrentIndex(loss_->findData(int(s.loss)));
  sparsity_->setValue(s.sparsity);
  learningRate_->setValue(s.learningRateStart);
  freezeAfter_->setValue(s.freezeInactiveAfter);
  initialiser_->setCurrentIndex(initialiser_->findData(int(s.initialiser)));
  seed_->setValue(int(s.seed));
}

void FitSettingsPanel::load() {
  QSettings settings;
  fit::FitSettings s;
  // The engine's defaults (64 atoms, 3000 iterations) take minutes a segment on the CPU.
  s.atoms = settings.value("fit/atoms", 24).toInt();
  s.iterations = settings.value("fit/iterations", 500).toInt();
  s.loss = fit::lossKindFromName(settings.value("fit/loss", "mrstft").toString().toStdString())
               .value_or(s.loss);
  s.sparsity = settings.value("fit/sparsity", s.sparsity).toDouble();
  s.learningRateStart = settings.value("fit/learningRate", s.learningRateStart).toDouble();
  s.freezeInactiveAfter = settings.value("fit/freezeInactiveAfter", s.freezeInactiveAfter).toInt();
  s.initialiser = fit::initialiserFromName(settings.value("fit/initialiser", "peaks").toString().toStdString())
                      .value_or(fit::Initialiser::SpectralPeaks);
  s.seed = settings.value("fit/seed", 0).toUInt();
  setSettings(s);
}

void FitSettingsPanel::save() const {
  QSettings settings;
  const fit::FitSettings s = this->settings();
  settings.setValue("fit/atoms", s.atoms);
  settings.setValue("fit/iterations", s.iterations);
  settings.setValue("fit/loss", QString::fromUtf8(fit::name(s.loss).data(), qsizetype(fit::name(s.loss).size())));
  settings.setValue("fit/sparsity", s.sparsity);
  settings.setValue("fit/learningRate", s.learningRateStart);
  settings.setValue("fit/freezeInactiveAfter", s.freezeInactiveAfter);
  settings.setValue("fit/initialiser",
                    QString::fromUtf8(fit::name(s.initialiser).data(), qsizetype(fit::name(s.initialiser).size())));
  settings.setValue("fit/seed", s.seed);
}

}  // namespace audiosplat::ui
