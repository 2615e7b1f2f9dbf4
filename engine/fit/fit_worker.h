#pragma once
// Runs a Fitter on its own thread: start, pause, resume, stop, edits applied between
// iterations, and immutable snapshots published to a handler (the editor turns them
// into queued signals). The handler is called on the worker thread and must not block.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fit/fitter.h"

namespace audiosplat::fit {

struct FitSnapshot {
  AtomSet atoms;                        // never holds a non-finite atom
  std::vector<double> lossHistory;
  std::vector<double> reconstruction;   // the target segment's samples; may lag the atoms
  int64_t start = 0;                    // absolute sample of reconstruction[0]
  int reconstructionIteration = 0;      // iteration the reconstruction was rendered at
  int iteration = 0;
  int iterations = 0;                   // planned total
  int activeAtoms = 0;
  double iterationsPerSecond = 0.0;
  double learningRate = 0.0;
  int rollBacks = 0;
  std::string lastProblem;              // the latest non-finite loss or gradient, if any
  int lastProblemIteration = 0;
  bool finished = false;
  std::string device;                   // where the fit runs (GradientBackend::deviceName)
  bool stepOnDevice = false;            // Adam's step too (GradientBackend::stepsOnDevice)
};

class FitWorker {
 public:
  enum class State { Idle, Running, Paused, Finished, Stopped, Failed };
  using SnapshotHandler = std::function<void(std::shared_ptr<const FitSnapshot>)>;
  // Makes the Fitter on the worker thread, so that the slow parts of starting a fit (a
  // Vulkan device and its pipelines, the initialiser) never block the caller. An exception
  // it throws ends the fit as Failed with its message.
  using FitterFactory = std::function<std::unique_ptr<Fitter>()>;

  struct Options {
    double snapshotSeconds = 0.03;        // at most one snapshot per interval
    double reconstructionSeconds = 0.25;  // re-render the mixture at most this often (and
                                          // at most a fifth of the time when rendering is slow)
  };

  FitWorker(std::unique_ptr<Fitter> fitter, SnapshotHandler handler);
  FitWorker(std::unique_ptr<Fitter> fitter, SnapshotHandler handler, Options options);
  FitWorker(FitterFactory makeFitter, SnapshotHandler handler);
  FitWorker(FitterFactory makeFitter, SnapshotHandler handler, Options options);
  ~FitWorker();  // stops and joins
  FitWorker(const FitWorker&) = delete;
  FitWorker& operator=(const FitWorker&) = delete;

  void start();
  void pause();
  void resume();
  void stop();  // ends the thread after the current iteration; the last snapshot stays
  // Runs edit(fitter) on the worker between two iterations (also while paused).
  void post(std::function<void(Fitter&)> edit);
  // Blocks until the fit ends (finished, stopped or failed).
  void wait();

  State state() const { return state_.load(); }
  std::string error() const;
  std::shared_ptr<const FitSnapshot> latest() const;

 private:
  void run();
  void publish(bool renderReconstruction);

  FitterFactory makeFitter_;  // null when the fitter came ready-made
  std::unique_ptr<Fitter> fitter_;
  SnapshotHandler handler_;
  Options options_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::function<void(Fitter&)>> edits_;
  bool pauseRequested_ = false, stopRequested_ = false;
  std::atomic<State> state_{State::Idle};
  std::string error_;
  std::shared_ptr<const FitSnapshot> latest_;
  // Worker-thread only.
  std::vector<double> reconstruction_;
  int reconstructionIteration_ = -1;
  int rollBacks_ = 0;
  std::string lastProblem_;
  int lastProblemIteration_ = 0;
  double iterationsPerSecond_ = 0.0;
  double renderSeconds_ = 0.0;  // how long the last reconstruction took
  double lastLearningRate_ = 0.0;
};

}  // namespace audiosplat::fit
