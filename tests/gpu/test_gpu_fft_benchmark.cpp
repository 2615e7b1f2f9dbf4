// Prints the FFT timings of gpu::benchmarkFfts on this machine's device (docs/gpu.md holds
// the figures); asserts only that they were measured.
#include <QtTest>
#include <algorithm>
#include <optional>
#include <random>
#include <vector>

#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/fft.h"
#include "gpu/fft_benchmark.h"
#include "gpu/real_fft.h"
#include "gpu/sequence.h"

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

  void timesTheLossFfts() {
    // FFT workloads of the losses and the atom renderer (the losses' are in place): median GPU
    // time of 7 submits after a warm-up, per workload and per complex point.
    Context context;
    if (context.limits().timestampValidBits == 0) QSKIP("no timestamps on this queue");
    struct Workload {
      const char* name;
      uint32_t n, batch;
      bool real, inPlace;
    };
    for (const Workload& w : {Workload{"64 x 16384 complex forward", 16384, 64, false, false},
                              Workload{"64 x 32768 real forward", 32768, 64, true, false},
                              Workload{"7744 x 2048 complex forward", 2048, 7744, false, false},
                              Workload{"7744 x 2048 complex, in place", 2048, 7744, false, true},
                              Workload{"262080 x 16 complex, in place", 16, 64 * 4095, false, true}}) {
      const size_t floats = size_t(2) * w.n * w.batch;
      std::vector<float> input(floats);
      std::mt19937 rng(1);
      std::normal_distribution<float> normal;
      for (float& v : input) v = normal(rng);
      Buffer in(context, floats * 4), out(context, floats * 4);
      in.upload(input);
      Sequence sequence(context);
      sequence.timestamp();
      std::optional<Fft> fft;
      std::optional<RealFft> rfft;
      if (w.real) {
        rfft.emplace(context, w.n, w.batch);
        rfft->recordForward(sequence, in, out, w.batch);
      } else {
        fft.emplace(context, w.n, w.batch);
        fft->record(sequence, in, w.inPlace ? in : out, w.batch, Direction::Forward);
      }
      sequence.timestamp();
      sequence.submit();
      std::vector<double> ms;
      for (int i = 0; i < 7; ++i) {
        sequence.submit();
        ms.push_back(sequence.timestampsMs().at(1));
      }
      std::sort(ms.begin(), ms.end());
      const double points = double(w.n) * w.batch / (w.real ? 2 : 1);
      qInfo("%-30s gpu %8.2f ms (min %8.2f)  %6.1f ns per complex point", w.name, ms[3], ms[0],
            ms[3] * 1e6 / points);
      QVERIFY(ms[3] > 0);
    }
  }
};

QTEST_GUILESS_MAIN(TestGpuFftBenchmark)
#include "test_gpu_fft_benchmark.moc"
