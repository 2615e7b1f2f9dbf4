#pragma once
// A document's atoms in absolute time, with the working rate, the atom length and the
// rooms they refer to. A plain value type: edits and snapshots pass it by value.
#include <cstdint>
#include <string>
#include <vector>

#include "model/atom.h"

namespace audiosplat {

// An impulse response that atoms can be sent through (docs/atom-model.md, step 7).
struct Room {
  std::string name;            // file name it was loaded from (no directory)
  std::string sha256;          // hex SHA-256 of the samples as stored (float64 little-endian)
  std::vector<double> impulse; // at the set's working rate
  double norm() const;         // L2 norm of impulse
  bool operator==(const Room&) const = default;
};

struct AtomSet {
  double sampleRate = 22050.0;  // working rate, Hz
  int atomLength = 32768;       // L, samples, power of two
  int64_t length = 0;           // samples covered by the document (render length)
  std::vector<Room> rooms;
  std::vector<Atom> atoms;
  bool operator==(const AtomSet&) const = default;
};

// Hex SHA-256 of a room's samples as float64 little-endian (what Room::sha256 holds).
std::string impulseHash(const std::vector<double>& impulse);

}  // namespace audiosplat
