#pragma once
// The editor's side of a fit: has a FitWorker build the Fitter for one segment of the
// document on its thread and run it, and turns the worker-thread snapshots into a queued signal on the
// GUI thread. Snapshots of an earlier fit that arrive late are dropped by generation.
#include <QObject>
#include <QTimer>
#include <memory>
#include <vector>

#include "fit/fit_setup.h"
#include "fit/fit_worker.h"

namespace audiosplat::ui {

class FitController : public QObject {
  Q_OBJECT
 public:
  using State = fit::FitWorker::State;

  explicit FitController(QObject* parent = nullptr);
  ~FitController() override;

  // Starts fitting one segment of `audio` from startSample (replacing a running fit).
  // Throws std::exception with a message for a person when the segment cannot be cut; a
  // device that cannot start ends the fit as Failed (signal failed).
  // length: samples to fit, at most the design's segment (a shorter range is padded).
  void start(const std::vector<double>& audio, double sampleRate, int64_t startSample,
             const fit::FitSettings& settings, size_t length = fit::kSegmentLength);
  void pause();
  void resume();
  void stop();
  State state() const;
  bool active() const { return state() == State::Running || state() == State::Paused; }
  const fit::TargetSegment& segment() const { return segment_; }

 signals:
  void snapshotArrived(std::shared_ptr<const fit::FitSnapshot> snapshot);
  void stateChanged(audiosplat::fit::FitWorker::State state);
  void failed(const QString& message);

 private:
  void pollState();
  void retire();

  std::unique_ptr<fit::FitWorker> worker_;
  // Stopped workers finishing their last iteration; deleted once their thread is done,
  // so that stopping never blocks the GUI thread for an iteration.
  std::vector<std::unique_ptr<fit::FitWorker>> retired_;
  fit::TargetSegment segment_;
  int generation_ = 0;
  State lastState_ = State::Idle;
  QTimer poll_;
};

}  // namespace audiosplat::ui
