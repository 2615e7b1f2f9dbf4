// audiosplat render ATOMS -o OUT.wav: the CPU reference rendering of an atom file, as
// WAV or FLAC, with a one-line summary on stderr.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "audio/audio_error.h"
#include "audio/audio_writer.h"
#include "cli_errors.h"
#include "commands.h"
#include "exit_codes.h"
#include "io/atom_file.h"
#include "model/reference_renderer.h"

namespace audiosplat::cli {
namespace {

constexpr const char* kUsage =
    "Usage: audiosplat render ATOMS -o OUT [--format pcm16|pcm24|float] [--normalize]\n"
    "\n"
    "Renders every atom of the atom file ATOMS with the CPU reference renderer and writes\n"
    "the document (its full length, at its working rate) to OUT: WAV for .wav, FLAC for\n"
    ".flac. A one-line summary goes to stderr, with a warning when PCM output would clip.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT  the audio file to write (replaced atomically)\n"
    "  --format F        pcm16 (default), pcm24, or float (WAV only)\n"
    "  --normalize       scale the rendering so that its peak is -1 dBFS\n"
    "  -h, --help        show this help\n";

// Where --normalize puts the peak: 1 dB below full scale leaves room for the
// peaks between samples that a player's reconstruction filter makes.
constexpr double kNormalizedPeakDb = -1.0;

int usageError(const std::string& message) {
  std::fprintf(stderr, "audiosplat render: %s\n\n%s", message.c_str(), kUsage);
  return kExitUsage;
}

int fail(int code, const std::string& message) { return failWith("render", code, message); }

bool parseFormat(std::string_view name, audio::SampleFormat& format) {
  if (name == "pcm16") format = audio::SampleFormat::Pcm16;
  else if (name == "pcm24") format = audio::SampleFormat::Pcm24;
  else if (name == "float") format = audio::SampleFormat::Float32;
  else return false;
  return true;
}

std::string dbText(double linear) {
  if (linear <= 0.0) return "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%+.2f", 20.0 * std::log10(linear));
  return text;
}

}  // namespace

int renderCommand(int argc, char** argv) {
  std::string input, output, formatName = "pcm16";
  bool normalize = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    // "--name VALUE" or "--name=VALUE"; false (and a usage error) when VALUE is missing.
    auto optionValue = [&](std::string_view name, std::string& value) {
      if (arg.starts_with(std::string(name) + "=")) {
        value = std::string(arg.substr(name.size() + 1));
        return true;
      }
      if (++i == argc) return false;
      value = argv[i];
      return true;
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    } else if (arg == "-o" || arg == "--output" || arg.starts_with("--output=")) {
      if (!optionValue("--output", output)) return usageError("-o needs a file name");
    } else if (arg == "--format" || arg.starts_with("--format=")) {
      if (!optionValue("--format", formatName)) return usageError("--format needs a value");
    } else if (arg == "--normalize") {
      normalize = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usageError("unknown option " + std::string(arg));
    } else if (input.empty()) {
      input = arg;
    } else {
      return usageError("give one atom file (got '" + input + "' and '" + std::string(arg) + "')");
    }
  }
  if (input.empty()) return usageError("give the atom file to render");
  if (output.empty()) return usageError("-o OUT is required");
  audio::SampleFormat format;
  if (!parseFormat(formatName, format))
    return usageError("--format " + formatName + ": use pcm16, pcm24 or float");

  AtomSet set;
  try {
    set = io::readAtomFile(input);
  } catch (const io::AtomFileError& e) {
    return fail(e.kind() == io::AtomFileError::Kind::Invalid ? kExitDataError : kExitNoInput, e.what());
  }

  std::vector<double> samples = reference::render(set);
  double peak = 0.0;
  for (double v : samples) peak = std::max(peak, std::abs(v));
  const double rawPeak = peak;
  if (normalize && peak > 0.0) {
    const double scale = std::pow(10.0, kNormalizedPeakDb / 20.0) / peak;
    for (double& v : samples) v *= scale;
    peak *= scale;
  }

  try {
    audio::writeAudio(output, samples, set.sampleRate, format);
  } catch (const audio::AudioError& e) {
    // An output format the writer does not offer is the caller's choice, not bad data.
    return fail(e.kind() == audio::AudioError::Kind::Unsupported ? kExitUsage : exitCodeFor(e.kind()),
                e.what());
  }

  std::fprintf(stderr, "audiosplat render: %zu atoms, %.3f s at %lld Hz, peak %s dBFS", set.atoms.size(),
               double(set.length) / set.sampleRate, (long long)set.sampleRate, dbText(peak).c_str());
  if (normalize) std::fprintf(stderr, " (normalized from %s dBFS)", dbText(rawPeak).c_str());
  std::fprintf(stderr, " -> %s (%s)\n", output.c_str(), formatName.c_str());
  if (peak > 1.0 && format != audio::SampleFormat::Float32)
    std::fprintf(stderr,
                 "audiosplat render: warning: the peak is %s dBFS, so %s clips it; use "
                 "--normalize or --format float\n",
                 dbText(peak).c_str(), formatName.c_str());
  return kExitOk;
}

}  // namespace audiosplat::cli
