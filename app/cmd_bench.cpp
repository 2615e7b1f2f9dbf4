// audiosplat bench: times the standard problems of shared/design/measuring.md and prints
// one JSON line per problem (median after warm-up, device named).
#include <sys/resource.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "cli_errors.h"
#include "commands.h"
#include "fit/backend_factory.h"
#include "fit/fit_setup.h"
#include "fit/fitter.h"
#include "json_text.h"

namespace audiosplat::cli {
namespace {

struct Problem {
  const char* name;
  fit::LossKind loss;
};
const Problem kProblems[] = {{"S64", fit::LossKind::Multiband}, {"S64-mrstft", fit::LossKind::Mrstft}};

double peakResidentMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int fail(int code, const std::string& message) { return failWith("bench", code, message); }

struct KernelTotal {
  std::string kernel;
  double ms = 0.0;
  int64_t dispatches = 0;
};

// One iteration's GPU time summed by kernel, largest first.
std::vector<KernelTotal> byKernel(const std::vector<fit::DispatchTime>& times) {
  std::map<std::string, KernelTotal> totals;
  for (const fit::DispatchTime& t : times) {
    KernelTotal& total = totals[t.kernel];
    total.kernel = t.kernel;
    total.ms += t.ms;
    ++total.dispatches;
  }
  std::vector<KernelTotal> rows;
  for (const auto& [kernel, total] : totals) rows.push_back(total);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.ms > b.ms; });
  return rows;
}

std::string profileJson(const std::vector<KernelTotal>& rows) {
  std::string json = "[";
  for (const KernelTotal& row : rows) {
    JsonObject entry;
    entry.add("kernel", row.kernel);
    entry.add("ms", row.ms);
    entry.add("dispatches", row.dispatches);
    json += (json.size() > 1 ? "," : "") + entry.text();
  }
  return json + "]";
}

// The same for people, on stderr.
void printProfile(const char* problem, const std::vector<KernelTotal>& rows, double total) {
  std::fprintf(stderr, "%s: %.1f ms of GPU time in one iteration\n", problem, total);
  for (const KernelTotal& row : rows)
    std::fprintf(stderr, "  %-32s %8.1f ms %5.1f %%  %3lld dispatches\n", row.kernel.c_str(), row.ms,
                 total > 0 ? 100.0 * row.ms / total : 0.0, static_cast<long long>(row.dispatches));
}

}  // namespace

int benchCommand(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Times fit iterations of the standard problems (64 atoms, 2^15 samples at 22050 Hz of the\n"
      "demo clip): one JSON line each with the median milliseconds per iteration after warm-up.");
  parser.addHelpOption();
  parser.addOptions({
      {"problem", "S64, S64-mrstft or all (default all)", "NAME", "all"},
      {"device", "a Vulkan device index, cpu for the double-precision reference, or list to show them (default: the best device)", "DEVICE", ""},
      {"runs", "timed iterations per problem (default 5)", "N", "5"},
      {"warmup", "untimed iterations first (default 2)", "N", "2"},
      {"input", "audio to fit (default: the bundled demo clip)", "FILE", AUDIOSPLAT_DEMO_CLIP},
      {"profile", "after the timed runs, time one more iteration kernel by kernel (GPU only) and add it to the line as \"profile\""},
  });
  parser.process(QCoreApplication::arguments());
  if (parser.value("device") == "list") {
    std::printf("%s", fit::describeDevices().c_str());
    return 0;
  }
  bool ok = true, okWarm = true;
  const int runs = parser.value("runs").toInt(&ok);
  const int warmup = parser.value("warmup").toInt(&okWarm);
  if (!ok || !okWarm || runs < 1 || warmup < 0) return fail(kExitUsage, "--runs >= 1 and --warmup >= 0");
  const std::string which = parser.value("problem").toStdString();
  std::vector<Problem> selected;
  for (const Problem& p : kProblems)
    if (which == "all" || which == p.name) selected.push_back(p);
  if (selected.empty()) return fail(kExitUsage, "unknown --problem '" + which + "' (S64, S64-mrstft or all)");

  audio::Audio audio;
  try {
    audio = audio::load(parser.value("input").toStdString(), {22050.0, false, 3600.0});
  } catch (const audio::AudioError& e) {
    return fail(exitCodeFor(e.kind()), e.what());
  }
  const fit::TargetSegment segment = fit::cutSegment(audio.samples, 0);

  for (const Problem& problem : selected) {
    std::unique_ptr<fit::GradientBackend> backend;
    try {
      backend = fit::makeBackend(parser.value("device").toStdString());
    } catch (const std::exception& e) {
      return fail(kExitUnavailable, e.what());
    }
    const std::string device = backend->deviceName();
    fit::GradientBackend& gpu = *backend;  // the Fitter owns it from here on
    fit::FitSettings settings;
    settings.loss = problem.loss;
    settings.iterations = 3000;
    fit::Fitter fitter(std::move(backend), settings, fit::initialAtoms(segment, settings, 22050.0),
                       segment.samples, segment.start);
    for (int i = 0; i < warmup; ++i) fitter.step();
    std::vector<double> ms, hostMs;
    for (int i = 0; i < runs; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      fitter.step();
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      hostMs.push_back(ms.back() - gpu.deviceWaitMs());
    }
    std::vector<fit::DispatchTime> profile;
    if (parser.isSet("profile")) {
      gpu.setProfiling(true);
      fitter.step();
      profile = gpu.dispatchTimes();
      gpu.setProfiling(false);
    }
    JsonObject line;
    line.add("problem", std::string(problem.name));
    line.add("device", device);
    line.add("ms_per_iteration", median(ms));
    // What the CPU does around the device's work (all of it for the CPU reference).
    line.add("host_ms_per_iteration", median(hostMs));
    line.add("step", std::string(gpu.stepsOnDevice() ? "device" : "host"));
    line.add("runs", int64_t(runs));
    line.add("warmup", int64_t(warmup));
    line.add("atoms", int64_t(settings.atoms));
    line.add("samples", int64_t(segment.samples.size()));
    line.add("peak_memory_mb", peakResidentMb());
    if (parser.isSet("profile")) {
      double total = 0.0;
      for (const fit::DispatchTime& t : profile) total += t.ms;
      const std::vector<KernelTotal> rows = byKernel(profile);
      line.add("profile_gpu_ms", total);
      line.addRaw("profile", profileJson(rows));
      printProfile(problem.name, rows, total);
    }
    std::printf("%s\n", line.text().c_str());
    std::fflush(stdout);
  }
  return kExitOk;
}

}  // namespace audiosplat::cli
