#pragma once
// The editor's window: menus, toolbar, status bar and docks around the spectrogram view,
// and the wiring between the document, the fit, the workers and playback. Everything
// heavy happens on workers; the handlers here only swap finished results in.
#include <QMainWindow>
#include <QStringList>
#include <memory>

#include "document.h"
#include "document_jobs.h"
#include "fit/fit_worker.h"

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QMenu;
class QProgressDialog;
class QScrollBar;
class QSpinBox;
class QTimer;

namespace audiosplat::ui {

class BackgroundWorker;
class FitController;
class FitSettingsPanel;
class InspectorPanel;
class LossPlot;
class SpectrogramView;
class Transport;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads in the background; fitAfterOpen starts a fit once the file is open.
  void openFile(const QString& path, bool fitAfterOpen = false);
  void startFit();

  const Document& document() const { return document_; }
  SpectrogramView* view() const { return view_; }
  InspectorPanel* inspector() const { return inspector_; }
  LossPlot* lossPlot() const { return lossPlot_; }
  FitSettingsPanel* fitSettings() const { return fitSettingsPanel_; }
  FitController* fitController() const { return fit_; }
  Transport* transport() const { return transport_; }
  QAction* action(const QString& objectName) const;
  int snapshotsReceived() const { return snapshotsReceived_; }
  // The longest single piece of GUI-thread work (snapshot handler, result swap-in or a
  // paint of the view) since the last fit started, in milliseconds.
  double longestGuiWorkMs() const { return longestGuiWorkMs_; }
  QStringList recentFiles() const;

 signals:
  void documentOpened(const QString& path);
  void reconstructionUpdated(int iteration);
  void errorReported(const QString& message);

 protected:
  void closeEvent(QCloseEvent*) override;
  void dragEnterEvent(QDragEnterEvent*) override;
  void dropEvent(QDropEvent*) override;

 private:
  void createActions();
  void createMenus();
  void createToolBar();
  void createDocks();
  void createStatusBar();
  void restoreSettings();
  void reportError(const QString& what, const QString& todo);
  void onLoaded(const QString& path, const LoadedAudio& loaded, bool fitAfterOpen);
  void onSnapshot(std::shared_ptr<const fit::FitSnapshot> snapshot);
  void onFitState(fit::FitWorker::State state);
  void onAtomClicked(int index);
  void refreshInspector();
  void refreshDerived();  // reconstruction spectrograms and playback buffer, on a worker
  void addRecentFile(const QString& path);
  void rebuildRecentMenu();
  void saveAtoms();
  void exportReconstruction();
  void openDialog();
  void syncScrollBar();
  void setViewMode(int mode);
  void noteGuiWork(double ms);
  void updateActions();

  Document document_;
  std::shared_ptr<const fit::FitSnapshot> latestSnapshot_;
  int derivedIteration_ = -1;  // reconstruction iteration already sent to the worker
  int shownProblemIteration_ = 0;  // the fit problem last shown in the status bar
  int loadGeneration_ = 0;
  int snapshotsReceived_ = 0;
  double longestGuiWorkMs_ = 0;

  SpectrogramView* view_ = nullptr;
  QScrollBar* scrollBar_ = nullptr;
  InspectorPanel* inspector_ = nullptr;
  LossPlot* lossPlot_ = nullptr;
  FitSettingsPanel* fitSettingsPanel_ = nullptr;
  FitController* fit_ = nullptr;
  Transport* transport_ = nullptr;
  BackgroundWorker* loader_ = nullptr;
  BackgroundWorker* deriver_ = nullptr;
  QProgressDialog* loadProgress_ = nullptr;
  std::shared_ptr<LoadProgress> loadState_;  // the running load's progress and cancel flag
  QTimer* loadPoll_ = nullptr;               // copies loadState_'s progress into the dialog

  QMenu* recentMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  QActionGroup* viewModes_ = nullptr;
  QActionGroup* sources_ = nullptr;
  QSpinBox* floorDb_ = nullptr;
  QSpinBox* ceilingDb_ = nullptr;
  QLabel* cursorLabel_ = nullptr;
  QLabel* fitLabel_ = nullptr;
  QLabel* deviceLabel_ = nullptr;
  QLabel* playLabel_ = nullptr;
  double loopStart_ = 0, loopEnd_ = 0;
};

}  // namespace audiosplat::ui
