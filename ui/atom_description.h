#pragma once
// An atom's parameters as a person reads them (seconds, dB, Hz, octaves, dB/oct): the
// rows of the inspector and of the hover tooltip.
#include <QString>
#include <vector>

#include "model/atom.h"

namespace audiosplat::ui {

struct AtomRow {
  QString name;
  QString value;
};

std::vector<AtomRow> describeAtom(const Atom& atom, bool active);
// The rows as a small HTML table, for tooltips.
QString atomTooltip(int index, const Atom& atom, bool active);

}  // namespace audiosplat::ui
