#pragma once
// A fit's progress on stderr: redrawn in place on a terminal, a line per tenth otherwise.
#include <cstdio>
#include <string>

namespace audiosplat::cli {

class ProgressBar {
 public:
  explicit ProgressBar(int total);
  // Redraws at most every 0.2 s (and always at the last iteration).
  void update(int done, double loss, double iterationsPerSecond);
  void finish();
  // A message on a line of its own, the bar redrawn after it.
  void note(const std::string& message);

 private:
  int total_;
  bool terminal_;
  int lastTenth_ = -1;
  double lastDraw_ = -1.0;
};

}  // namespace audiosplat::cli
