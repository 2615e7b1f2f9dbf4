// audiosplat: the command line and (later) the editor's entry point.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>
#include <vector>

#include "commands.h"
#include "exit_codes.h"

namespace {
using namespace audiosplat::cli;

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

// One line a command; each is implemented in app/cmd_<name>.cpp.
const std::vector<Command> kCommands = {
};

void printUsage(std::FILE* to) {
  std::fprintf(to,
               "Usage: audiosplat COMMAND [ARGS...]\n"
               "       audiosplat COMMAND --help\n\n"
               "AudioSplat turns a recording into sound atoms: bursts of band-limited noise\n"
               "driving decaying harmonic resonances, fitted by gradient descent.\n\nCommands:\n");
  for (const Command& c : kCommands) std::fprintf(to, "  %-8s %s\n", c.name, c.summary);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    printUsage(stderr);
    return kExitUsage;
  }
  const std::string_view first = argv[1];
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
  std::fprintf(stderr, "audiosplat: unknown command '%s'\n\n", argv[1]);
  printUsage(stderr);
  return kExitUsage;
}
