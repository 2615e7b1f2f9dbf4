#include "main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>
#include <cmath>

#include "audio/audio_error.h"
#include "audio/audio_file.h"
#include "audio/audio_writer.h"
#include "background_worker.h"
#include "fit_controller.h"
#include "fit_settings_panel.h"
#include "inspector_panel.h"
#include "io/atom_file.h"
#include "loss_plot.h"
#include "spectrogram_view.h"
#include "transport.h"

namespace audiosplat::ui {
namespace {

constexpr int kMaxRecentFiles = 8;
const char* kAudioFilter = "Audio (*.wav *.flac *.ogg *.opus *.mp3 *.aif *.aiff);;All files (*)";

// Times one piece of GUI-thread work and reports it when it ends.
class WorkTimer {
 public:
  explicit WorkTimer(std::function<void(double)> report) : report_(std::move(report)) { timer_.start(); }
  ~WorkTimer() { report_(double(timer_.nsecsElapsed()) * 1e-6); }

 private:
  std::function<void(double)> report_;
  QElapsedTimer timer_;
};

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("AudioSplat"));
  setAcceptDrops(true);
  fit_ = new FitController(this);
  transport_ = new Transport(this);
  loader_ = new BackgroundWorker(this);
  deriver_ = new BackgroundWorker(this);

  view_ = new SpectrogramView(this);
  scrollBar_ = new QScrollBar(Qt::Horizontal, this);
  auto* centre = new QWidget(this);
  auto* layout = new QVBoxLayout(centre);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(view_, 1);
  layout->addWidget(scrollBar_);
  setCentralWidget(centre);

  createActions();
  createDocks();
  createMenus();
  createToolBar();
  createStatusBar();

  connect(view_, &SpectrogramView::visibleRangeChanged, this, &MainWindow::syncScrollBar);
  connect(scrollBar_, &QScrollBar::valueChanged, this, [this](int value) {
    const double width = view_->visibleEnd() - view_->visibleStart();
    view_->setVisibleRange(value / 1000.0, value / 1000.0 + width);
  });
  connect(view_, &SpectrogramView::painted, this, &MainWindow::noteGuiWork);
  connect(view_, &SpectrogramView::cursorReadout, cursorLabel_, &QLabel::setText);
  connect(view_, &SpectrogramView::atomClicked, this, &MainWindow::onAtomClicked);
  connect(view_, &SpectrogramView::seekRequested, transport_, &Transport::seek);
  connect(view_, &SpectrogramView::loopRangeSelected, this, [this](double a, double b) {
    loopStart_ = a;
    loopEnd_ = b;
    view_->setLoopRange(a, b);
    action("playback.loop")->setChecked(true);
    transport_->setLoop(a, b);
  });
  connect(transport_, &Transport::positionChanged, this,
          [this](double seconds) { view_->setPlayhead(seconds, transport_->playing()); });
  connect(transport_, &Transport::playingChanged, this, [this](bool playing) {
    action("playback.play")->setText(playing ? tr("&Stop") : tr("&Play"));
    action("playback.play")->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
    playLabel_->setText(playing ? tr("Playing") : tr("Stopped"));
  });
  connect(transport_, &Transport::outputStatusChanged, this, [this](const QString& status) {
    if (!transport_->hasDevice()) statusBar()->showMessage(tr("No audio output device: playback is silent."), 8000);
    playLabel_->setToolTip(status);
  });
  connect(fit_, &FitController::snapshotArrived, this, &MainWindow::onSnapshot);
  connect(fit_, &FitController::stateChanged, this, &MainWindow::onFitState);
  connect(fit_, &FitController::failed, this, [this](const QString& message) {
    reportError(tr("The fit stopped with an error: %1").arg(message),
                tr("Try fewer atoms, another initialiser or another part of the file."));
  });
  restoreSettings();
  updateActions();
}

MainWindow::~MainWindow() = default;

QAction* MainWindow::action(const QString& objectName) const { return findChild<QAction*>(objectName); }

void MainWindow::createActions() {
  auto make = [this](const QString& name, const QString& text, const QKeySequence& key, auto slot) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    if (!key.isEmpty()) a->setShortcut(key);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  make("file.open", tr("&Open..."), QKeySequence::Open, [this] { openDialog(); })
      ->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
  make("file.saveAtoms", tr("&Save Atoms..."), QKeySequence::Save, [this] { saveAtoms(); })
      ->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
  make("file.exportWav", tr("&Export Reconstruction as WAV..."), QKeySequence(tr("Ctrl+E")),
       [this] { exportReconstruction(); });
  make("file.quit", tr("&Quit"), QKeySequence::Quit, [this] { close(); });
  make("edit.deselect", tr("&Deselect Atom"), QKeySequence(Qt::Key_Escape), [this] { onAtomClicked(-1); });
  make("view.zoomIn", tr("Zoom &In"), QKeySequence::ZoomIn, [this] { view_->zoomTime(1.5); });
  make("view.zoomOut", tr("Zoom &Out"), QKeySequence::ZoomOut, [this] { view_->zoomTime(1.0 / 1.5); });
  make("view.zoomFit", tr("Zoom to &Fit"), QKeySequence(tr("Ctrl+0")), [this] { view_->zoomToFit(); });
  auto* stacked = make("view.stacked", tr("&Stacked Views"), QKeySequence(Qt::Key_4), [this](bool on) {
    view_->setStacked(on);
    QSettings().setValue("view/stacked", on);
  });
  stacked->setCheckable(true);
  stacked->setToolTip(tr("Target, reconstruction and residual one above the other"));
  make("fit.start", tr("&Start Fit"), QKeySequence(tr("Ctrl+R")), [this] { startFit(); })
      ->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
  make("fit.pause", tr("&Pause"), QKeySequence(), [this] { fit_->pause(); })
      ->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
  make("fit.resume", tr("&Resume"), QKeySequence(), [this] { fit_->resume(); });
  make("fit.stop", tr("S&top Fit"), QKeySequence(tr("Ctrl+.")), [this] { fit_->stop(); })
      ->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
  make("playback.play", tr("&Play"), QKeySequence(Qt::Key_Space), [this] { transport_->togglePlay(); })
      ->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  auto* loop = make("playback.loop", tr("&Loop Range"), QKeySequence(tr("L")), [this](bool on) {
    if (on && loopEnd_ <= loopStart_) {
      // No range dragged on the ruler yet: loop what is visible.
      loopStart_ = view_->visibleStart();
      loopEnd_ = view_->visibleEnd();
      view_->setLoopRange(loopStart_, loopEnd_);
    }
    transport_->setLoop(on ? loopStart_ : 0, on ? loopEnd_ : 0);
  });
  loop->setCheckable(true);
  loop->setToolTip(tr("Loop the range dragged on the ruler (or the visible range)"));
  make("help.about", tr("&About AudioSplat"), QKeySequence(), [this] {
    QMessageBox::about(this, tr("About AudioSplat"),
                       tr("<b>AudioSplat %1</b><p>Turns a recording into sound atoms: bursts of band-limited "
                          "noise driving decaying harmonic resonances, fitted by gradient descent.</p>")
                           .arg(QCoreApplication::applicationVersion()));
  });
  make("help.keys", tr("&Keyboard and Mouse"), QKeySequence::HelpContents, [this] {
    QMessageBox::information(
        this, tr("Keyboard and mouse"),
        tr("<table><tr><td>Space</td><td>play / stop</td></tr>"
           "<tr><td>Ctrl+wheel, +/-</td><td>zoom time</td></tr>"
           "<tr><td>Ctrl+Shift+wheel</td><td>zoom frequency</td></tr>"
           "<tr><td>Wheel, arrows</td><td>scroll time (Shift+wheel, up/down: frequency)</td></tr>"
           "<tr><td>Click the ruler</td><td>move the playhead</td></tr>"
           "<tr><td>Drag on the ruler</td><td>loop range</td></tr>"
           "<tr><td>Click a glyph</td><td>select an atom (Inspector)</td></tr>"
           "<tr><td>1 / 2 / 3</td><td>target / reconstruction / residual</td></tr>"
           "<tr><td>4</td><td>all three stacked</td></tr></table>"));
  });

  viewModes_ = new QActionGroup(this);
  const QStringList modeNames = {tr("&Target"), tr("&Reconstruction"), tr("Re&sidual")};
  for (int i = 0; i < 3; ++i) {
    auto* a = make(QStringLiteral("view.mode%1").arg(i), modeNames[i], QKeySequence(Qt::Key_1 + i),
                   [this, i] { setViewMode(i); });
    a->setCheckable(true);
    a->setChecked(i == 0);
    viewModes_->addAction(a);
  }
  sources_ = new QActionGroup(this);
  const QStringList sourceNames = {tr("&Original"), tr("&Reconstruction"), tr("R&esidual"), tr("Selected &Atom")};
  for (int i = 0; i < playback::kPlaybackSourceCount; ++i) {
    auto* a = make(QStringLiteral("playback.source%1").arg(i), sourceNames[i],
                   QKeySequence(tr("Ctrl+%1").arg(i + 1)),
                   [this, i] { transport_->setSource(playback::PlaybackSource(i)); });
    a->setCheckable(true);
    a->setChecked(i == 0);
    sources_->addAction(a);
  }
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(action("file.open"));
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  file->addSeparator();
  file->addAction(action("file.saveAtoms"));
  file->addAction(action("file.exportWav"));
  file->addSeparator();
  file->addAction(action("file.quit"));
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(action("edit.deselect"));
  viewMenu_ = menuBar()->addMenu(tr("&View"));
  viewMenu_->addActions(viewModes_->actions());
  viewMenu_->addAction(action("view.stacked"));
  viewMenu_->addSeparator();
  viewMenu_->addAction(action("view.zoomIn"));
  viewMenu_->addAction(action("view.zoomOut"));
  viewMenu_->addAction(action("view.zoomFit"));
  viewMenu_->addSeparator();
  for (QDockWidget* dock : findChildren<QDockWidget*>()) viewMenu_->addAction(dock->toggleViewAction());
  QMenu* fitMenu = menuBar()->addMenu(tr("F&it"));
  for (const char* name : {"fit.start", "fit.pause", "fit.resume", "fit.stop"}) fitMenu->addAction(action(name));
  QMenu* play = menuBar()->addMenu(tr("&Playback"));
  play->addAction(action("playback.play"));
  play->addAction(action("playback.loop"));
  play->addSeparator();
  play->addActions(sources_->actions());
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(action("help.keys"));
  help->addAction(action("help.about"));
  rebuildRecentMenu();
}

void MainWindow::createToolBar() {
  QToolBar* bar = addToolBar(tr("Main"));
  bar->setObjectName("toolbar.main");
  bar->addAction(action("file.open"));
  bar->addAction(action("file.saveAtoms"));
  bar->addSeparator();
  bar->addAction(action("fit.start"));
  bar->addAction(action("fit.pause"));
  bar->addAction(action("fit.stop"));
  bar->addSeparator();
  bar->addAction(action("playback.play"));
  auto* source = new QComboBox(bar);
  source->setObjectName("toolbar.source");
  source->setToolTip(tr("What Play plays; switching keeps the position (A/B)"));
  for (QAction* a : sources_->actions()) source->addItem(a->text().remove('&'));
  connect(source, &QComboBox::currentIndexChanged, this, [this](int i) { sources_->actions()[i]->trigger(); });
  connect(sources_, &QActionGroup::triggered, source,
          [this, source](QAction* a) { source->setCurrentIndex(int(sources_->actions().indexOf(a))); });
  bar->addWidget(source);
  bar->addAction(action("playback.loop"));
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" View "), bar));
  auto* mode = new QComboBox(bar);
  mode->setObjectName("toolbar.viewMode");
  for (QAction* a : viewModes_->actions()) mode->addItem(a->text().remove('&'));
  connect(mode, &QComboBox::currentIndexChanged, this, [this](int i) { viewModes_->actions()[i]->trigger(); });
  connect(viewModes_, &QActionGroup::triggered, mode,
          [this, mode](QAction* a) { mode->setCurrentIndex(int(viewModes_->actions().indexOf(a))); });
  bar->addWidget(mode);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Colour range "), bar));
  floorDb_ = new QSpinBox(bar);
  floorDb_->setRange(-160, 0);
  floorDb_->setSuffix(tr(" dB"));
  floorDb_->setToolTip(tr("Level drawn black"));
  ceilingDb_ = new QSpinBox(bar);
  ceilingDb_->setRange(-100, 20);
  ceilingDb_->setSuffix(tr(" dB"));
  ceilingDb_->setToolTip(tr("Level drawn brightest"));
  floorDb_->setValue(-100);
  ceilingDb_->setValue(-10);
  auto apply = [this] { view_->setColourRange(floorDb_->value(), ceilingDb_->value()); };
  connect(floorDb_, &QSpinBox::valueChanged, this, apply);
  connect(ceilingDb_, &QSpinBox::valueChanged, this, apply);
  apply();
  bar->addWidget(floorDb_);
  bar->addWidget(new QLabel(tr(" to "), bar));
  bar->addWidget(ceilingDb_);
}

void MainWindow::createDocks() {
  auto dock = [this](const QString& name, const QString& title, QWidget* content, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(content);
    addDockWidget(area, d);
    return d;
  };
  fitSettingsPanel_ = new FitSettingsPanel(this);
  fitSettingsPanel_->load();
  inspector_ = new InspectorPanel(this);
  lossPlot_ = new LossPlot(this);
  dock("dock.fitSettings", tr("Fit settings"), fitSettingsPanel_, Qt::RightDockWidgetArea);
  dock("dock.inspector", tr("Inspector"), inspector_, Qt::RightDockWidgetArea);
  dock("dock.loss", tr("Loss"), lossPlot_, Qt::BottomDockWidgetArea);
}

void MainWindow::createStatusBar() {
  cursorLabel_ = new QLabel(this);
  cursorLabel_->setMinimumWidth(300);
  fitLabel_ = new QLabel(tr("No fit"), this);
  deviceLabel_ = new QLabel(this);
  playLabel_ = new QLabel(tr("Stopped"), this);
  statusBar()->addPermanentWidget(cursorLabel_);
  statusBar()->addPermanentWidget(fitLabel_);
  statusBar()->addPermanentWidget(deviceLabel_);
  statusBar()->addPermanentWidget(playLabel_);
}

void MainWindow::restoreSettings() {
  QSettings settings;
  if (!restoreGeometry(settings.value("window/geometry").toByteArray())) resize(1280, 800);
  restoreState(settings.value("window/state").toByteArray());
  const bool stacked = settings.value("view/stacked", false).toBool();
  action("view.stacked")->setChecked(stacked);
  view_->setStacked(stacked);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  fitSettingsPanel_->save();
  transport_->stop();
  fit_->stop();
  event->accept();
}

void MainWindow::reportError(const QString& what, const QString& todo) {
  auto* box = new QMessageBox(QMessageBox::Critical, tr("AudioSplat"), what, QMessageBox::Ok, this);
  box->setObjectName("errorDialog");
  box->setInformativeText(todo);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal, without a nested event loop
  statusBar()->showMessage(what, 10000);
  emit errorReported(what);
}

void MainWindow::openDialog() {
  const QStringList recent = recentFiles();
  const QString dir = recent.isEmpty() ? QString() : QFileInfo(recent.front()).absolutePath();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open audio"), dir, tr(kAudioFilter));
  if (!path.isEmpty()) openFile(path);
}

void MainWindow::openFile(const QString& path, bool fitAfterOpen) {
  const int generation = ++loadGeneration_;
  if (loadState_) loadState_->cancel = true;  // a newer file replaces a load in progress
  loadState_ = std::make_shared<LoadProgress>();
  if (!loadProgress_) {
    loadProgress_ = new QProgressDialog(this);
    loadProgress_->setRange(0, 1000);
    loadProgress_->setMinimumDuration(400);
    loadProgress_->setWindowTitle(tr("Opening"));
    connect(loadProgress_, &QProgressDialog::canceled, this, [this] {
      ++loadGeneration_;  // whatever the load returns now is ignored
      if (loadState_) loadState_->cancel = true;
      loadPoll_->stop();
      statusBar()->showMessage(tr("Opening cancelled."), 4000);
    });
    loadPoll_ = new QTimer(this);
    loadPoll_->setInterval(100);
    connect(loadPoll_, &QTimer::timeout, this, [this] {
      if (loadState_ && !loadProgress_->wasCanceled()) loadProgress_->setValue(loadState_->permille);
    });
  }
  loadProgress_->setLabelText(tr("Opening %1 and computing its spectrogram...").arg(QFileInfo(path).fileName()));
  loadProgress_->reset();
  loadProgress_->setValue(0);
  loadPoll_->start();
  statusBar()->showMessage(tr("Opening %1...").arg(path));
  const std::string file = path.toStdString();
  loader_->submit([this, path, file, generation, fitAfterOpen, state = loadState_]() -> BackgroundWorker::Continuation {
    try {
      LoadedAudio loaded = loadAudioDocument(file, state.get());
      return [this, path, generation, fitAfterOpen, loaded] {
        if (generation != loadGeneration_) return;
        loadPoll_->stop();
        loadProgress_->reset();
        onLoaded(path, loaded, fitAfterOpen);
      };
    } catch (const audio::LoadCancelled&) {
      return [] {};  // the dialog's cancel already said so
    } catch (const std::exception& e) {
      const QString message = QString::fromStdString(e.what());
      return [this, message, generation] {
        if (generation != loadGeneration_) return;
        loadPoll_->stop();
        loadProgress_->reset();
        reportError(tr("Could not open the file.\n%1").arg(message),
                    tr("Choose an audio file AudioSplat reads: WAV, FLAC, OGG, Opus, MP3 or AIFF, "
                       "at least a few milliseconds long."));
      };
    }
  });
}

void MainWindow::onLoaded(const QString& path, const LoadedAudio& loaded, bool fitAfterOpen) {
  transport_->stop();
  fit_->stop();
  document_ = Document{};
  document_.path = path;
  document_.sampleRate = loaded.sampleRate;
  document_.samples = loaded.samples;
  document_.spectrogram = loaded.spectrogram;
  latestSnapshot_.reset();
  derivedIteration_ = -1;
  shownProblemIteration_ = 0;
  view_->setSpectrogram(document_.spectrogram, document_.duration());
  inspector_->clear();
  lossPlot_->setHistory({});
  loopStart_ = loopEnd_ = 0;
  action("playback.loop")->setChecked(false);
  transport_->setLoop(0, 0);
  transport_->seek(0);
  refreshDerived();
  setWindowTitle(tr("%1 - AudioSplat").arg(QFileInfo(path).fileName()));
  statusBar()->showMessage(tr("Opened %1: %2 s at %3 Hz.")
                               .arg(QFileInfo(path).fileName())
                               .arg(document_.duration(), 0, 'f', 2)
                               .arg(document_.sampleRate),
                           6000);
  addRecentFile(path);
  updateActions();
  emit documentOpened(path);
  if (fitAfterOpen) startFit();
}

void MainWindow::startFit() {
  if (!document_.samples) {
    reportError(tr("There is nothing to fit yet."), tr("Open an audio file first (File ▸ Open)."));
    return;
  }
  const fit::FitSettings settings = fitSettingsPanel_->settings();
  // A range dragged on the ruler is fitted from its start for its length (up to one
  // segment); otherwise one segment from the start of what is visible.
  const bool range = loopEnd_ > loopStart_;
  const int64_t start = std::llround((range ? loopStart_ : view_->visibleStart()) * document_.sampleRate);
  const size_t length = range ? size_t(std::llround((loopEnd_ - loopStart_) * document_.sampleRate))
                              : fit::kSegmentLength;
  try {
    fit_->start(*document_.samples, document_.sampleRate, start, settings, std::max<size_t>(length, 1));
  } catch (const std::exception& e) {
    reportError(tr("The fit could not start: %1").arg(QString::fromStdString(e.what())),
                tr("Scroll so that the visible range starts where there is sound, then start again."));
    return;
  }
  fitSettingsPanel_->save();
  longestGuiWorkMs_ = 0;
  snapshotsReceived_ = 0;
  latestSnapshot_.reset();
  derivedIteration_ = -1;
  shownProblemIteration_ = 0;
  const fit::TargetSegment& segment = fit_->segment();
  document_.segmentStart = segment.start;
  document_.segmentLength = int64_t(segment.audibleLength);
  view_->setFitSegment(double(segment.start) / document_.sampleRate,
                       double(segment.start + int64_t(segment.audibleLength)) / document_.sampleRate);
  deviceLabel_->setText(tr("Starting the compute device..."));
  statusBar()->showMessage(tr("Fitting %1 atoms to %2 s from %3 s.")
                               .arg(settings.atoms)
                               .arg(double(segment.audibleLength) / document_.sampleRate, 0, 'f', 2)
                               .arg(double(segment.start) / document_.sampleRate, 0, 'f', 2),
                           6000);
  updateActions();
}

void MainWindow::onSnapshot(std::shared_ptr<const fit::FitSnapshot> snapshot) {
  WorkTimer timer([this](double ms) { noteGuiWork(ms); });
  ++snapshotsReceived_;
  latestSnapshot_ = snapshot;
  const fit::TargetSegment& segment = fit_->segment();
  document_.atoms = fit::atInputLevel(snapshot->atoms, segment);
  document_.inactiveGain = fit::FitSettings{}.activeGain / segment.scale;
  view_->setAtoms(document_.atoms, document_.inactiveGain);
  lossPlot_->setHistory(snapshot->lossHistory);
  deviceLabel_->setText(QString::fromStdString(snapshot->device));
  deviceLabel_->setToolTip(snapshot->stepOnDevice
                               ? tr("The fit runs on this device, Adam's step included.")
                               : tr("The fit runs on this device; Adam's step runs on the CPU."));
  refreshInspector();
  fitLabel_->setText(tr("Iteration %1/%2   %3 of %4 atoms active   %5 it/s")
                         .arg(snapshot->iteration)
                         .arg(snapshot->iterations)
                         .arg(snapshot->activeAtoms)
                         .arg(snapshot->atoms.atoms.size())
                         .arg(snapshot->iterationsPerSecond, 0, 'f', 2));
  if (snapshot->lastProblemIteration > shownProblemIteration_) {
    shownProblemIteration_ = snapshot->lastProblemIteration;
    statusBar()->showMessage(tr("Fit, iteration %1: %2 (%3 roll-backs so far)")
                                 .arg(snapshot->lastProblemIteration)
                                 .arg(QString::fromStdString(snapshot->lastProblem))
                                 .arg(snapshot->rollBacks),
                             8000);
  }
  if (snapshot->reconstructionIteration != derivedIteration_) refreshDerived();
  updateActions();
}

void MainWindow::refreshDerived() {
  if (!document_.samples) return;
  auto samples = document_.samples;
  const double rate = document_.sampleRate;
  auto snapshot = latestSnapshot_;
  const double scale = fit_->segment().scale;
  const int64_t audible = int64_t(fit_->segment().audibleLength);
  const AtomSet atoms = document_.atoms;
  const int selected = view_->selectedAtom();
  const int generation = loadGeneration_;
  if (snapshot) derivedIteration_ = snapshot->reconstructionIteration;
  deriver_->submit([=, this]() -> BackgroundWorker::Continuation {
    std::shared_ptr<const Reconstruction> reconstruction;
    if (snapshot)
      reconstruction = buildReconstruction(*samples, rate, snapshot->reconstruction, snapshot->start, audible, scale,
                                           snapshot->reconstructionIteration);
    std::shared_ptr<playback::PlaybackBuffer> buffer =
        buildPlaybackBuffer(*samples, rate, reconstruction.get(), atoms, selected);
    return [this, reconstruction, buffer, generation]() mutable {
      if (generation != loadGeneration_) return;
      WorkTimer timer([this](double ms) { noteGuiWork(ms); });
      if (reconstruction) {
        document_.reconstruction = reconstruction;
        view_->setReconstruction(reconstruction);
      }
      transport_->setBuffer(std::make_unique<playback::PlaybackBuffer>(std::move(*buffer)));
      updateActions();
      if (reconstruction) emit reconstructionUpdated(reconstruction->iteration);
    };
  });
}

void MainWindow::onFitState(fit::FitWorker::State state) {
  using State = fit::FitWorker::State;
  static const QStringList names = {tr("idle"), tr("running"), tr("paused"), tr("finished"), tr("stopped"), tr("failed")};
  if (state == State::Finished || state == State::Stopped)
    statusBar()->showMessage(tr("Fit %1. Longest GUI-thread work while fitting: %2 ms.")
                                 .arg(names[int(state)])
                                 .arg(longestGuiWorkMs_, 0, 'f', 1),
                             8000);
  else if (state == State::Paused)
    statusBar()->showMessage(tr("Fit paused."), 4000);
  updateActions();
}

void MainWindow::onAtomClicked(int index) {
  view_->setSelectedAtom(index);
  refreshInspector();
  refreshDerived();  // the "selected atom" playback source
}

void MainWindow::refreshInspector() {
  const int index = view_->selectedAtom();
  if (index < 0 || index >= int(document_.atoms.atoms.size())) return inspector_->clear();
  const Atom& atom = document_.atoms.atoms[size_t(index)];
  inspector_->showAtom(index, atom, atom.gain >= document_.inactiveGain);
}

void MainWindow::setViewMode(int mode) { view_->setMode(ViewMode(mode)); }

void MainWindow::syncScrollBar() {
  const QSignalBlocker block(scrollBar_);
  const int width = int(std::lround((view_->visibleEnd() - view_->visibleStart()) * 1000.0));
  scrollBar_->setRange(0, std::max(0, int(std::lround(view_->duration() * 1000.0)) - width));
  scrollBar_->setPageStep(width);
  scrollBar_->setSingleStep(std::max(1, width / 10));
  scrollBar_->setValue(int(std::lround(view_->visibleStart() * 1000.0)));
}

void MainWindow::noteGuiWork(double ms) {
  if (fit_->active()) longestGuiWorkMs_ = std::max(longestGuiWorkMs_, ms);
}

void MainWindow::updateActions() {
  using State = fit::FitWorker::State;
  const bool open = bool(document_.samples);
  const State state = fit_->state();
  action("fit.start")->setEnabled(open);
  action("fit.pause")->setEnabled(state == State::Running);
  action("fit.resume")->setEnabled(state == State::Paused);
  action("fit.stop")->setEnabled(state == State::Running || state == State::Paused);
  action("file.saveAtoms")->setEnabled(!document_.atoms.atoms.empty());
  action("file.exportWav")->setEnabled(bool(document_.reconstruction));
  action("playback.play")->setEnabled(open);
}

QStringList MainWindow::recentFiles() const { return QSettings().value("recentFiles").toStringList(); }

void MainWindow::addRecentFile(const QString& path) {
  QStringList files = recentFiles();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  files.removeAll(absolute);
  files.prepend(absolute);
  while (files.size() > kMaxRecentFiles) files.removeLast();
  QSettings().setValue("recentFiles", files);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList files = recentFiles();
  for (const QString& file : files)
    recentMenu_->addAction(QFileInfo(file).fileName(), this, [this, file] { openFile(file); })->setToolTip(file);
  recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::saveAtoms() {
  const QString suggestion = QFileInfo(document_.path).completeBaseName() + QStringLiteral(".atoms");
  const QString path = QFileDialog::getSaveFileName(this, tr("Save atoms"), suggestion, tr("Atom files (*.atoms)"));
  if (path.isEmpty()) return;
  try {
    io::writeAtomFile(path.toStdString(), document_.atoms);
    statusBar()->showMessage(tr("Saved %1 atoms to %2.").arg(document_.atoms.atoms.size()).arg(path), 6000);
  } catch (const std::exception& e) {
    reportError(tr("Could not save the atoms: %1").arg(QString::fromStdString(e.what())),
                tr("Choose a folder you can write to."));
  }
}

void MainWindow::exportReconstruction() {
  if (!document_.reconstruction) return;
  const QString suggestion = QFileInfo(document_.path).completeBaseName() + QStringLiteral(".fit.wav");
  const QString path = QFileDialog::getSaveFileName(this, tr("Export reconstruction"), suggestion, tr("WAV (*.wav)"));
  if (path.isEmpty()) return;
  try {
    audio::writeAudio(path.toStdString(), document_.reconstruction->samples, document_.sampleRate,
                      audio::SampleFormat::Float32);
    statusBar()->showMessage(tr("Exported the reconstruction to %1.").arg(path), 6000);
  } catch (const std::exception& e) {
    reportError(tr("Could not export the reconstruction: %1").arg(QString::fromStdString(e.what())),
                tr("Choose a folder you can write to."));
  }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() && event->mimeData()->urls().front().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (!urls.isEmpty() && urls.front().isLocalFile()) openFile(urls.front().toLocalFile());
}

}  // namespace audiosplat::ui
