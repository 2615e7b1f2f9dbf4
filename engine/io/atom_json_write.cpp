// atomSetToJson: written by hand rather than through QJsonDocument so that fields keep
// the order of docs/atom-file-format.md and each atom sits on one line (readable, diffable,
// a quarter the size of indented output). Numbers use numberText, exact for every double.
#include <QByteArray>
#include <string>
#include <string_view>

#include "io/atom_file.h"
#include "io/atom_file_format.h"
#include "io/atom_set_check.h"
#include "io/impulse_codec.h"
#include "io/number_text.h"

namespace audiosplat::io {
namespace {

void appendString(std::string& out, std::string_view utf8) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : utf8) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;  // UTF-8 passes through; checkRoom ensured it is valid
    }
  }
  out += '"';
}

// `"key": ` as every field begins.
void appendKey(std::string& out, std::string_view key) {
  appendString(out, key);
  out += ": ";
}

void appendRoom(std::string& out, const Room& room) {
  out += '{';
  appendKey(out, format::kRoomNameKey);
  appendString(out, room.name);
  out += ", ";
  appendKey(out, format::kRoomSamplesKey);
  out += std::to_string(room.impulse.size());
  out += ", ";
  appendKey(out, format::kRoomHashKey);
  appendString(out, impulseHash(room.impulse));
  out += ", ";
  appendKey(out, format::kRoomImpulseKey);
  const QByteArray base64 = encodeImpulse(room.impulse);
  appendString(out, std::string_view(base64.constData(), size_t(base64.size())));  // no escapes in base64
  out += '}';
}

void appendAtom(std::string& out, const Atom& atom) {
  out += '{';
  for (int i = 0; i < kParamCount; ++i) {
    appendKey(out, paramInfo(Param(i)).key);
    out += numberText(atom.get(Param(i)));
    out += ", ";
  }
  appendKey(out, format::kEnvelopeKey);
  appendString(out, atom.envelope == Envelope::Gaussian ? format::kGaussianName
                                                        : format::kGammaName);
  out += ", ";
  appendKey(out, format::kPartialsKey);
  out += std::to_string(atom.partials);
  out += ", ";
  appendKey(out, format::kSeedKey);
  out += std::to_string(atom.seed);
  out += ", ";
  appendKey(out, format::kRoomKey);
  out += atom.room < 0 ? std::string("null") : std::to_string(atom.room);
  out += '}';
}

// "  "key": [\n    item,\n    item\n  ]" with one item a line.
template <typename T, typename AppendItem>
void appendArray(std::string& out, std::string_view key, const std::vector<T>& items,
                 AppendItem appendItem) {
  out += "  ";
  appendKey(out, key);
  if (items.empty()) {
    out += "[]";
    return;
  }
  out += "[\n";
  for (size_t i = 0; i < items.size(); ++i) {
    out += "    ";
    appendItem(out, items[i]);
    out += i + 1 < items.size() ? ",\n" : "\n";
  }
  out += "  ]";
}

}  // namespace

QByteArray atomSetToJson(const AtomSet& set) {
  checkAtomSet(set);
  // Reserved up front: growing a string of hundreds of megabytes by doubling costs more
  // than writing it. An atom line is at most about 560 characters.
  size_t estimate = 1024 + 600 * set.atoms.size();
  for (const Room& room : set.rooms)
    estimate += 256 + room.name.size() * 6 + size_t(encodedImpulseLength(room.impulse.size()));
  std::string out;
  out.reserve(estimate);
  out += "{\n  ";
  appendKey(out, format::kFormatKey);
  appendString(out, format::kTag);
  out += ",\n  ";
  appendKey(out, format::kVersionKey);
  out += std::to_string(format::kVersion);
  out += ",\n  ";
  appendKey(out, format::kSampleRateKey);
  out += std::to_string(int64_t(set.sampleRate));  // whole, checked
  out += ",\n  ";
  appendKey(out, format::kAtomLengthKey);
  out += std::to_string(set.atomLength);
  out += ",\n  ";
  appendKey(out, format::kLengthKey);
  out += std::to_string(set.length);
  out += ",\n";
  appendArray(out, format::kRoomsKey, set.rooms, appendRoom);
  out += ",\n";
  appendArray(out, format::kAtomsKey, set.atoms, appendAtom);
  out += "\n}\n";
  if (int64_t(out.size()) > format::kMaxFileBytes)
    throw AtomFileError(AtomFileError::Kind::Invalid,
                        "the set takes " + std::to_string(out.size()) +
                            " bytes as an atom file, more than the " +
                            std::to_string(format::kMaxFileBytes) + " a reader accepts");
  return QByteArray::fromStdString(out);
}

}  // namespace audiosplat::io
