#pragma once
// Room impulses in an atom file: float64 little-endian bytes as base64 text. Exact for
// every double (the bytes are the bits) and about 10.7 characters a sample.
#include <QByteArray>
#include <cstddef>
#include <string>
#include <vector>

namespace audiosplat::io {

QByteArray encodeImpulse(const std::vector<double>& impulse);

// The base64 text length that `samples` samples encode to.
qsizetype encodedImpulseLength(size_t samples);

// Decodes text that must hold exactly `samples` samples (checked before decoding, so a
// wrong count allocates nothing); throws AtomFileError (Invalid) naming `where`.
std::vector<double> decodeImpulse(const QByteArray& base64, size_t samples,
                                  const std::string& where);

}  // namespace audiosplat::io
