#pragma once
// What an atom file can hold, checked on values in memory: the writer checks a set
// before it writes a byte, the reader checks each value as it decodes it, so the two
// agree and every file written reads back. Each check throws AtomFileError (Invalid)
// whose message names the field and the problem, prefixed "atom 12: " / "room 0: ".
#include <cstddef>
#include <cstdint>

#include "model/atom_set.h"

namespace audiosplat::io {

void checkSampleRate(double hz);             // whole Hz, 1000..768000
void checkAtomLength(int64_t samples);       // power of two, 256..2^20
void checkLength(int64_t samples);           // 0..2^31-1
void checkRoomCount(size_t rooms);           // at most format::kMaxRooms
void checkAtomCount(size_t atoms);           // at most format::kMaxAtoms
// Impulse length, finite samples, nonzero norm and a name that is valid UTF-8. The hash
// is not checked here: the writer computes it and the reader compares it with the file.
void checkRoom(const Room& room, size_t index);
// The 13 parameters in their ranges (fc and f0 up to fs/2), partials, and the room index
// against context.rooms.
void checkAtom(const Atom& atom, size_t index, const AtomSet& context);
// All of the above.
void checkAtomSet(const AtomSet& set);

}  // namespace audiosplat::io
