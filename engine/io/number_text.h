#pragma once
// Numbers as text for atom files and their error messages.
#include <string>
#include <string_view>

namespace audiosplat::io {

// The shortest decimal text that reads back as exactly the same double (std::to_chars),
// valid JSON for every finite value: plain decimals from 1e-5 to 1e16, exponent form
// beyond. Zero is always "0": Qt's JSON reader drops the sign of zero, so writing "-0"
// would promise a distinction the file cannot keep.
// Non-finite values give "nan"/"inf"/"-inf" (for messages only; never valid in a file).
std::string numberText(double value);

// "key = value is outside lo..hi unit", the wording of every range error.
std::string outsideRangeText(std::string_view key, double value, double lo, double hi,
                             std::string_view unit = {});

}  // namespace audiosplat::io
