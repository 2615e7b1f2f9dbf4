// Prints the FFT timings of gpu::benchmarkFfts on this machine's device (docs/gpu.md holds
// the figures); asserts only that they were measured.
#include <QtTest>

#include "gpu/context.h"
#include "gpu/fft_benchmark.h"

using namespace audiosplat::gpu;

class TestGpuFftBenchmark : public QObject {
  Q_OBJECT

 private slots:
  void timesTheFitsFfts() {
    Context context;
    qInfo("%s", context.info().describe().c_str());
    for (const FftTiming& t : benchmarkFfts(context, 5)) {
      qInfo("%-36s wall %8.2f ms  gpu %8.2f ms  cpu (FFTW, 1 thread) %8.2f ms", t.workload.c_str(),
            t.wallMs, t.gpuMs, t.cpuMs);
      QVERIFY(t.wallMs > 0 && t.cpuMs > 0);
    }
  }
};

QTEST_GUILESS_MAIN(TestGpuFftBenchmark)
#include "test_gpu_fft_benchmark.moc"
