#pragma once
// Exit codes follow BSD sysexits.h so scripts can tell a usage slip from bad data.
namespace audiosplat::cli {
constexpr int kExitOk = 0;
constexpr int kExitUsage = 64;        // wrong arguments
constexpr int kExitDataError = 65;    // input exists but is malformed (audio or atom file)
constexpr int kExitNoInput = 66;      // input missing or unreadable
constexpr int kExitUnavailable = 69;  // no Vulkan device, no audio device
constexpr int kExitSoftware = 70;     // internal error
constexpr int kExitCantCreate = 73;   // output cannot be written
}  // namespace audiosplat::cli
