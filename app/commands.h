#pragma once
// Each subcommand of the audiosplat command line: argv holds the subcommand's name
// first, then its arguments. Returns the process exit code (app/exit_codes.h).
namespace audiosplat::cli {
int evalCommand(int argc, char** argv);
int fitCommand(int argc, char** argv);
int benchCommand(int argc, char** argv);
int renderCommand(int argc, char** argv);
int infoCommand(int argc, char** argv);
}  // namespace audiosplat::cli
