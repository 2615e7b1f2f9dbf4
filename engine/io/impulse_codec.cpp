#include "io/impulse_codec.h"

#include <cstdint>
#include <cstring>

#include "io/atom_file_error.h"
#include "io/atom_file_format.h"

namespace audiosplat::io {

QByteArray encodeImpulse(const std::vector<double>& impulse) {
  QByteArray bytes(qsizetype(impulse.size() * 8), Qt::Uninitialized);
  for (size_t n = 0; n < impulse.size(); ++n) {
    uint64_t bits;
    std::memcpy(&bits, &impulse[n], sizeof bits);
    for (int i = 0; i < 8; ++i) bytes[qsizetype(8 * n + i)] = char((bits >> (8 * i)) & 0xFF);
  }
  return bytes.toBase64();
}

qsizetype encodedImpulseLength(size_t samples) { return qsizetype((samples * 8 + 2) / 3 * 4); }

std::vector<double> decodeImpulse(const QByteArray& base64, size_t samples,
                                  const std::string& where) {
  const std::string key(format::kRoomImpulseKey);
  if (base64.size() != encodedImpulseLength(samples))
    throw AtomFileError(AtomFileError::Kind::Invalid,
                        where + key + " has " + std::to_string(base64.size()) +
                            " characters; " + std::to_string(samples) + " samples take " +
                            std::to_string(encodedImpulseLength(samples)));
  const auto decoded =
      QByteArray::fromBase64Encoding(base64, QByteArray::AbortOnBase64DecodingErrors);
  if (!decoded || decoded.decoded.size() != qsizetype(samples * 8))
    throw AtomFileError(AtomFileError::Kind::Invalid, where + key + " is not valid base64");
  std::vector<double> impulse(samples);
  const auto* bytes = reinterpret_cast<const unsigned char*>(decoded.decoded.constData());
  for (size_t n = 0; n < samples; ++n) {
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t(bytes[8 * n + i]) << (8 * i);
    std::memcpy(&impulse[n], &bits, sizeof bits);
  }
  return impulse;
}

}  // namespace audiosplat::io
