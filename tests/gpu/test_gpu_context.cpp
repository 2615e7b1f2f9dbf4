// The Vulkan context, buffers, kernels and sequences on this machine's default device
// (lavapipe where there is no GPU). Run with AUDIOSPLAT_VULKAN_VALIDATION=1 to have the
// Khronos validation layer check every call (cleanupTestCase fails on its errors).
#include <QtTest>
#include <algorithm>
#include <memory>
#include <numeric>
#include <vector>

#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/error.h"
#include "gpu/kernel.h"
#include "gpu/noise_fill.h"
#include "gpu/sequence.h"

using namespace audiosplat::gpu;

class TestGpuContext : public QObject {
  Q_OBJECT
  std::unique_ptr<Context> context_;

 private slots:
  void initTestCase() {
    qunsetenv("AUDIOSPLAT_DEVICE");
    context_ = std::make_unique<Context>();
    qInfo("Device %s", context_->info().describe().c_str());
  }

  void listsDevices() {
    const auto devices = listDevices();
    QVERIFY(!devices.empty());
    for (uint32_t i = 0; i < devices.size(); ++i) {
      QCOMPARE(devices[i].index, i);
      QVERIFY(!devices[i].name.empty());
      QVERIFY(!devices[i].driver.empty());
      QVERIFY(devices[i].memoryBytes > 0);
      QVERIFY(devices[i].describe().find(devices[i].name) != std::string::npos);
      QVERIFY(devices[i].describe().find(devices[i].float64 ? ", doubles" : ", no doubles") != std::string::npos);
    }
  }

  void doublesAreEnabledUnlessTurnedOff() {
    QCOMPARE(context_->limits().float64, context_->info().float64);
    qputenv("AUDIOSPLAT_GPU_FLOAT64", "0");
    const Context without;
    qunsetenv("AUDIOSPLAT_GPU_FLOAT64");
    QVERIFY(!without.limits().float64);
  }

  void defaultIsTheBestDeviceType() {
    const auto devices = listDevices();
    const std::vector<std::string> order{"discrete GPU", "integrated GPU", "virtual GPU", "CPU"};
    auto rank = [&](const DeviceInfo& d) { return std::find(order.begin(), order.end(), d.type) - order.begin(); };
    const DeviceInfo& chosen = context_->info();
    QVERIFY(chosen.supportsVulkan12());
    for (const auto& d : devices)
      if (d.supportsVulkan12()) QVERIFY(rank(d) >= rank(chosen));
  }

  void explicitIndexPicksThatDevice() {
    const uint32_t last = uint32_t(listDevices().size() - 1);
    if (!listDevices()[last].supportsVulkan12()) QSKIP("the last device lacks Vulkan 1.2");
    Context context(last);
    QCOMPARE(context.info().index, last);
  }

  void limitsAreUsable() {
    const Limits& limits = context_->limits();
    QVERIFY(limits.sharedMemoryBytes >= 16384);  // the Vulkan minimum
    QVERIFY(limits.pushConstantBytes >= 128);
    QVERIFY(limits.subgroupSize >= 1);
    QVERIFY(limits.maxStorageBufferBytes >= (1u << 27));
    const uint32_t size = context_->workgroupSize(256);
    QVERIFY(size >= 1 && size <= 256 && (size & (size - 1)) == 0);
    QCOMPARE(context_->workgroupSize(1), 1u);
  }

  void buffersRoundTrip() {
    for (Buffer::Memory memory : {Buffer::Memory::Device, Buffer::Memory::Host}) {
      Buffer buffer(*context_, 1000 * sizeof(float), memory);
      QCOMPARE(buffer.count<float>(), size_t(1000));
      std::vector<float> values(1000);
      std::iota(values.begin(), values.end(), -500.0f);
      buffer.upload(values);
      QCOMPARE(buffer.download<float>(), values);
      const std::vector<uint32_t> words{0xDEADBEEFu, 7u, 0xFFFFFFFFu};
      buffer.upload(words, 10);
      QCOMPARE(buffer.download<uint32_t>(10, 3), words);
      QCOMPARE(buffer.download<float>(13, 2), (std::vector<float>{-487.0f, -486.0f}));
    }
  }

  void stagingPathRoundTrips() {
    // The discrete-GPU path (device-local buffers, staging copies), forced on this device.
    qputenv("AUDIOSPLAT_GPU_STAGING", "1");
    Context context;
    qunsetenv("AUDIOSPLAT_GPU_STAGING");
    QVERIFY(!context.hostMapped());
    std::vector<float> values(3000);
    std::iota(values.begin(), values.end(), 1.0f);
    Buffer a(context, values.size() * 4), b(context, values.size() * 4);
    a.upload(values);
    a.upload(std::vector<float>{-1.0f, -2.0f}, 5);
    values[5] = -1.0f;
    values[6] = -2.0f;
    Sequence sequence(context);
    sequence.copy(a, b, 0, 0, a.bytes());
    sequence.submit();
    QCOMPARE(b.download<float>(), values);
    QCOMPARE(b.download<float>(2999, 1), std::vector<float>{3000.0f});
    QCOMPARE(context.validationErrors(), uint64_t(0));
  }

  void bufferMisuseThrows() {
    Buffer buffer(*context_, 16);
    const std::vector<float> five(5, 1.0f);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, buffer.upload(five));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, buffer.download<float>(3, 2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Buffer(*context_, 0));
    QVERIFY_THROWS_EXCEPTION(GpuError, Buffer(*context_, context_->limits().maxStorageBufferBytes + 4));
  }

  void sequenceOrdersItsCommands() {
    // fill -> copy -> fill -> copy: each command must see the one before it.
    Buffer a(*context_, 64), b(*context_, 64);
    Sequence sequence(*context_);
    sequence.fill(a, 7);
    sequence.copy(a, b, 0, 0, 32);
    sequence.fill(a, 9);
    sequence.copy(a, b, 0, 32, 32);
    sequence.submit();
    const auto words = b.download<uint32_t>();
    for (size_t i = 0; i < 16; ++i) QCOMPARE(words[i], i < 8 ? 7u : 9u);
  }

  void sequenceIsRecordedOnceAndSubmittedMany() {
    Buffer a(*context_, 4 * sizeof(float)), b(*context_, 4 * sizeof(float));
    Sequence sequence(*context_);
    sequence.copy(a, b, 0, 0, a.bytes());
    for (float value : {1.0f, 2.0f, 3.0f}) {
      a.upload(std::vector<float>(4, value));
      sequence.submit();
      QCOMPARE(b.download<float>(), std::vector<float>(4, value));
    }
  }

  void recordingAfterSubmitNeedsClear() {
    Buffer a(*context_, 16);
    Sequence sequence(*context_);
    QVERIFY(sequence.empty());
    sequence.submit();  // nothing recorded: nothing to do
    sequence.fill(a, 1);
    sequence.submit();
    QVERIFY_THROWS_EXCEPTION(std::logic_error, sequence.fill(a, 2));
    sequence.clear();
    QVERIFY(sequence.empty());
    sequence.fill(a, 3);
    sequence.submit();
    QCOMPARE(a.download<uint32_t>(), std::vector<uint32_t>(4, 3u));
  }

  void dispatchChecksItsArguments() {
    NoiseFill noise(*context_);  // makes the kernel below
    const Kernel& kernel = context_->kernel({.shader = "noise_fill", .buffers = 2,
                                             .pushConstantBytes = 12,
                                             .workgroupSize = context_->workgroupSize(256)});
    Buffer seeds(*context_, 16), out(*context_, 64);
    Sequence sequence(*context_);
    struct { uint32_t samples = 16, atoms = 1, raw = 0; } push;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sequence.dispatch(kernel, {seeds}, push, {1}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sequence.dispatch(kernel, {seeds, out}, 1.0f, {1}));
    QVERIFY_THROWS_EXCEPTION(GpuError, sequence.dispatch(kernel, {seeds, out}, push,
                                                         {context_->limits().maxWorkgroupCount[0] + 1u}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, noise.record(sequence, seeds, out, 2, 16));
  }

  void kernelsAreMadeOnce() {
    const KernelSpec spec{.shader = "noise_fill", .buffers = 2, .pushConstantBytes = 12,
                          .workgroupSize = 32};
    QCOMPARE(&context_->kernel(spec), &context_->kernel(spec));
    KernelSpec other = spec;
    other.workgroupSize = 64;
    QVERIFY(&context_->kernel(other) != &context_->kernel(spec));
  }

  void unknownShaderThrows() {
    QVERIFY_THROWS_EXCEPTION(GpuError, context_->kernel({.shader = "no_such_shader"}));
    // A texel-reading kernel needs a storage twin for devices with small texel limits.
    QVERIFY_THROWS_EXCEPTION(std::logic_error,
                             context_->kernel({.shader = "noise_fill", .buffers = 2, .texelFloats = 1}));
  }

  void timestampsMeasureTheWork() {
    if (context_->limits().timestampValidBits == 0) QSKIP("this queue has no timestamps");
    Buffer big(*context_, 16 << 20);
    Sequence sequence(*context_);
    sequence.timestamp();
    sequence.fill(big, 5);
    sequence.timestamp();
    for (int run = 0; run < 2; ++run) {  // the query reset is part of the recording
      sequence.submit();
      const auto ms = sequence.timestampsMs();
      QCOMPARE(ms.size(), size_t(2));
      QCOMPARE(ms[0], 0.0);
      QVERIFY(ms[1] > 0.0 && ms[1] < 10000.0);
    }
  }

  void profilingTimesEveryDispatch() {
    if (context_->limits().timestampValidBits == 0) QSKIP("this queue has no timestamps");
    NoiseFill noise(*context_);
    Buffer seeds(*context_, 8), small(*context_, size_t(2) * 1024 * 4), large(*context_, size_t(2) << 22);
    Sequence sequence(*context_);
    sequence.setProfiling(true);
    noise.record(sequence, seeds, large, 2, 1 << 20);
    noise.record(sequence, seeds, small, 2, 1024);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, sequence.timestamp());
    QVERIFY_THROWS_EXCEPTION(std::logic_error, sequence.setProfiling(false));
    sequence.submit();
    const std::vector<KernelTime> times = sequence.kernelTimes();
    QCOMPARE(times.size(), size_t(2));
    QCOMPARE(times[0].shader, std::string("noise_fill"));
    QCOMPARE(times[1].shader, std::string("noise_fill"));
    // Each time belongs to its own dispatch, the first one too: 1024 x the samples.
    QVERIFY2(times[0].ms > times[1].ms && times[1].ms >= 0.0,
             qPrintable(QString("%1 ms, %2 ms").arg(times[0].ms).arg(times[1].ms)));
    QVERIFY(sequence.timestampsMs().empty());
    sequence.clear();
    sequence.setProfiling(false);
    noise.record(sequence, seeds, small, 2, 1024);
    sequence.submit();
    QVERIFY(sequence.kernelTimes().empty());
  }

  void cleanupTestCase() { QCOMPARE(context_->validationErrors(), uint64_t(0)); }
};

QTEST_GUILESS_MAIN(TestGpuContext)
#include "test_gpu_context.moc"
