#include "io/number_text.h"

#include <charconv>
#include <cmath>

namespace audiosplat::io {

std::string numberText(double value) {
  if (value == 0.0) return "0";
  // Plain decimals where people expect them (100000, not 1e+05), exponents only for the
  // very small and very large. Either way the shortest digits that read back exactly.
  const double magnitude = std::fabs(value);
  const auto style = magnitude >= 1e-5 && magnitude < 1e16 ? std::chars_format::fixed
                                                           : std::chars_format::general;
  char buffer[48];  // fixed needs at most 5 zeros + 17 digits + sign and point
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, style);
  return std::string(buffer, result.ptr);
}

std::string outsideRangeText(std::string_view key, double value, double lo, double hi,
                             std::string_view unit) {
  std::string text = std::string(key) + " = " + numberText(value) + " is outside " +
                     numberText(lo) + ".." + numberText(hi);
  if (!unit.empty()) text += " " + std::string(unit);
  return text;
}

}  // namespace audiosplat::io
