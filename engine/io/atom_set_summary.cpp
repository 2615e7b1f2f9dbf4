#include "io/atom_set_summary.h"

#include <algorithm>
#include <vector>

namespace audiosplat::io {
namespace {

Spread spreadOf(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  const double median =
      values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
  return {values.front(), median, values.back()};
}

}  // namespace

AtomSetSummary summarize(const AtomSet& set) {
  AtomSetSummary s;
  s.atoms = set.atoms.size();
  s.durationSeconds = double(set.length) / set.sampleRate;
  for (const Atom& a : set.atoms) {
    if (a.gain > kActiveGain) ++s.activeAtoms;
    ++(a.envelope == Envelope::Gaussian ? s.gaussianEnvelopes : s.gammaEnvelopes);
    if (a.room >= 0) ++s.atomsWithRoom;
  }
  std::vector<double> values(set.atoms.size());
  for (int p = 0; p < kParamCount; ++p) {
    std::transform(set.atoms.begin(), set.atoms.end(), values.begin(),
                   [p](const Atom& a) { return a.get(Param(p)); });
    s.params[p] = spreadOf(values);
  }
  std::transform(set.atoms.begin(), set.atoms.end(), values.begin(),
                 [](const Atom& a) { return double(a.partials); });
  s.partials = spreadOf(values);
  return s;
}

}  // namespace audiosplat::io
