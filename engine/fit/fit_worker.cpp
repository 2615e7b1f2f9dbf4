#include "fit/fit_worker.h"

#include <algorithm>
#include <chrono>

namespace audiosplat::fit {
namespace {
using Clock = std::chrono::steady_clock;
double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
}  // namespace

FitWorker::FitWorker(std::unique_ptr<Fitter> fitter, SnapshotHandler handler)
    : FitWorker(std::move(fitter), std::move(handler), Options{}) {}

FitWorker::FitWorker(std::unique_ptr<Fitter> fitter, SnapshotHandler handler, Options options)
    : fitter_(std::move(fitter)), handler_(std::move(handler)), options_(options) {}

FitWorker::FitWorker(FitterFactory makeFitter, SnapshotHandler handler)
    : FitWorker(std::move(makeFitter), std::move(handler), Options{}) {}

FitWorker::FitWorker(FitterFactory makeFitter, SnapshotHandler handler, Options options)
    : makeFitter_(std::move(makeFitter)), handler_(std::move(handler)), options_(options) {}

FitWorker::~FitWorker() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void FitWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  state_ = State::Running;
  thread_ = std::thread([this] { run(); });
}

void FitWorker::pause() {
  std::lock_guard lock(mutex_);
  pauseRequested_ = true;
}

void FitWorker::resume() {
  {
    std::lock_guard lock(mutex_);
    pauseRequested_ = false;
  }
  wake_.notify_all();
}

void FitWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopRequested_ = true;
  }
  wake_.notify_all();
}

void FitWorker::post(std::function<void(Fitter&)> edit) {
  {
    std::lock_guard lock(mutex_);
    edits_.push_back(std::move(edit));
  }
  wake_.notify_all();
}

void FitWorker::wait() {
  if (thread_.joinable()) thread_.join();
}

std::string FitWorker::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

std::shared_ptr<const FitSnapshot> FitWorker::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

void FitWorker::publish(bool renderReconstruction) {
  if (renderReconstruction || reconstructionIteration_ < 0) {
    const auto began = Clock::now();
    reconstruction_ = fitter_->backend().render(fitter_->atoms());
    reconstructionIteration_ = fitter_->iteration();
    renderSeconds_ = seconds(Clock::now() - began);
  }
  auto snapshot = std::make_shared<FitSnapshot>();
  snapshot->atoms = fitter_->atoms();
  snapshot->lossHistory = fitter_->lossHistory();
  snapshot->reconstruction = reconstruction_;
  snapshot->start = fitter_->start();
  snapshot->reconstructionIteration = reconstructionIteration_;
  snapshot->iteration = fitter_->iteration();
  snapshot->iterations = fitter_->settings().iterations;
  snapshot->activeAtoms = fitter_->activeAtoms();
  snapshot->iterationsPerSecond = iterationsPerSecond_;
  snapshot->learningRate = lastLearningRate_;
  snapshot->rollBacks = rollBacks_;
  snapshot->lastProblem = lastProblem_;
  snapshot->lastProblemIteration = lastProblemIteration_;
  snapshot->finished = fitter_->finished();
  snapshot->device = fitter_->backend().deviceName();
  snapshot->stepOnDevice = fitter_->backend().stepsOnDevice();
  {
    std::lock_guard lock(mutex_);
    latest_ = snapshot;
  }
  if (handler_) handler_(snapshot);
}

void FitWorker::run() {
  auto lastSnapshot = Clock::now(), lastRender = Clock::now();
  auto rateWindowStart = Clock::now();
  int rateWindowIterations = 0;
  try {
    if (!fitter_) fitter_ = makeFitter_();
    publish(true);
    while (true) {
      std::vector<std::function<void(Fitter&)>> edits;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopRequested_ || !pauseRequested_ || !edits_.empty(); });
        edits.swap(edits_);
        if (stopRequested_) break;
        state_ = pauseRequested_ ? State::Paused : State::Running;
      }
      if (!edits.empty()) {
        for (auto& edit : edits) edit(*fitter_);
        publish(true);  // an edit is shown at once, with its sound
        lastSnapshot = lastRender = Clock::now();
      }
      if (state_ == State::Paused) continue;
      if (fitter_->finished()) break;

      const StepReport report = fitter_->step();
      rollBacks_ += report.rolledBack;
      if (!report.problem.empty()) {
        lastProblem_ = report.problem;
        lastProblemIteration_ = report.iteration;
      }
      lastLearningRate_ = report.learningRate;
      ++rateWindowIterations;
      const auto now = Clock::now();
      if (seconds(now - rateWindowStart) >= 0.5) {
        iterationsPerSecond_ = rateWindowIterations / seconds(now - rateWindowStart);
        rateWindowStart = now;
        rateWindowIterations = 0;
      } else if (iterationsPerSecond_ == 0.0 && rateWindowIterations > 0) {
        iterationsPerSecond_ = rateWindowIterations / std::max(seconds(now - rateWindowStart), 1e-9);
      }
      if (seconds(now - lastSnapshot) >= options_.snapshotSeconds) {
        // A slow backend renders less often, so that listening costs the fit at most ~20%.
        const double renderInterval = std::max(options_.reconstructionSeconds, 4.0 * renderSeconds_);
        const bool render = seconds(now - lastRender) >= renderInterval;
        publish(render);
        lastSnapshot = now;
        if (render) lastRender = now;
      }
    }
    publish(true);
    state_ = fitter_->finished() ? State::Finished : State::Stopped;
  } catch (const std::exception& e) {
    {
      std::lock_guard lock(mutex_);
      error_ = e.what();
    }
    state_ = State::Failed;
  }
}

}  // namespace audiosplat::fit
