// audiosplat: the command line and the editor's entry point.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>
#include <vector>

#include "commands.h"
#include "exit_codes.h"
#include "gui_main.h"

namespace {
using namespace audiosplat::cli;

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

// One line a command; each is implemented in app/cmd_<name>.cpp.
const std::vector<Command> kCommands = {
    {"fit", fitCommand, "fit atoms to a segment of an audio file (JSON summary)"},
    {"bench", benchCommand, "time the standard problems (JSON lines)"},
    {"eval", evalCommand, "compare an estimate with a reference recording (JSON metrics)"},
    {"render", renderCommand, "render an atom file to WAV or FLAC (CPU reference)"},
    {"info", infoCommand, "describe an audio file or an atom file"},
};

void printUsage(std::FILE* to) {
  std::fprintf(to,
               "Usage: audiosplat COMMAND [ARGS...]\n"
               "       audiosplat COMMAND --help\n"
               "       audiosplat [--fit] [FILE]      the editor (opens FILE, --fit starts fitting it)\n\n"
               "AudioSplat turns a recording into sound atoms: bursts of band-limited noise\n"
               "driving decaying harmonic resonances, fitted by gradient descent.\n\nCommands:\n");
  for (const Command& c : kCommands) std::fprintf(to, "  %-8s %s\n", c.name, c.summary);
}
}  // namespace

int main(int argc, char** argv) {
  // The editor: no arguments, a file to open, or --fit FILE.
  if (argc < 2) return editorCommand(argc, argv);
  const std::string_view first = argv[1];
  if (first == "--has-gui") return hasGuiCommand();
  if (first == "--help" || first == "-h" || first == "help") {
    printUsage(stdout);
    return kExitOk;
  }
  if (first == "--version") {
    std::printf("audiosplat 0.1.0\n");
    return kExitOk;
  }
  for (const Command& c : kCommands) {
    if (first == c.name) {
      try {
        return c.run(argc - 1, argv + 1);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "audiosplat %s: internal error: %s\n", c.name, e.what());
        return kExitSoftware;
      }
    }
  }
  // A file to open looks like a path; a mistyped command does not.
  if (first == "--fit" || (!first.empty() && first.front() != '-' && first.find_first_of("./") != std::string_view::npos))
    return editorCommand(argc, argv);
  std::fprintf(stderr, "audiosplat: unknown command '%s'\n\n", argv[1]);
  printUsage(stderr);
  return kExitUsage;
}
