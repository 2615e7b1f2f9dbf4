#pragma once
// Files the audio tests make for themselves: encoded with libsndfile in any format, or
// written byte by byte (hand-made WAV headers with absurd values); and measurements of
// a sine (frequency by interpolated zero crossings, amplitude by RMS).
#include <sndfile.h>

#include <QByteArray>
#include <QFile>
#include <QString>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace audiosplat::test {

// Writes interleaved frames with libsndfile; format is e.g. SF_FORMAT_FLAC | SF_FORMAT_PCM_16.
inline void writeSndfile(const QString& path, const std::vector<double>& interleaved, int channels,
                         int rate, int format) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* file = sf_open(path.toStdString().c_str(), SFM_WRITE, &info);
  if (!file) throw std::runtime_error(std::string("test fixture: ") + sf_strerror(nullptr));
  const sf_count_t frames = sf_count_t(interleaved.size()) / channels;
  const sf_count_t written = sf_writef_double(file, interleaved.data(), frames);
  sf_close(file);
  if (written != frames) throw std::runtime_error("test fixture: short write");
}

inline std::vector<double> sine(double rate, size_t length, double frequency, double amplitude) {
  std::vector<double> x(length);
  for (size_t n = 0; n < length; ++n)
    x[n] = amplitude * std::sin(2 * M_PI * frequency * double(n) / rate);
  return x;
}

// Interleaves equally long channels.
inline std::vector<double> interleave(const std::vector<std::vector<double>>& channels) {
  std::vector<double> out;
  for (size_t n = 0; n < channels[0].size(); ++n)
    for (const auto& c : channels) out.push_back(c[n]);
  return out;
}

inline void writeBytes(const QString& path, const QByteArray& bytes) {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
    throw std::runtime_error("test fixture: cannot write " + path.toStdString());
}

// A canonical 44-byte PCM WAV header with whatever values a test wants, followed by
// dataBytesPresent bytes of a quiet ramp (the declared and present sizes can differ).
inline QByteArray handMadeWav(uint32_t rate, uint16_t channels, uint16_t bits,
                              uint32_t dataBytesDeclared, uint32_t dataBytesPresent) {
  QByteArray out;
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) out.append(char((v >> (8 * i)) & 0xFF));
  };
  auto u16 = [&](uint16_t v) {
    out.append(char(v & 0xFF));
    out.append(char(v >> 8));
  };
  const uint16_t blockAlign = uint16_t(channels * bits / 8);
  out.append("RIFF");
  u32(36 + dataBytesDeclared);
  out.append("WAVEfmt ");
  u32(16);
  u16(1);  // PCM
  u16(channels);
  u32(rate);
  u32(rate * blockAlign);
  u16(blockAlign);
  u16(bits);
  out.append("data");
  u32(dataBytesDeclared);
  for (uint32_t i = 0; i < dataBytesPresent; ++i) out.append(char(i % 7));
  return out;
}

// Frequency from the mean spacing of rising zero crossings (linearly interpolated).
inline double measuredFrequency(const std::vector<double>& x, double rate) {
  double first = -1, last = -1;
  int crossings = 0;
  for (size_t n = 1; n < x.size(); ++n) {
    if (x[n - 1] < 0 && x[n] >= 0) {
      const double t = double(n - 1) + x[n - 1] / (x[n - 1] - x[n]);
      if (first < 0) first = t;
      last = t;
      ++crossings;
    }
  }
  return crossings < 2 ? 0 : rate * (crossings - 1) / (last - first);
}

// Peak amplitude of a sine from its RMS.
inline double sineAmplitude(const std::vector<double>& x) {
  double sum = 0;
  for (double v : x) sum += v * v;
  return std::sqrt(2 * sum / double(x.size()));
}

// The middle of a signal, away from codec and filter edges.
inline std::vector<double> middle(const std::vector<double>& x, double fraction = 0.5) {
  const size_t skip = size_t(double(x.size()) * (1 - fraction) / 2);
  return {x.begin() + ptrdiff_t(skip), x.end() - ptrdiff_t(skip)};
}

}  // namespace audiosplat::test
