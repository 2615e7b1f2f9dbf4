#include "io/atom_set_check.h"

#include <QString>
#include <bit>
#include <cmath>
#include <string>

#include "io/atom_file_error.h"
#include "io/atom_file_format.h"
#include "io/number_text.h"

namespace audiosplat::io {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw AtomFileError(AtomFileError::Kind::Invalid, message);
}

// The same bound as isValid() in model/atom.h: fc and f0 stop at Nyquist.
double upperBound(Param p, double sampleRate) {
  if (p == Param::NoiseCentre || p == Param::Fundamental) return sampleRate / 2.0;
  return paramInfo(p).max;
}

bool isValidUtf8(const std::string& text) {
  return QString::fromUtf8(text.data(), qsizetype(text.size())).toStdString() == text;
}

}  // namespace

void checkSampleRate(double hz) {
  if (!(hz >= format::kMinSampleRate && hz <= format::kMaxSampleRate))
    invalid(outsideRangeText(format::kSampleRateKey, hz, format::kMinSampleRate,
                             format::kMaxSampleRate, "Hz"));
  // Audio files store whole rates; a fractional one could not be rendered as written.
  if (hz != std::floor(hz))
    invalid(std::string(format::kSampleRateKey) + " = " + numberText(hz) +
            " is not a whole number of Hz");
}

void checkAtomLength(int64_t samples) {
  if (samples < format::kMinAtomLength || samples > format::kMaxAtomLength ||
      !std::has_single_bit(uint64_t(samples)))
    invalid(std::string(format::kAtomLengthKey) + " = " + std::to_string(samples) +
            " is not a power of two from " + std::to_string(format::kMinAtomLength) + " to " +
            std::to_string(format::kMaxAtomLength));
}

void checkLength(int64_t samples) {
  if (samples < 0 || samples > format::kMaxLength)
    invalid(outsideRangeText(format::kLengthKey, double(samples), 0.0,
                             double(format::kMaxLength), "samples"));
}

void checkRoomCount(size_t rooms) {
  if (rooms > size_t(format::kMaxRooms))
    invalid(std::to_string(rooms) + " rooms, more than the " +
            std::to_string(format::kMaxRooms) + " an atom file may hold");
}

void checkAtomCount(size_t atoms) {
  if (atoms > size_t(format::kMaxAtoms))
    invalid(std::to_string(atoms) + " atoms, more than the " +
            std::to_string(format::kMaxAtoms) + " an atom file may hold");
}

void checkRoom(const Room& room, size_t index) {
  const std::string where = "room " + std::to_string(index) + ": ";
  if (!isValidUtf8(room.name)) invalid(where + "name is not valid UTF-8");
  const size_t count = room.impulse.size();
  if (count < 1 || count > size_t(format::kMaxImpulseSamples))
    invalid(where + outsideRangeText(format::kRoomSamplesKey, double(count), 1.0,
                                     double(format::kMaxImpulseSamples)));
  for (size_t n = 0; n < count; ++n)
    if (!std::isfinite(room.impulse[n]))
      invalid(where + "impulse sample " + std::to_string(n) + " is " +
              numberText(room.impulse[n]) + ", not a finite number");
  // Rendering divides by the impulse's L2 norm (docs/atom-model.md, step 7).
  if (!(room.norm() > 0.0) || !std::isfinite(room.norm()))
    invalid(where + "impulse has L2 norm " + numberText(room.norm()) +
            "; it must be positive and finite");
}

void checkAtom(const Atom& atom, size_t index, const AtomSet& context) {
  const std::string where = "atom " + std::to_string(index) + ": ";
  for (int i = 0; i < kParamCount; ++i) {
    const Param p = Param(i);
    const ParamInfo& info = paramInfo(p);
    const double value = atom.get(p), hi = upperBound(p, context.sampleRate);
    if (!std::isfinite(value))
      invalid(where + std::string(info.key) + " = " + numberText(value) +
              " is not a finite number");
    if (value < info.min || value > hi)
      invalid(where + outsideRangeText(info.key, value, info.min, hi, info.unit));
  }
  if (atom.partials < 1 || atom.partials > kMaxPartials)
    invalid(where + outsideRangeText(format::kPartialsKey, atom.partials, 1.0, kMaxPartials));
  if (atom.envelope != Envelope::Gamma && atom.envelope != Envelope::Gaussian)
    invalid(where + "envelope " + std::to_string(int(atom.envelope)) + " is unknown");
  if (atom.room < -1 || atom.room >= int64_t(context.rooms.size()))
    invalid(where + "room = " + std::to_string(atom.room) + " is not an index into the " +
            std::to_string(context.rooms.size()) + " rooms");
}

void checkAtomSet(const AtomSet& set) {
  checkSampleRate(set.sampleRate);
  checkAtomLength(set.atomLength);
  checkLength(set.length);
  checkRoomCount(set.rooms.size());
  for (size_t r = 0; r < set.rooms.size(); ++r) checkRoom(set.rooms[r], r);
  checkAtomCount(set.atoms.size());
  for (size_t i = 0; i < set.atoms.size(); ++i) checkAtom(set.atoms[i], i, set);
}

}  // namespace audiosplat::io
