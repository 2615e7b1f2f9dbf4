#include "testing.h"

#include <random>
#include <string>

#include <QProcess>
#include <cmath>

namespace audiosplat::test {

QString devAudio(const QString& name) { return QStringLiteral(AUDIOSPLAT_DEV_AUDIO_DIR "/") + name; }

QString asset(const QString& relative) { return QStringLiteral(AUDIOSPLAT_ASSETS_DIR "/") + relative; }

CliResult runCli(const QStringList& args, int timeoutMs) {
  QProcess process;
  process.start(QStringLiteral(AUDIOSPLAT_CLI), args);
  CliResult result;
  if (!process.waitForFinished(timeoutMs)) {
    process.kill();
    process.waitForFinished();
    result.err = QStringLiteral("timed out");
    return result;
  }
  result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
  result.out = QString::fromUtf8(process.readAllStandardOutput());
  result.err = QString::fromUtf8(process.readAllStandardError());
  return result;
}

std::vector<double> synthTone(double sampleRate, size_t length, double f0, double t60) {
  std::vector<double> x(length);
  for (size_t n = 0; n < length; ++n) {
    const double t = double(n) / sampleRate;
    double v = 0.0;
    for (int j = 1; j <= 4; ++j)
      v += std::exp(-6.907755 * t * j / t60) * std::sin(2 * M_PI * f0 * j * t) / j;
    x[n] = 0.5 * v;
  }
  return x;
}

Room decayingRoom(size_t length, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  Room room;
  room.name = "room" + std::to_string(seed);
  for (size_t n = 0; n < length; ++n)
    room.impulse.push_back(normal(rng) * std::exp(-6.0 * n / length));
  room.impulse[0] = 1.0;
  return room;
}

}  // namespace audiosplat::test
