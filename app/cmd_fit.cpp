// audiosplat fit INPUT -o OUT.atoms [...]: fits atoms to one segment of an audio file.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "analysis/metrics.h"
#include "audio/audio_file.h"
#include "audio/audio_writer.h"
#include "cli_errors.h"
#include "commands.h"
#include "fit/backend_factory.h"
#include "fit/fit_setup.h"
#include "fit/fitter.h"
#include "io/atom_file.h"
#include "io/room_file.h"
#include "json_text.h"
#include "progress_bar.h"

namespace audiosplat::cli {
namespace {

int fail(int code, const std::string& message) { return failWith("fit", code, message); }

}  // namespace

int fitCommand(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Fits sound atoms to one segment (2^15 samples, ~1.49 s at 22050 Hz) of INPUT, from\n"
      "--start; an input shorter than that is fitted whole. Progress on stderr, a JSON\n"
      "summary on stdout.");
  parser.addHelpOption();
  parser.addPositionalArgument("INPUT", "audio file (WAV, FLAC, OGG, MP3, ...)");
  parser.addOptions({
      {{"o", "output"}, "atom file to write", "OUT.atoms"},
      {"wav", "also write the reconstruction of the segment at the input's level", "OUT.wav"},
      {"atoms", "number of atoms (default 64)", "N", "64"},
      {"iterations", "iterations (default 3000)", "N", "3000"},
      {"loss", "mrstft or multiband (default mrstft; multiband is the original experiment's)", "LOSS", "mrstft"},
      {"init", "peaks or random (default peaks)", "INIT", "peaks"},
      {"sparsity", "weight of the sum of gains (default 0.1)", "LAMBDA", "0.1"},
      {"learning-rate", "Adam's learning rate at the first iteration; it falls linearly to 1e-4 by the last (default 0.01)", "RATE", "0.01"},
      {"seed", "seed of the initialiser and the atoms' noise (default 0)", "N", "0"},
      {"freeze-inactive", "leave an atom out of the fit once its gain stayed below 1e-3 for N iterations in a row; 0 never (default 100)", "N", "100"},
      {"start", "segment start in seconds (default 0)", "SECONDS", "0"},
      {"rate", "working rate in Hz (default 22050)", "HZ", "22050"},
      {"trace", "write iteration, seconds, loss, data loss, active and evaluated (not frozen) atoms every 10 iterations (CSV)", "FILE.csv"},
      {"room", "impulse response (audio file) every atom may send to; its wet share is fitted", "IR.wav"},
      {"device", "a Vulkan device index, cpu for the double-precision reference, or list to show them (default: the best device)", "DEVICE", ""},
  });
  parser.process(QCoreApplication::arguments());
  if (parser.value("device") == "list") {
    std::printf("%s", fit::describeDevices().c_str());
    return 0;
  }
  if (parser.positionalArguments().size() != 1) return fail(kExitUsage, "expected one INPUT (see --help)");
  if (!parser.isSet("output")) return fail(kExitUsage, "-o OUT.atoms is required (see --help)");

  fit::FitSettings settings;
  bool ok = true, allOk = true;
  settings.atoms = parser.value("atoms").toInt(&ok);
  allOk &= ok && settings.atoms >= 1 && settings.atoms <= 4096;
  settings.iterations = parser.value("iterations").toInt(&ok);
  allOk &= ok && settings.iterations >= 0;
  settings.sparsity = parser.value("sparsity").toDouble(&ok);
  allOk &= ok && std::isfinite(settings.sparsity) && settings.sparsity >= 0;
  settings.learningRateStart = parser.value("learning-rate").toDouble(&ok);
  // From the schedule's end up: the rate only ever falls.
  allOk &= ok && settings.learningRateStart >= settings.learningRateEnd && settings.learningRateStart <= 1;
  settings.seed = parser.value("seed").toUInt(&ok);
  allOk &= ok;
  settings.freezeInactiveAfter = parser.value("freeze-inactive").toInt(&ok);
  allOk &= ok && settings.freezeInactiveAfter >= 0;
  const double startSeconds = parser.value("start").toDouble(&ok);
  allOk &= ok && std::isfinite(startSeconds) && startSeconds >= 0;
  const double rate = parser.value("rate").toDouble(&ok);
  allOk &= ok && rate >= 8000 && rate <= 192000;
  if (!allOk)
    return fail(kExitUsage, "--atoms (1..4096), --iterations (>= 0), --sparsity (>= 0), --learning-rate (1e-4..1), --seed, --start "
                            "(>= 0 s), --rate (8000..192000 Hz) and --freeze-inactive (>= 0) take "
                            "numbers in those ranges");
  const auto loss = fit::lossKindFromName(parser.value("loss").toStdString());
  if (!loss) return fail(kExitUsage, "--loss is multiband or mrstft");
  settings.loss = *loss;
  const auto init = fit::initialiserFromName(parser.value("init").toStdString());
  if (!init) return fail(kExitUsage, "--init is peaks or random");
  settings.initialiser = *init;

  const std::string input = parser.positionalArguments().front().toStdString();
  const std::string output = parser.value("output").toStdString();
  audio::Audio audio;
  try {
    audio = audio::load(input, {rate, false, 3600.0});
  } catch (const audio::AudioError& e) {
    return fail(exitCodeFor(e.kind()), e.what());
  }
  const int64_t start = int64_t(std::llround(startSeconds * rate));
  fit::TargetSegment segment;
  try {
    segment = fit::cutSegment(audio.samples, start);
  } catch (const std::invalid_argument& e) {
    return fail(kExitDataError, std::string(e.what()) + " (" + input + ")");
  }

  std::unique_ptr<fit::GradientBackend> backend;
  try {
    backend = fit::makeBackend(parser.value("device").toStdString());
  } catch (const std::exception& e) {
    return fail(kExitUnavailable, e.what());
  }
  const std::string device = backend->deviceName();
  AtomSet initial = fit::initialAtoms(segment, settings, rate);
  if (parser.isSet("room")) {
    try {
      initial.rooms.push_back(io::loadRoom(parser.value("room").toStdString(), rate));
    } catch (const audio::AudioError& e) {
      return fail(exitCodeFor(e.kind()), e.what());
    } catch (const std::invalid_argument& e) {
      return fail(kExitDataError, e.what());
    }
    for (Atom& a : initial.atoms) {
      a.room = 0;
      a.roomWet = 0.2;
    }
  }
  fit::Fitter fitter(std::move(backend), settings, std::move(initial), segment.samples, segment.start);

  // Where Adam's step runs: on the device with the atoms, or on the CPU around each submit.
  const std::string step = fitter.backend().stepsOnDevice() ? "device" : "host";
  std::fprintf(stderr, "Fitting %d atoms to %.2f s of %s from %.2f s (%s loss, %s start) on %s (step on the %s)\n",
               settings.atoms, double(segment.audibleLength) / rate, input.c_str(), startSeconds,
               std::string(fit::name(settings.loss)).c_str(),
               std::string(fit::name(settings.initialiser)).c_str(), device.c_str(), step.c_str());
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> trace(nullptr, &std::fclose);
  if (parser.isSet("trace")) {
    trace.reset(std::fopen(parser.value("trace").toLocal8Bit().constData(), "w"));
    if (!trace) return fail(kExitCantCreate, "cannot write the trace " + parser.value("trace").toStdString());
    std::fprintf(trace.get(), "iteration,seconds,loss,data_loss,active_atoms,evaluated_atoms\n");
  }
  ProgressBar progress(settings.iterations);
  const auto began = std::chrono::steady_clock::now();
  int rollBacks = 0, problems = 0;
  double firstLoss = NAN, lastLoss = NAN;
  while (!fitter.finished()) {
    const fit::StepReport report = fitter.step();
    rollBacks += report.rolledBack;
    // The first few problems, then every hundredth: what went wrong, not a flood of it.
    problems += !report.problem.empty();
    if (!report.problem.empty() && (problems <= 5 || problems % 100 == 0))
      progress.note("iteration " + std::to_string(report.iteration) + ": " + report.problem +
                    (report.rolledBack ? "; step rolled back, learning rate now x" +
                                             std::to_string(fitter.learningRateScale())
                                       : "; that atom sat the step out"));
    if (std::isnan(firstLoss)) firstLoss = report.loss;
    if (std::isfinite(report.loss)) lastLoss = report.loss;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    progress.update(report.iteration, report.loss, report.iteration / std::max(elapsed, 1e-9));
    if (trace && (report.iteration % 10 == 0 || fitter.finished()))
      std::fprintf(trace.get(), "%d,%.3f,%.6g,%.6g,%d,%d\n", report.iteration, elapsed, report.loss,
                   report.dataLoss, fitter.activeAtoms(), report.evaluatedAtoms);
    if (trace && report.iteration % 100 == 0) std::fflush(trace.get());  // readable while it runs
  }
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();

  const AtomSet fitted = fit::atInputLevel(fitter.atoms(), segment);
  std::vector<double> reconstruction = fitter.backend().render(fitter.atoms());
  reconstruction.resize(segment.audibleLength);
  std::vector<double> reference(segment.samples.begin(), segment.samples.begin() + long(segment.audibleLength));
  for (double& v : reconstruction) v /= segment.scale;
  for (double& v : reference) v /= segment.scale;
  try {
    io::writeAtomFile(output, fitted);
    if (parser.isSet("wav")) audio::writeAudio(parser.value("wav").toStdString(), reconstruction, rate,
                                               audio::SampleFormat::Float32);
  } catch (const audio::AudioError& e) {
    return fail(exitCodeFor(e.kind()), e.what());
  } catch (const std::exception& e) {
    return fail(kExitCantCreate, e.what());
  }

  JsonObject summary;
  summary.add("input", input);
  summary.add("device", device);
  summary.add("step", step);
  summary.add("loss_kind", std::string(fit::name(settings.loss)));
  summary.add("initialiser", std::string(fit::name(settings.initialiser)));
  summary.add("segment_start_s", double(segment.start) / rate);
  summary.add("segment_s", double(segment.audibleLength) / rate);
  summary.add("atoms", int64_t(settings.atoms));
  summary.add("active_atoms", int64_t(fitter.activeAtoms()));
  summary.add("frozen_atoms", int64_t(fitter.frozenAtoms()));
  summary.add("freeze_inactive_after", int64_t(settings.freezeInactiveAfter));
  summary.add("learning_rate", settings.learningRateStart);
  summary.add("iterations", int64_t(fitter.iteration()));
  summary.add("initial_loss", firstLoss);
  summary.add("final_loss", lastLoss);
  summary.add("roll_backs", int64_t(rollBacks));
  summary.add("seconds", seconds);
  summary.add("iterations_per_second", fitter.iteration() / std::max(seconds, 1e-9));
  if (reference.size() >= analysis::kMinEvaluateLength) {
    const analysis::Metrics m = analysis::evaluate(reference, reconstruction);
    JsonObject metrics;
    metrics.add("mrstft", m.mrstft);
    metrics.add("lsd_db", m.lsdDb);
    metrics.add("snr_db", m.snrDb);
    metrics.add("si_sdr_db", m.siSdrDb);
    summary.addRaw("metrics", metrics.text());
  }
  summary.add("atoms_file", output);
  if (parser.isSet("wav")) summary.add("wav", parser.value("wav").toStdString());
  std::printf("%s\n", summary.text().c_str());
  return kExitOk;
}

}  // namespace audiosplat::cli
