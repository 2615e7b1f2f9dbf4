#pragma once
// Shared helpers for the test suites: paths to real audio, temporary files,
// synthetic signals and running the command line.
#include <QString>
#include <QStringList>
#include <string>
#include <vector>

#include "model/atom_set.h"

namespace audiosplat::test {

// ../shared/audio/dev/<name> (real recordings with their licences).
QString devAudio(const QString& name);
// assets/<relative>.
QString asset(const QString& relative);

struct CliResult {
  int exitCode = -1;
  QString out;
  QString err;
};
// Runs the built audiosplat binary with args; waits up to timeoutMs.
CliResult runCli(const QStringList& args, int timeoutMs = 600000);

// A sum of decaying sines, deterministic, for tests that synthesise their own audio.
std::vector<double> synthTone(double sampleRate, size_t length, double f0, double t60);

// A room impulse of decaying noise (first tap 1), deterministic from seed.
Room decayingRoom(size_t length, uint32_t seed);

}  // namespace audiosplat::test
