#pragma once
// A flat JSON object written in insertion order: the command line's machine-readable
// output. Numbers use the shortest round-trip form; non-finite numbers become null.
#include <cstdint>
#include <string>

namespace audiosplat::cli {

class JsonObject {
 public:
  void add(const std::string& key, double value);
  void add(const std::string& key, int64_t value);
  void add(const std::string& key, const std::string& value);
  void add(const std::string& key, bool value);
  void addRaw(const std::string& key, const std::string& json);  // an already-encoded value
  std::string text() const { return "{" + body_ + "}"; }

 private:
  void key(const std::string& k);
  std::string body_;
};

std::string jsonString(const std::string& s);
std::string jsonNumber(double value);

}  // namespace audiosplat::cli
