#pragma once
// Each subcommand of the audiosplat command line: argv holds the subcommand's name
// first, then its arguments. Returns the process exit code (app/exit_codes.h).
namespace audiosplat::cli {
}  // namespace audiosplat::cli
