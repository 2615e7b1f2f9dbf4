#pragma once
// The exact CPU reference of the atom model (docs/atom-model.md), in double precision:
// the oracle every GPU kernel is tested against. Clear before fast.
#include <cstdint>
#include <span>
#include <vector>

#include "model/atom_set.h"

namespace audiosplat::reference {

// The atom's own signal s_r before placement: L samples, or L + len(R) - 1 with a room.
std::vector<double> renderAtomLocal(const Atom& atom, const AtomSet& context);

// Adds the atom, placed at its onset, into out = absolute samples [start, start + out.size()).
void addAtom(const Atom& atom, const AtomSet& context, int64_t start, std::span<double> out);

// The sum of all atoms over absolute samples [start, start + length).
std::vector<double> renderSegment(const AtomSet& set, int64_t start, size_t length);

// The whole document: set.length samples from 0.
std::vector<double> render(const AtomSet& set);

// First and one-past-last absolute sample an atom can touch once placed.
std::pair<int64_t, int64_t> atomSpan(const Atom& atom, const AtomSet& context);

// Gradient of a scalar loss with respect to the atom's continuous parameters (physical
// units, Param order), given dLoss/dx over absolute samples [start, start + gradOut.size()).
ParamVector atomGradient(const Atom& atom, const AtomSet& context, int64_t start,
                         std::span<const double> gradOut);

}  // namespace audiosplat::reference
