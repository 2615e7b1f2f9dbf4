#include "progress_bar.h"

#include <unistd.h>

#include <chrono>
#include <cmath>

namespace audiosplat::cli {
namespace {
double now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

ProgressBar::ProgressBar(int total) : total_(total), terminal_(isatty(STDERR_FILENO)) {}

void ProgressBar::update(int done, double loss, double rate) {
  const double t = now();
  const bool last = done >= total_;
  const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
  if (terminal_) {
    if (!last && t - lastDraw_ < 0.2) return;
    lastDraw_ = t;
    constexpr int kWidth = 30;
    const int filled = total_ > 0 ? int(double(done) / total_ * kWidth) : kWidth;
    char bar[kWidth + 1];
    for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kWidth] = 0;
    std::fprintf(stderr, "\r[%s] %d/%d  loss %.5g  %.1f it/s  ETA %.0f s   ", bar, done, total_, loss,
                 rate, eta);
    std::fflush(stderr);
  } else {
    const int tenth = total_ > 0 ? done * 10 / total_ : 10;
    if (tenth == lastTenth_) return;
    lastTenth_ = tenth;
    std::fprintf(stderr, "iteration %d/%d  loss %.5g  %.1f it/s  ETA %.0f s\n", done, total_, loss, rate,
                 eta);
  }
}

void ProgressBar::note(const std::string& message) {
  std::fprintf(stderr, terminal_ ? "\r%s\n" : "%s\n", message.c_str());
  lastDraw_ = -1.0;
}

void ProgressBar::finish() {
  if (terminal_) std::fprintf(stderr, "\n");
}

}  // namespace audiosplat::cli
