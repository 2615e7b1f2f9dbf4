// What people meet when Vulkan is missing or misconfigured: each case must be a GpuError
// whose message says what to do, never a crash. The Vulkan loader reads its environment
// when an instance is made, so each case sets variables just before making a context.
#include <QtTest>
#include <functional>
#include <string>

#include "gpu/context.h"
#include "gpu/error.h"

using namespace audiosplat::gpu;

namespace {

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name), old_(qgetenv(name)), had_(qEnvironmentVariableIsSet(name)) {
    qputenv(name, value);
  }
  ~ScopedEnv() {
    if (had_) qputenv(name_, old_);
    else qunsetenv(name_);
  }

 private:
  const char* name_;
  QByteArray old_;
  bool had_;
};

// The message of the GpuError that f throws ("" when it throws none).
std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const GpuError& e) {
    return e.what();
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return true;
  qWarning("\"%s\" not in \"%s\"", part.c_str(), text.c_str());
  return false;
}

}  // namespace

class TestGpuDeviceErrors : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { qunsetenv("AUDIOSPLAT_DEVICE"); }

  void noDriver() {
    // Both names the loader reads (VK_ICD_FILENAMES is the older one).
    ScopedEnv icd("VK_ICD_FILENAMES", "/nonexistent.json");
    ScopedEnv driver("VK_DRIVER_FILES", "/nonexistent.json");
    for (const std::string& message : {errorOf([] { listDevices(); }), errorOf([] { Context context; })}) {
      QVERIFY(contains(message, "No Vulkan device found"));
      QVERIFY(contains(message, "mesa-vulkan-drivers"));
    }
  }

  void noLoader() {
    ScopedEnv library("AUDIOSPLAT_VULKAN_LIBRARY", "/nonexistent/libvulkan.so.1");
    const std::string message = errorOf([] { Context context; });
    QVERIFY(contains(message, "Vulkan loader (/nonexistent/libvulkan.so.1) was not found"));
    QVERIFY(contains(message, "libvulkan1"));
    QVERIFY(contains(errorOf([] { listDevices(); }), "was not found"));
  }

  void indexOutOfRangeListsTheDevices() {
    const auto devices = listDevices();
    const std::string message = errorOf([] { Context context(99); });
    QVERIFY(contains(message, "There is no Vulkan device 99"));
    for (const auto& d : devices) QVERIFY(contains(message, std::to_string(d.index) + ": " + d.name));
  }

  void environmentChoosesTheDevice() {
    {
      ScopedEnv env("AUDIOSPLAT_DEVICE", "99");
      QVERIFY(contains(errorOf([] { Context context; }), "There is no Vulkan device 99 (AUDIOSPLAT_DEVICE)"));
      Context explicitWins(0);  // an explicit index (a command-line option) beats the variable
      QCOMPARE(explicitWins.info().index, 0u);
    }
    {
      ScopedEnv env("AUDIOSPLAT_DEVICE", "gpu");
      QVERIFY(contains(errorOf([] { Context context; }), "AUDIOSPLAT_DEVICE=gpu is not a device index"));
    }
    {
      ScopedEnv env("AUDIOSPLAT_DEVICE", "0");
      Context context;
      QCOMPARE(context.info().index, 0u);
    }
  }

  void validationWithoutTheLayerStillWorks() {
    // Asking for validation where the layer is absent only prints a warning.
    ScopedEnv validation("AUDIOSPLAT_VULKAN_VALIDATION", "1");
    ScopedEnv layers("VK_LAYER_PATH", "/nonexistent");  // replaces the explicit layers' folders
    Context context;
    QCOMPARE(context.validationErrors(), uint64_t(0));
  }
};

QTEST_GUILESS_MAIN(TestGpuDeviceErrors)
#include "test_gpu_device_errors.moc"
