#include "background_worker.h"

namespace audiosplat::ui {

BackgroundWorker::BackgroundWorker(QObject* parent) : QObject(parent), thread_([this] { run(); }) {}

BackgroundWorker::~BackgroundWorker() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    pending_ = nullptr;
  }
  wake_.notify_all();
  thread_.join();
}

void BackgroundWorker::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!pending_) ++outstanding_;  // a replaced job's count carries over to its successor
    pending_ = std::move(job);
  }
  wake_.notify_all();
}

bool BackgroundWorker::busy() const {
  std::lock_guard lock(mutex_);
  return outstanding_ > 0;
}

void BackgroundWorker::run() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return quit_ || pending_; });
      if (quit_) return;
      job.swap(pending_);
    }
    Continuation done = job();
    // Queued to this object: dropped if it is destroyed first.
    QMetaObject::invokeMethod(
        this,
        [this, done = std::move(done)] {
          {
            std::lock_guard lock(mutex_);
            --outstanding_;
          }
          if (done) done();
        },
        Qt::QueuedConnection);
  }
}

}  // namespace audiosplat::ui
