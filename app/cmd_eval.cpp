// audiosplat eval REFERENCE ESTIMATE [--rate HZ]: the quality metrics of
// shared/design/measuring.md as one JSON object on stdout.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/metrics.h"
#include "audio/audio_error.h"
#include "audio/audio_file.h"
#include "audio/sample_rate_limits.h"
#include "cli_errors.h"
#include "commands.h"
#include "exit_codes.h"
#include "json_text.h"

namespace audiosplat::cli {
namespace {

constexpr const char* kUsage =
    "Usage: audiosplat eval REFERENCE ESTIMATE [--rate HZ]\n"
    "\n"
    "Compares ESTIMATE with REFERENCE and prints one JSON object:\n"
    "  {\"mrstft\": ..., \"lsd_db\": ..., \"snr_db\": ..., \"si_sdr_db\": ...}\n"
    "mrstft (multi-resolution STFT distance) and lsd_db (log-spectral distance) are\n"
    "better when lower; snr_db and si_sdr_db when higher. A value that is not a finite\n"
    "number (e.g. the SNR of an exact copy) is printed as null, with the reason on stderr.\n"
    "\n"
    "Both files are mixed to mono, resampled to one rate and truncated to the shorter.\n"
    "The estimate is used as stored: no normalisation, no gain matching.\n"
    "Definitions: shared/design/measuring.md.\n"
    "\n"
    "Options:\n"
    "  --rate HZ   compare at HZ (1000 to 768000) instead of REFERENCE's own rate\n"
    "  -h, --help  show this help\n";

int usageError(const std::string& message) {
  std::fprintf(stderr, "audiosplat eval: %s\n\n%s", message.c_str(), kUsage);
  return kExitUsage;
}

bool isSilent(std::span<const double> x) {
  for (double v : x)
    if (v != 0) return false;
  return true;
}

// Why a metric came out infinite or NaN, given which of the compared signals is silent.
std::string whyNotFinite(std::string_view key, bool referenceSilent, bool estimateSilent) {
  if (referenceSilent) return "the reference is silent, and this metric is relative to its energy";
  if (estimateSilent)
    return "the estimate is silent, so it has no scale to project onto the reference";
  if (key == "snr_db") return "the estimate equals the reference exactly (no error to measure)";
  return "the estimate is an exact multiple of the reference (no error to measure)";
}

}  // namespace

int evalCommand(int argc, char** argv) {
  std::vector<std::string> files;
  double rate = 0;  // 0: the reference's own rate
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
    if (arg == "--rate" || arg.starts_with("--rate=")) {
      std::string value;
      if (arg == "--rate") {
        if (++i == argc) return usageError("--rate needs a value in Hz");
        value = argv[i];
      } else {
        value = std::string(arg.substr(7));
      }
      char* end = nullptr;
      rate = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !audio::isSupportedSampleRate(rate))
        return usageError("--rate " + value + ": give a rate in Hz from 1000 to 768000");
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usageError("unknown option " + std::string(arg));
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.size() != 2) return usageError("give exactly two files, REFERENCE and ESTIMATE");

  audio::Audio reference, estimate;
  try {
    reference = audio::load(files[0], {.targetRate = rate});
    estimate = audio::load(files[1], {.targetRate = reference.sampleRate});
  } catch (const audio::AudioError& e) {
    std::fprintf(stderr, "audiosplat eval: %s\n", e.what());
    return exitCodeFor(e.kind());
  }

  const size_t length = std::min(reference.samples.size(), estimate.samples.size());
  if (length < analysis::kMinEvaluateLength) {
    std::fprintf(stderr,
                 "audiosplat eval: the signals overlap for %zu samples (%.3f s at %g Hz); the "
                 "metrics need at least %zu samples\n",
                 length, double(length) / reference.sampleRate, reference.sampleRate,
                 analysis::kMinEvaluateLength);
    return kExitDataError;
  }
  if (reference.samples.size() != estimate.samples.size())
    std::fprintf(stderr,
                 "audiosplat eval: note: the files differ in length by %.4f s; "
                 "comparing the first %.4f s\n",
                 std::abs(double(reference.samples.size()) - double(estimate.samples.size())) /
                     reference.sampleRate,
                 double(length) / reference.sampleRate);

  const std::span<const double> ref = std::span(reference.samples).first(length);
  const std::span<const double> est = std::span(estimate.samples).first(length);
  const analysis::Metrics m = analysis::evaluate(ref, est);
  const std::pair<const char*, double> values[] = {
      {"mrstft", m.mrstft}, {"lsd_db", m.lsdDb}, {"snr_db", m.snrDb}, {"si_sdr_db", m.siSdrDb}};

  JsonObject json;  // prints non-finite numbers as null
  for (const auto& [key, value] : values) {
    json.add(key, value);
    if (!std::isfinite(value))
      std::fprintf(stderr, "audiosplat eval: %s is %s, printed as null: %s\n", key,
                   std::isnan(value) ? "undefined (NaN)"
                   : value > 0       ? "+infinity"
                                     : "-infinity",
                   whyNotFinite(key, isSilent(ref), isSilent(est)).c_str());
  }
  std::printf("%s\n", json.text().c_str());
  return kExitOk;
}

}  // namespace audiosplat::cli
