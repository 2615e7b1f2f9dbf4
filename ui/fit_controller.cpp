#include "fit_controller.h"

#include <algorithm>

#include "fit/backend_factory.h"
#include "fit/fitter.h"

namespace audiosplat::ui {
namespace {
bool ended(fit::FitWorker::State s) {
  return s == fit::FitWorker::State::Finished || s == fit::FitWorker::State::Stopped ||
         s == fit::FitWorker::State::Failed || s == fit::FitWorker::State::Idle;
}
}  // namespace

FitController::FitController(QObject* parent) : QObject(parent) {
  poll_.setInterval(100);
  connect(&poll_, &QTimer::timeout, this, &FitController::pollState);
}

FitController::~FitController() = default;  // FitWorker's destructor stops and joins

void FitController::start(const std::vector<double>& audio, double sampleRate, int64_t startSample,
                          const fit::FitSettings& settings, size_t length) {
  fit::TargetSegment segment = fit::cutSegment(audio, startSample, std::min(length, fit::kSegmentLength));
  // The device, its pipelines and the initial atoms are made on the worker thread.
  auto makeFitter = [segment, settings, sampleRate] {
    auto backend = fit::makeBackend("");
    AtomSet initial = fit::initialAtoms(segment, settings, sampleRate);
    return std::make_unique<fit::Fitter>(std::move(backend), settings, std::move(initial),
                                         segment.samples, segment.start);
  };
  retire();
  segment_ = std::move(segment);
  const int generation = ++generation_;
  worker_ = std::make_unique<fit::FitWorker>(
      std::move(makeFitter), [this, generation](std::shared_ptr<const fit::FitSnapshot> snapshot) {
        // Worker thread: hand over and return at once.
        QMetaObject::invokeMethod(
            this,
            [this, generation, snapshot = std::move(snapshot)] {
              if (generation == generation_) emit snapshotArrived(snapshot);
            },
            Qt::QueuedConnection);
      });
  worker_->start();
  poll_.start();
  pollState();
}

void FitController::pause() {
  if (worker_) worker_->pause();
}

void FitController::resume() {
  if (worker_) worker_->resume();
}

void FitController::stop() {
  if (worker_) worker_->stop();
}

FitController::State FitController::state() const { return worker_ ? worker_->state() : State::Idle; }

void FitController::retire() {
  if (!worker_) return;
  worker_->stop();
  retired_.push_back(std::move(worker_));
}

void FitController::pollState() {
  std::erase_if(retired_, [](const auto& w) { return ended(w->state()); });
  const State now = state();
  if (now != lastState_) {
    lastState_ = now;
    emit stateChanged(now);
    if (now == State::Failed) emit failed(QString::fromStdString(worker_->error()));
  }
  if (ended(now) && retired_.empty()) poll_.stop();
}

}  // namespace audiosplat::ui
