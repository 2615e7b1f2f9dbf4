#pragma once
// What a RIFF/WAVE header declares, read without libsndfile. libsndfile quietly shortens
// a data chunk that runs past the end of the file (so a truncated WAV would load as if it
// were whole) and reports an absurd sample rate only as "SF_INFO struct incomplete"; the
// loader reads the header itself to say what is actually wrong.
#include <cstdint>
#include <optional>
#include <string>

namespace audiosplat::audio {

struct WavDeclaration {
  std::optional<uint32_t> sampleRate;  // from the fmt chunk
  std::optional<uint16_t> channels;    // from the fmt chunk
  std::optional<uint32_t> dataBytes;   // the data chunk's declared size
  uint64_t dataBytesPresent = 0;       // bytes from the data chunk's start to end of file
};

// nullopt when the file is not RIFF/WAVE (or cannot be opened).
std::optional<WavDeclaration> readWavDeclaration(const std::string& path);

// The data chunk claims more bytes than the file holds. A size of 0 or 0xFFFFFFFF is the
// value streaming writers leave before they know the length, and does not count.
bool isTruncated(const WavDeclaration& wav);

}  // namespace audiosplat::audio
