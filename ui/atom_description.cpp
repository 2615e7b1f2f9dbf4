#include "atom_description.h"

#include "units.h"

namespace audiosplat::ui {

std::vector<AtomRow> describeAtom(const Atom& a, bool active) {
  const double attackPeak = (a.envelope == Envelope::Gamma ? a.attackShape - 1.0 : a.attackShape) * a.attackScale;
  return {
      {QStringLiteral("State"), active ? QStringLiteral("active") : QStringLiteral("inactive (gain below threshold)")},
      {QStringLiteral("Onset"), formatSeconds(a.onset)},
      {QStringLiteral("Gain"), QStringLiteral("%1 dB").arg(toDb(a.gain), 0, 'f', 1)},
      {QStringLiteral("Fundamental"), QStringLiteral("%1 (%2)").arg(formatHz(a.fundamental), noteName(a.fundamental))},
      {QStringLiteral("Partials"), QString::number(a.partials)},
      {QStringLiteral("Inharmonicity B"), QString::number(a.inharmonicity, 'g', 3)},
      {QStringLiteral("Tilt"), QStringLiteral("%1 dB/oct").arg(a.tilt, 0, 'f', 1)},
      {QStringLiteral("Decay T60"), formatSeconds(a.decay)},
      {QStringLiteral("Damping slope"), QString::number(a.dampingSlope, 'f', 2)},
      {QStringLiteral("Tonal mix"), QStringLiteral("%1 %").arg(a.tonalMix * 100.0, 0, 'f', 0)},
      {QStringLiteral("Noise centre"), QStringLiteral("%1 (%2)").arg(formatHz(a.noiseCentre), noteName(a.noiseCentre, false))},
      {QStringLiteral("Noise width"), QStringLiteral("%1 oct").arg(a.noiseWidth, 0, 'f', 2)},
      {QStringLiteral("Attack"), QStringLiteral("%1 %2, peak at %3")
                                     .arg(a.envelope == Envelope::Gamma ? "gamma" : "gaussian")
                                     .arg(a.attackShape, 0, 'f', 2)
                                     .arg(formatSeconds(attackPeak))},
      {QStringLiteral("Room"), a.room < 0 ? QStringLiteral("none")
                                          : QStringLiteral("#%1, %2 % wet").arg(a.room).arg(a.roomWet * 100.0, 0, 'f', 0)},
      {QStringLiteral("Noise seed"), QString::number(a.seed)},
  };
}

QString atomTooltip(int index, const Atom& atom, bool active) {
  QString html = QStringLiteral("<b>Atom %1</b><table>").arg(index + 1);
  for (const AtomRow& row : describeAtom(atom, active))
    html += QStringLiteral("<tr><td>%1</td><td>&nbsp;%2</td></tr>").arg(row.name, row.value.toHtmlEscaped());
  return html + QStringLiteral("</table>");
}

}  // namespace audiosplat::ui
