#include "json_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace audiosplat::cli {

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += char(c);
        }
    }
  }
  return out + "\"";
}

std::string jsonNumber(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

void JsonObject::key(const std::string& k) {
  if (!body_.empty()) body_ += ", ";
  body_ += jsonString(k) + ": ";
}

void JsonObject::add(const std::string& k, double value) {
  key(k);
  body_ += jsonNumber(value);
}

void JsonObject::add(const std::string& k, int64_t value) {
  key(k);
  body_ += std::to_string(value);
}

void JsonObject::add(const std::string& k, const std::string& value) {
  key(k);
  body_ += jsonString(value);
}

void JsonObject::add(const std::string& k, bool value) {
  key(k);
  body_ += value ? "true" : "false";
}

void JsonObject::addRaw(const std::string& k, const std::string& json) {
  key(k);
  body_ += json;
}

}  // namespace audiosplat::cli
