#pragma once
// The one exception the atom file code throws. kind() lets callers choose an exit
// code or a dialog without parsing the message; what() names the field and the problem.
#include <stdexcept>
#include <string>

namespace audiosplat::io {

class AtomFileError : public std::runtime_error {
 public:
  enum class Kind {
    Unreadable,   // missing, not a regular file, no permission, I/O error
    Invalid,      // read fine, but not a valid atom file (or the set cannot be saved as one)
    WriteFailed,  // the file could not be written
  };
  AtomFileError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace audiosplat::io
