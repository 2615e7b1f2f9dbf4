// audiosplat info FILE [--json]: what an audio file or an atom file holds. Which of the
// two is decided by content (an atom file is JSON, so it starts with '{'), not by name.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "audio/audio_error.h"
#include "audio/audio_file.h"
#include "cli_errors.h"
#include "commands.h"
#include "exit_codes.h"
#include "io/atom_file.h"
#include "io/atom_file_format.h"
#include "io/atom_set_summary.h"
#include "json_text.h"

namespace audiosplat::cli {
namespace {

constexpr const char* kUsage =
    "Usage: audiosplat info FILE [--json]\n"
    "\n"
    "Describes FILE. For audio: container, encoding, rate, channels, frames, duration, and\n"
    "the peak and RMS level of its mono mix. For an atom file: working rate, atom length,\n"
    "document length, rooms, how many atoms are active (gain above -60 dB), and the\n"
    "minimum, median and maximum of every parameter (gain in dB).\n"
    "\n"
    "Options:\n"
    "  --json      print one JSON object instead of text\n"
    "  -h, --help  show this help\n";

int usageError(const std::string& message) {
  std::fprintf(stderr, "audiosplat info: %s\n\n%s", message.c_str(), kUsage);
  return kExitUsage;
}

int fail(int code, const std::string& message) { return failWith("info", code, message); }

// 20 log10 |x|: -inf for 0, printed as "-inf" in text and null in JSON.
double decibels(double linear) { return 20.0 * std::log10(linear); }

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string general(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// ---- audio files ----

struct Levels {
  bool measured = false;
  double peakDb = 0, rmsDb = 0;
};

int describeAudio(const std::string& path, bool json) {
  audio::AudioInfo info;
  Levels levels;
  std::string note;
  try {
    info = audio::probe(path);
    const audio::Audio mono = audio::load(path, {.targetRate = 0});
    double peak = 0, energy = 0;
    for (double v : mono.samples) {
      peak = std::max(peak, std::abs(v));
      energy += v * v;
    }
    levels = {true, decibels(peak),
              decibels(std::sqrt(energy / double(std::max<size_t>(mono.samples.size(), 1))))};
  } catch (const audio::AudioError& e) {
    // Too long to load is no reason to hide what the header says.
    if (e.kind() != audio::AudioError::Kind::TooLarge || info.sampleRate == 0)
      return fail(exitCodeFor(e.kind()), e.what());
    note = "levels not measured: the file is longer than loading allows";
  }

  if (json) {
    JsonObject o;
    o.add("file", path);
    o.add("kind", std::string("audio"));
    o.add("container", info.container);
    o.add("encoding", info.encoding);
    o.add("sample_rate_hz", info.sampleRate);
    o.add("channels", int64_t(info.channels));
    o.add("frames", info.frames);
    o.add("duration_s", info.durationSeconds);
    o.add("peak_dbfs", levels.measured ? levels.peakDb : NAN);  // null: silent or not measured
    o.add("rms_dbfs", levels.measured ? levels.rmsDb : NAN);
    std::printf("%s\n", o.text().c_str());
  } else {
    std::printf("file         %s\n", path.c_str());
    std::printf("kind         audio\n");
    std::printf("container    %s\n", info.container.c_str());
    std::printf("encoding     %s\n", info.encoding.c_str());
    std::printf("sample rate  %s Hz\n", general(info.sampleRate).c_str());
    std::printf("channels     %d\n", info.channels);
    std::printf("frames       %lld\n", (long long)info.frames);
    std::printf("duration     %s s\n", fixed(info.durationSeconds, 3).c_str());
    if (levels.measured) {
      std::printf("peak         %s dBFS (mono mix)\n", fixed(levels.peakDb, 2).c_str());
      std::printf("rms          %s dBFS (mono mix)\n", fixed(levels.rmsDb, 2).c_str());
    } else {
      std::printf("levels       %s\n", note.c_str());
    }
  }
  return kExitOk;
}

// ---- atom files ----

// One row of the parameter table: gain is shown in dB, the rest in their own units.
struct Row {
  std::string key, unit;
  io::Spread spread;
};

std::vector<Row> parameterRows(const io::AtomSetSummary& s) {
  std::vector<Row> rows;
  for (int p = 0; p < kParamCount; ++p) {
    const ParamInfo& info = paramInfo(Param(p));
    io::Spread spread = s.params[p];
    if (Param(p) == Param::Gain) {
      spread = {decibels(spread.min), decibels(spread.median), decibels(spread.max)};
      rows.push_back({"gain_db", "dB", spread});
    } else {
      rows.push_back({std::string(info.key), std::string(info.unit), spread});
    }
  }
  rows.push_back({"partials", "", s.partials});
  return rows;
}

std::vector<size_t> atomsPerRoom(const AtomSet& set) {
  std::vector<size_t> count(set.rooms.size(), 0);
  for (const Atom& a : set.atoms)
    if (a.room >= 0) ++count[size_t(a.room)];
  return count;
}

void printAtomJson(const std::string& path, const AtomSet& set, const io::AtomSetSummary& s) {
  JsonObject o;
  o.add("file", path);
  o.add("kind", std::string("atoms"));
  o.add("version", int64_t(io::format::kVersion));
  o.add("sample_rate_hz", set.sampleRate);
  o.add("atom_length", int64_t(set.atomLength));
  o.add("length_samples", set.length);
  o.add("duration_s", s.durationSeconds);
  o.add("atoms", int64_t(s.atoms));
  o.add("active_atoms", int64_t(s.activeAtoms));
  JsonObject envelopes;
  envelopes.add("gamma", int64_t(s.gammaEnvelopes));
  envelopes.add("gaussian", int64_t(s.gaussianEnvelopes));
  o.addRaw("envelopes", envelopes.text());
  const std::vector<size_t> used = atomsPerRoom(set);
  std::string rooms = "[";
  for (size_t r = 0; r < set.rooms.size(); ++r) {
    JsonObject room;
    room.add("name", set.rooms[r].name);
    room.add("samples", int64_t(set.rooms[r].impulse.size()));
    room.add("sha256", set.rooms[r].sha256);
    room.add("atoms", int64_t(used[r]));
    rooms += (r ? ", " : "") + room.text();
  }
  o.addRaw("rooms", rooms + "]");
  if (s.atoms > 0) {  // no spread to report for an empty document
    JsonObject parameters;
    for (const Row& row : parameterRows(s)) {
      JsonObject spread;  // -inf dB (a gain of 0) becomes null
      spread.add("min", row.spread.min);
      spread.add("median", row.spread.median);
      spread.add("max", row.spread.max);
      parameters.addRaw(row.key, spread.text());
    }
    o.addRaw("parameters", parameters.text());
  }
  std::printf("%s\n", o.text().c_str());
}

void printAtomText(const std::string& path, const AtomSet& set, const io::AtomSetSummary& s) {
  std::printf("file         %s\n", path.c_str());
  std::printf("kind         atom file (version %d)\n", io::format::kVersion);
  std::printf("sample rate  %s Hz\n", general(set.sampleRate).c_str());
  std::printf("atom length  %d samples (%s s)\n", set.atomLength,
              fixed(set.atomLength / set.sampleRate, 3).c_str());
  std::printf("length       %lld samples (%s s)\n", (long long)set.length,
              fixed(s.durationSeconds, 3).c_str());
  std::printf("atoms        %zu, %zu active (gain above %s dB)\n", s.atoms, s.activeAtoms,
              general(decibels(io::kActiveGain)).c_str());
  std::printf("envelopes    %zu gamma, %zu gaussian\n", s.gammaEnvelopes, s.gaussianEnvelopes);
  std::printf("rooms        %zu\n", set.rooms.size());
  const std::vector<size_t> used = atomsPerRoom(set);
  for (size_t r = 0; r < set.rooms.size(); ++r)
    std::printf("  %zu: %s, %zu samples (%s s), used by %zu atoms, sha256 %s\n", r,
                set.rooms[r].name.c_str(), set.rooms[r].impulse.size(),
                fixed(double(set.rooms[r].impulse.size()) / set.sampleRate, 3).c_str(), used[r],
                set.rooms[r].sha256.c_str());
  if (s.atoms == 0) return;
  std::printf("\n%-18s %12s %12s %12s  %s\n", "parameter", "min", "median", "max", "unit");
  for (const Row& row : parameterRows(s))
    std::printf("%-18s %12s %12s %12s  %s\n", row.key.c_str(), general(row.spread.min).c_str(),
                general(row.spread.median).c_str(), general(row.spread.max).c_str(),
                row.unit.c_str());
}

int describeAtoms(const std::string& path, bool json) {
  AtomSet set;
  try {
    set = io::readAtomFile(path);
  } catch (const io::AtomFileError& e) {
    return fail(e.kind() == io::AtomFileError::Kind::Invalid ? kExitDataError : kExitNoInput, e.what());
  }
  const io::AtomSetSummary summary = io::summarize(set);
  if (json)
    printAtomJson(path, set, summary);
  else
    printAtomText(path, set, summary);
  return kExitOk;
}

}  // namespace

int infoCommand(int argc, char** argv) {
  std::string path;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    } else if (arg == "--json") {
      json = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usageError("unknown option " + std::string(arg));
    } else if (path.empty()) {
      path = arg;
    } else {
      return usageError("give one file (got '" + path + "' and '" + std::string(arg) + "')");
    }
  }
  if (path.empty()) return usageError("give the file to describe");
  return io::looksLikeAtomFile(path) ? describeAtoms(path, json) : describeAudio(path, json);
}

}  // namespace audiosplat::cli
