// parseAtomJson: QJsonDocument parses (it limits nesting to 1024 levels and rejects
// NaN, Infinity and numbers beyond double's range); this file checks every field's
// presence, type and value and builds the AtomSet.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/atom_file.h"
#include "io/atom_file_format.h"
#include "io/atom_set_check.h"
#include "io/impulse_codec.h"
#include "io/number_text.h"

namespace audiosplat::io {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw AtomFileError(AtomFileError::Kind::Invalid, message);
}

QLatin1String latin1(std::string_view text) {
  return QLatin1String(text.data(), qsizetype(text.size()));
}

// A JSON value as a message shows it; long strings are cut.
std::string describe(const QJsonValue& value) {
  switch (value.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return value.toBool() ? "true" : "false";
    case QJsonValue::Double: return "the number " + numberText(value.toDouble());
    case QJsonValue::String: {
      const QString text = value.toString();
      return "the string \"" + text.left(40).toStdString() + (text.size() > 40 ? "...\"" : "\"");
    }
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: break;
  }
  return "undefined";
}

// The fields of one JSON object of the file, with where it is ("atom 12: ") for messages.
class Fields {
 public:
  Fields(QJsonObject object, std::string where) : object_(std::move(object)), where_(std::move(where)) {}

  const std::string& where() const { return where_; }

  // Called once every field in `known` has been read (all are required), so a size
  // match means nothing else is there and the common case costs no allocation.
  void rejectUnknown(const std::vector<std::string_view>& known) const {
    if (object_.size() == qsizetype(known.size())) return;
    for (const QString& key : object_.keys()) {
      const std::string name = key.toStdString();
      if (std::find(known.begin(), known.end(), name) == known.end())
        invalid(where_ + "unknown field \"" + name + "\"");
    }
  }

  QJsonValue value(std::string_view key) const {
    const QJsonValue v = object_.value(latin1(key));
    if (v.isUndefined()) invalid(where_ + "missing field \"" + std::string(key) + "\"");
    return v;
  }

  double number(std::string_view key) const {
    const QJsonValue v = value(key);
    if (!v.isDouble()) invalid(where_ + wrongType(key, v, "a number"));
    return v.toDouble();
  }

  // A whole number in lo..hi; the range is checked first so the cast is always exact.
  int64_t integer(std::string_view key, int64_t lo, int64_t hi, std::string_view unit = {}) const {
    const double v = number(key);
    if (!(v >= double(lo) && v <= double(hi)))
      invalid(where_ + outsideRangeText(key, v, double(lo), double(hi), unit));
    if (v != std::floor(v))
      invalid(where_ + std::string(key) + " = " + numberText(v) + " is not a whole number");
    return int64_t(v);
  }

  QString string(std::string_view key) const {
    const QJsonValue v = value(key);
    if (!v.isString()) invalid(where_ + wrongType(key, v, "a string"));
    return v.toString();
  }

  QJsonArray array(std::string_view key) const {
    const QJsonValue v = value(key);
    if (!v.isArray()) invalid(where_ + wrongType(key, v, "an array"));
    return v.toArray();
  }

 private:
  static std::string wrongType(std::string_view key, const QJsonValue& v, const char* expected) {
    return std::string(key) + " is " + describe(v) + ", expected " + expected;
  }

  QJsonObject object_;
  std::string where_;
};

// Element `index` of an array that must hold objects, as Fields named `what index: `.
Fields element(const QJsonArray& array, qsizetype index, const std::string& what) {
  const std::string where = what + " " + std::to_string(index);
  const QJsonValue v = array.at(index);
  if (!v.isObject()) invalid(where + " is " + describe(v) + ", expected an object");
  return Fields(v.toObject(), where + ": ");
}

std::string lineAndColumn(const QByteArray& text, qsizetype offset) {
  offset = std::clamp<qsizetype>(offset, 0, text.size());
  const auto begin = text.cbegin(), end = begin + offset;
  const auto line = std::count(begin, end, '\n') + 1;
  const auto lineStart = std::find(std::make_reverse_iterator(end), text.crend(), '\n').base();
  return "line " + std::to_string(line) + ", column " + std::to_string(end - lineStart + 1);
}

void checkFormatAndVersion(const Fields& top) {
  const std::string tag(format::kTag);
  const QJsonValue given = top.value(format::kFormatKey);
  if (given.toString().toStdString() != tag)
    invalid(std::string(format::kFormatKey) + " is " + describe(given) + ", expected \"" + tag +
            "\": not an AudioSplat atom file");
  const std::string reads = " (this build reads version " + std::to_string(format::kVersion) + ")";
  const double version = top.number(format::kVersionKey);
  if (version > format::kVersion)
    invalid("version " + numberText(version) + " is newer than this build reads" + reads +
            "; update AudioSplat to open it");
  if (version != format::kVersion) invalid("version " + numberText(version) + " is not valid" + reads);
}

Room parseRoom(const Fields& fields, size_t index) {
  Room room;
  room.name = fields.string(format::kRoomNameKey).toStdString();
  const auto samples = size_t(fields.integer(format::kRoomSamplesKey, 1, format::kMaxImpulseSamples));
  const std::string hash = fields.string(format::kRoomHashKey).toStdString();
  room.impulse = decodeImpulse(fields.string(format::kRoomImpulseKey).toLatin1(), samples,
                               fields.where());
  room.sha256 = impulseHash(room.impulse);
  if (hash != room.sha256)
    invalid(fields.where() + std::string(format::kRoomHashKey) +
            " does not match the impulse samples: the file says " + hash +
            ", the samples hash to " + room.sha256);
  checkRoom(room, index);
  fields.rejectUnknown({format::kRoomNameKey, format::kRoomSamplesKey, format::kRoomHashKey,
                        format::kRoomImpulseKey});
  return room;
}

const std::vector<std::string_view>& atomKeys() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> k;
    for (int i = 0; i < kParamCount; ++i) k.push_back(paramInfo(Param(i)).key);
    k.insert(k.end(), {format::kEnvelopeKey, format::kPartialsKey, format::kSeedKey,
                       format::kRoomKey});
    return k;
  }();
  return keys;
}

Atom parseAtom(const Fields& fields, size_t index, const AtomSet& context) {
  Atom atom;
  for (int i = 0; i < kParamCount; ++i)
    atom.set(Param(i), fields.number(paramInfo(Param(i)).key));

  const QString envelope = fields.string(format::kEnvelopeKey);
  if (envelope == latin1(format::kGammaName)) {
    atom.envelope = Envelope::Gamma;
  } else if (envelope == latin1(format::kGaussianName)) {
    atom.envelope = Envelope::Gaussian;
  } else {
    invalid(fields.where() + std::string(format::kEnvelopeKey) + " is " +
            describe(QJsonValue(envelope)) + ", expected \"" + std::string(format::kGammaName) +
            "\" or \"" + std::string(format::kGaussianName) + "\"");
  }
  atom.partials = int(fields.integer(format::kPartialsKey, 1, kMaxPartials));
  atom.seed = uint32_t(fields.integer(format::kSeedKey, 0, UINT32_MAX));
  if (fields.value(format::kRoomKey).isNull()) {
    atom.room = -1;
  } else {
    const int64_t rooms = int64_t(context.rooms.size());
    if (rooms == 0)
      invalid(fields.where() + std::string(format::kRoomKey) + " is " +
              describe(fields.value(format::kRoomKey)) + " but the file has no rooms (use null)");
    atom.room = int(fields.integer(format::kRoomKey, 0, rooms - 1));
  }
  checkAtom(atom, index, context);
  fields.rejectUnknown(atomKeys());
  return atom;
}

}  // namespace

AtomSet parseAtomJson(const QByteArray& json) {
  if (json.size() > format::kMaxFileBytes)
    invalid(std::to_string(json.size()) + " bytes, more than the " +
            std::to_string(format::kMaxFileBytes) + " an atom file may hold");
  QJsonParseError error;
  const QJsonDocument document = QJsonDocument::fromJson(json, &error);
  if (error.error != QJsonParseError::NoError)
    invalid("not valid JSON near " + lineAndColumn(json, error.offset) + ": " +
            error.errorString().toStdString());
  if (!document.isObject()) invalid("the top level is not a JSON object: not an atom file");

  const Fields top(document.object(), "");
  checkFormatAndVersion(top);
  AtomSet set;
  set.sampleRate = top.number(format::kSampleRateKey);
  checkSampleRate(set.sampleRate);
  const int64_t atomLength =
      top.integer(format::kAtomLengthKey, format::kMinAtomLength, format::kMaxAtomLength);
  checkAtomLength(atomLength);
  set.atomLength = int(atomLength);
  set.length = top.integer(format::kLengthKey, 0, format::kMaxLength, "samples");

  const QJsonArray rooms = top.array(format::kRoomsKey);
  checkRoomCount(size_t(rooms.size()));
  set.rooms.reserve(size_t(rooms.size()));
  for (qsizetype r = 0; r < rooms.size(); ++r)
    set.rooms.push_back(parseRoom(element(rooms, r, "room"), size_t(r)));

  const QJsonArray atoms = top.array(format::kAtomsKey);
  checkAtomCount(size_t(atoms.size()));
  set.atoms.reserve(size_t(atoms.size()));
  for (qsizetype i = 0; i < atoms.size(); ++i)
    set.atoms.push_back(parseAtom(element(atoms, i, "atom"), size_t(i), set));
  top.rejectUnknown({format::kFormatKey, format::kVersionKey, format::kSampleRateKey,
                     format::kAtomLengthKey, format::kLengthKey, format::kRoomsKey,
                     format::kAtomsKey});
  return set;
}

}  // namespace audiosplat::io
