#pragma once
// One worker thread for jobs where only the newest request matters (Qt's mandelbrot
// example): a job submitted while another waits replaces it, so a burst of fit snapshots
// costs one render, not a queue of stale ones. Each job runs off the GUI thread and
// returns a continuation that runs back on the GUI thread.
#include <QObject>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace audiosplat::ui {

class BackgroundWorker : public QObject {
  Q_OBJECT
 public:
  using Continuation = std::function<void()>;
  using Job = std::function<Continuation()>;

  explicit BackgroundWorker(QObject* parent = nullptr);
  ~BackgroundWorker() override;  // drops a waiting job, finishes the running one

  void submit(Job job);
  // True while a job waits or runs, or its continuation has not run yet.
  bool busy() const;

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  Job pending_;
  bool quit_ = false;
  int outstanding_ = 0;  // submitted jobs whose continuation has not run (GUI thread)
  std::thread thread_;
};

}  // namespace audiosplat::ui
