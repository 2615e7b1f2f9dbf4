// `audiosplat fit` and `audiosplat bench` as a person or a script runs them: outputs, the
// JSON summary and lines, the trace, the kernel profile, and exit codes for bad arguments.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "audio/audio_file.h"
#include "io/atom_file.h"
#include "testing.h"

using namespace audiosplat;
using test::runCli;

namespace {

QJsonObject lastJsonLine(const QString& out) {
  const QStringList lines = out.split('\n', Qt::SkipEmptyParts);
  return lines.isEmpty() ? QJsonObject{} : QJsonDocument::fromJson(lines.back().toUtf8()).object();
}

}  // namespace

class TestFitCommand : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString piano_;

  QString path(const QString& name) const { return dir_.filePath(name); }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    piano_ = test::devAudio("01_piano_C4_salamander.wav");
  }

  void helpNamesTheOptions() {
    const test::CliResult fit = runCli({"fit", "--help"});
    QCOMPARE(fit.exitCode, 0);
    for (const char* option : {"--atoms", "--iterations", "--loss", "--start", "--wav", "--trace",
                               "--device", "--freeze-inactive", "--learning-rate"})
      QVERIFY2(fit.out.contains(option), option);
    const test::CliResult bench = runCli({"bench", "--help"});
    QCOMPARE(bench.exitCode, 0);
    QVERIFY(bench.out.contains("--profile"));
  }

  void shortFitWritesEverything() {
    const QString atoms = path("piano.atoms"), wav = path("piano.wav"), trace = path("trace.csv");
    const test::CliResult r = runCli({"fit", piano_, "-o", atoms, "--wav", wav, "--trace", trace,
                                      "--atoms", "4", "--iterations", "20", "--start", "0.5"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.err.contains("Fitting 4 atoms"));

    const QJsonObject summary = lastJsonLine(r.out);
    QCOMPARE(summary["atoms"].toInt(), 4);
    QCOMPARE(summary["iterations"].toInt(), 20);
    QCOMPARE(summary["loss_kind"].toString(), QString("mrstft"));
    QCOMPARE(summary["segment_start_s"].toDouble(), 0.5);
    QCOMPARE(summary["roll_backs"].toInt(), 0);
    QCOMPARE(summary["step"].toString(), QString("device"));
    QCOMPARE(summary["freeze_inactive_after"].toInt(), 100);
    QCOMPARE(summary["learning_rate"].toDouble(), 0.01);
    QVERIFY(summary["final_loss"].toDouble() < summary["initial_loss"].toDouble());
    QVERIFY(std::isfinite(summary["metrics"].toObject()["mrstft"].toDouble()));

    QCOMPARE(io::readAtomFile(atoms.toStdString()).atoms.size(), size_t(4));
    const audio::Audio rendered = audio::load(wav.toStdString());
    QCOMPARE(qRound(summary["segment_s"].toDouble() * rendered.sampleRate), qsizetype(rendered.samples.size()));

    QFile csv(trace);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.front(), QString("iteration,seconds,loss,data_loss,active_atoms,evaluated_atoms"));
    QCOMPARE(lines.size(), 3);  // iterations 10 and 20
    QCOMPARE(lines.back().split(',').front(), QString("20"));
    QCOMPARE(lines.back().split(',').back(), QString("4"));
  }

  // The same short fit at two learning rates: the option reaches Adam, and the summary says it.
  void learningRateReachesTheFit() {
    double initialLoss[2], finalLoss[2];
    const char* rates[2] = {"0.01", "0.05"};
    for (int i = 0; i < 2; ++i) {
      const test::CliResult r = runCli({"fit", piano_, "-o", path("rate.atoms"), "--atoms", "2",
                                        "--iterations", "10", "--learning-rate", rates[i]});
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      const QJsonObject summary = lastJsonLine(r.out);
      QCOMPARE(summary["learning_rate"].toDouble(), QString(rates[i]).toDouble());
      initialLoss[i] = summary["initial_loss"].toDouble();
      finalLoss[i] = summary["final_loss"].toDouble();
    }
    QCOMPARE(initialLoss[0], initialLoss[1]);  // the same start: only the rate differs
    QVERIFY2(std::abs(finalLoss[0] - finalLoss[1]) > 1e-3 * finalLoss[0],
             qPrintable(QString("final losses %1 and %2").arg(finalLoss[0]).arg(finalLoss[1])));
  }

  void badArgumentsExitWithUsage() {
    const QString out = path("never.atoms");
    QCOMPARE(runCli({"fit", piano_, "-o", out, "--atoms", "0"}).exitCode, 64);
    QCOMPARE(runCli({"fit", piano_, "-o", out, "--loss", "l2"}).exitCode, 64);
    QCOMPARE(runCli({"fit", piano_, "-o", out, "--freeze-inactive", "-1"}).exitCode, 64);
    QCOMPARE(runCli({"fit", piano_, "-o", out, "--learning-rate", "0.00005"}).exitCode, 64);
    QCOMPARE(runCli({"fit", piano_, "-o", out, "--learning-rate", "nan"}).exitCode, 64);
    QCOMPARE(runCli({"fit", piano_}).exitCode, 64);  // no -o
    QCOMPARE(runCli({"fit", path("missing.wav"), "-o", out}).exitCode, 66);
    QVERIFY(!QFile::exists(out));
    QCOMPARE(runCli({"bench", "--problem", "S1"}).exitCode, 64);
  }

  void benchProfilesKernels() {
    const test::CliResult r =
        runCli({"bench", "--problem", "S64-mrstft", "--runs", "1", "--warmup", "0", "--profile"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject line = lastJsonLine(r.out);
    QCOMPARE(line["problem"].toString(), QString("S64-mrstft"));
    QCOMPARE(line["atoms"].toInt(), 64);
    QVERIFY(!line["device"].toString().isEmpty());
    QVERIFY(line["ms_per_iteration"].toDouble() > 0.0);
    QVERIFY(line["peak_memory_mb"].toDouble() > 0.0);
    // lavapipe has doubles: the step runs on the device, and its two kernels are profiled.
    QCOMPARE(line["step"].toString(), QString("device"));
    QVERIFY(line["host_ms_per_iteration"].toDouble() >= 0.0);
    QVERIFY(line["host_ms_per_iteration"].toDouble() < line["ms_per_iteration"].toDouble());
    const QJsonArray profile = line["profile"].toArray();
    QVERIFY(profile.size() > 10);
    double sum = 0.0;
    QStringList kernels;
    for (const QJsonValue& entry : profile) {
      sum += entry["ms"].toDouble();
      kernels << entry["kernel"].toString();
      QVERIFY(entry["dispatches"].toInt() >= 1);
    }
    for (const char* kernel : {"atom_tonal_sum", "fft_pass", "mrstft_sums", "atom_pack", "atom_step"}) QVERIFY2(kernels.contains(kernel), kernel);
    QVERIFY(std::abs(sum - line["profile_gpu_ms"].toDouble()) < 1e-6 * sum + 1e-9);
    QVERIFY(r.err.contains("ms of GPU time in one iteration"));
  }
};

QTEST_GUILESS_MAIN(TestFitCommand)
#include "test_fit_command.moc"
