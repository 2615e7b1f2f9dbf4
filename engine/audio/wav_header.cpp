#include "audio/wav_header.h"

#include <array>
#include <cstring>
#include <fstream>

namespace audiosplat::audio {
namespace {

uint32_t le32(const unsigned char* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint16_t le16(const unsigned char* p) { return uint16_t(p[0] | p[1] << 8); }

}  // namespace

std::optional<WavDeclaration> readWavDeclaration(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  const uint64_t fileSize = uint64_t(in.tellg());
  in.seekg(0);
  std::array<unsigned char, 12> riff{};
  if (!in.read(reinterpret_cast<char*>(riff.data()), riff.size()) ||
      std::memcmp(riff.data(), "RIFF", 4) != 0 || std::memcmp(riff.data() + 8, "WAVE", 4) != 0)
    return std::nullopt;

  WavDeclaration wav;
  uint64_t offset = riff.size();
  // Each step moves at least 8 bytes forward, so the walk ends at the end of the file.
  while (offset + 8 <= fileSize) {
    std::array<unsigned char, 8> chunk{};
    in.seekg(std::streamoff(offset));
    if (!in.read(reinterpret_cast<char*>(chunk.data()), chunk.size())) break;
    const uint32_t size = le32(chunk.data() + 4);
    const uint64_t body = offset + 8;
    if (std::memcmp(chunk.data(), "fmt ", 4) == 0 && size >= 16) {
      std::array<unsigned char, 16> fmt{};
      if (!in.read(reinterpret_cast<char*>(fmt.data()), fmt.size())) break;
      wav.channels = le16(fmt.data() + 2);
      wav.sampleRate = le32(fmt.data() + 4);
    } else if (std::memcmp(chunk.data(), "data", 4) == 0) {
      wav.dataBytes = size;
      wav.dataBytesPresent = fileSize - body;
      break;
    }
    offset = body + size + (size & 1);  // chunks are padded to even sizes
  }
  return wav;
}

bool isTruncated(const WavDeclaration& wav) {
  if (!wav.dataBytes || *wav.dataBytes == 0 || *wav.dataBytes == 0xFFFFFFFFu) return false;
  return *wav.dataBytes > wav.dataBytesPresent;
}

}  // namespace audiosplat::audio
