// The editor end to end under the offscreen platform: open a file, fit it and watch
// snapshots arrive and atoms get drawn, select an atom, play and stop, zoom and scroll,
// and a bad file's error dialog.
#include <QAction>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QSettings>
#include <QProgressDialog>
#include <QStatusBar>
#include <QMimeData>
#include <QDockWidget>
#include <QDropEvent>
#include <QApplication>
#include <QtTest>

#include "audio/audio_writer.h"
#include "fit_controller.h"
#include "fit_settings_panel.h"
#include "inspector_panel.h"
#include "loss_plot.h"
#include "main_window.h"
#include "spectrogram_view.h"
#include "testing.h"
#include "transport.h"

using namespace audiosplat;
using namespace audiosplat::ui;

namespace {

constexpr double kRate = 22050;
constexpr size_t kClip = 4096;

// Pixels that differ between two images of the same size.
int differingPixels(const QImage& a, const QImage& b) {
  int count = 0;
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x) count += a.pixel(x, y) != b.pixel(x, y);
  return count;
}

}  // namespace

class TestEditor : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  QString clip_;

  std::unique_ptr<MainWindow> openWindow(const QString& path) {
    auto window = std::make_unique<MainWindow>();
    window->resize(1200, 760);
    window->show();
    QSignalSpy opened(window.get(), &MainWindow::documentOpened);
    window->openFile(path);
    if (!opened.wait(20000)) return nullptr;
    return window;
  }

  // Fits the clip with 4 atoms, 20 iterations of mrstft, and waits for the end.
  void fitToEnd(MainWindow& window) {
    fit::FitSettings settings;
    settings.atoms = 4;
    settings.iterations = 20;
    settings.loss = fit::LossKind::Mrstft;
    window.fitSettings()->setSettings(settings);
    window.startFit();
    QTRY_VERIFY_WITH_TIMEOUT(window.fitController()->state() == fit::FitWorker::State::Finished, 120000);
    QTRY_VERIFY_WITH_TIMEOUT(window.lossPlot()->history().size() == 20, 10000);
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings away from the user's
    QCoreApplication::setOrganizationName("AudioSplatTest");
    QCoreApplication::setApplicationName("AudioSplatTest");
    QVERIFY(dir_.isValid());
    clip_ = dir_.filePath("tone.wav");
    const auto tone = test::synthTone(kRate, kClip, 330.0, 0.3);
    audio::writeAudio(clip_.toStdString(), tone, kRate);
  }
  void fitSettingsPersist() {
    ui::FitSettingsPanel panel;
    fit::FitSettings s = panel.settings();
    s.atoms = 40;
    s.sparsity = 0.25;
    s.learningRateStart = 0.03;
    s.freezeInactiveAfter = 0;  // shown as "never"
    panel.setSettings(s);
    panel.save();
    ui::FitSettingsPanel again;
    again.load();
    QCOMPARE(again.settings().atoms, 40);
    QCOMPARE(again.settings().sparsity, 0.25);
    QCOMPARE(again.settings().learningRateStart, 0.03);
    QCOMPARE(again.settings().freezeInactiveAfter, 0);
    s.freezeInactiveAfter = 250;
    panel.setSettings(s);
    panel.save();
    again.load();
    QCOMPARE(again.settings().freezeInactiveAfter, 250);
    QSettings().remove("fit");
  }


  void opensAFileAndDrawsItsSpectrogram() {
    auto window = openWindow(clip_);
    QVERIFY(window);
    QCOMPARE(window->document().samples->size(), kClip);
    QVERIFY(std::abs(window->view()->duration() - kClip / kRate) < 1e-9);
    QVERIFY(window->windowTitle().startsWith("tone.wav"));
    QVERIFY(window->recentFiles().contains(QFileInfo(clip_).absoluteFilePath()));
    // The tone's fundamental is brighter than the top of the spectrum.
    const QImage image = window->view()->grab().toImage();
    const ViewMapping m = window->view()->mapping();
    const int x = int(m.x(0.05));
    QVERIFY(qGray(image.pixel(x, int(m.y(330.0)))) > qGray(image.pixel(x, int(m.y(10000.0)))) + 40);
  }

  void fitDeliversSnapshotsAndDrawsAtoms() {
    auto window = openWindow(clip_);
    QVERIFY(window);
    QSignalSpy reconstructions(window.get(), &MainWindow::reconstructionUpdated);
    fitToEnd(*window);
    QVERIFY(window->snapshotsReceived() >= 2);
    QCOMPARE(window->view()->atomCount(), 4);
    QTRY_VERIFY_WITH_TIMEOUT(!reconstructions.isEmpty(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(reconstructions.last().at(0).toInt(), 20, 10000);
    QVERIFY(window->document().reconstruction);
    QVERIFY(window->action("file.saveAtoms")->isEnabled());

    // The glyphs are drawn: hiding the atoms changes many pixels.
    SpectrogramView* view = window->view();
    const QImage with = view->grab().toImage();
    view->setAtoms(AtomSet{}, 1e-3);
    const QImage without = view->grab().toImage();
    QVERIFY(differingPixels(with, without) > 200);

    // The reconstruction view shows sound where the fit was, not just the floor.
    view->setMode(ViewMode::Reconstruction);
    const QImage reconstruction = view->grab().toImage();
    const ViewMapping m = view->mapping();
    QVERIFY(qGray(reconstruction.pixel(int(m.x(0.05)), int(m.y(330.0)))) > 60);
    QVERIFY(differingPixels(reconstruction, without) > 1000);
    QVERIFY(window->longestGuiWorkMs() > 0);
    qInfo("longest GUI-thread work while fitting: %.1f ms", window->longestGuiWorkMs());
  }

  void clickingAnAtomFillsTheInspector() {
    auto window = openWindow(clip_);
    QVERIFY(window);
    fitToEnd(*window);
    const AtomSet atoms = window->document().atoms;
    // The loudest atom, clicked on its first partial just after the onset.
    size_t loudest = 0;
    for (size_t i = 0; i < atoms.atoms.size(); ++i)
      if (atoms.atoms[i].gain > atoms.atoms[loudest].gain) loudest = i;
    const Atom& atom = atoms.atoms[loudest];
    const ViewMapping m = window->view()->mapping();
    const double f1 = atom.fundamental * std::sqrt(1 + atom.inharmonicity);
    const QPoint point(int(std::max(m.x(atom.onset), m.plot.left()) + 3), int(std::lround(m.y(f1))));
    QVERIFY(m.plot.contains(point));
    QTest::mouseClick(window->view(), Qt::LeftButton, {}, point);
    const int selected = window->view()->selectedAtom();
    QVERIFY(selected >= 0);
    QCOMPARE(window->inspector()->title(), QString("Atom %1").arg(selected + 1));
    QVERIFY(window->inspector()->value("Fundamental").contains("Hz"));
    QVERIFY(window->inspector()->value("Decay T60").endsWith("s"));
    QVERIFY(window->inspector()->value("Gain").endsWith("dB"));
    window->action("edit.deselect")->trigger();
    QCOMPARE(window->view()->selectedAtom(), -1);
    QCOMPARE(window->inspector()->title(), QString("No atom selected"));
  }

  void stackedViewsShowAllThreeAndStayClickable() {
    auto window = openWindow(clip_);
    QVERIFY(window);
    fitToEnd(*window);
    SpectrogramView* view = window->view();
    const QImage single = view->grab().toImage();
    window->action("view.stacked")->trigger();
    QVERIFY(view->stacked());
    QVERIFY(QSettings().value("view/stacked").toBool());
    const QImage stacked = view->grab().toImage();
    QVERIFY(differingPixels(single, stacked) > 1000);
    // Three lanes, the first the target's: its mapping is a third of the plot's height.
    const ViewMapping top = view->mapping();
    QVERIFY(top.plot.height() < 0.4 * view->height());
    // The middle lane is the reconstruction: sound where the fit was.
    const QPointF middle(top.x(0.05), top.plot.bottom() + 6 + top.plot.height() / 2);
    const ViewMapping lane = view->mappingAt(middle);
    QVERIFY(lane.plot.top() > top.plot.bottom());
    QVERIFY(qGray(stacked.pixel(int(lane.x(0.05)), int(lane.y(330.0)))) > 60);
    // A glyph in that lane selects its atom like one in the target's.
    const AtomSet atoms = window->document().atoms;
    size_t loudest = 0;
    for (size_t i = 0; i < atoms.atoms.size(); ++i)
      if (atoms.atoms[i].gain > atoms.atoms[loudest].gain) loudest = i;
    const Atom& atom = atoms.atoms[loudest];
    const double f1 = atom.fundamental * std::sqrt(1 + atom.inharmonicity);
    const QPoint point(int(std::max(lane.x(atom.onset), lane.plot.left()) + 3), int(std::lround(lane.y(f1))));
    QTest::mouseClick(view, Qt::LeftButton, {}, point);
    QVERIFY(view->selectedAtom() >= 0);
    window->action("view.stacked")->trigger();
    QVERIFY(!view->stacked());
  }

  void aRangeDraggedOnTheRulerIsWhatGetsFitted() {
    auto window = openWindow(clip_);
    QVERIFY(window);
    emit window->view()->loopRangeSelected(0.05, 0.15);  // within the 0.186 s clip
    fit::FitSettings settings;
    settings.atoms = 2;
    settings.iterations = 3;
    window->fitSettings()->setSettings(settings);
    window->startFit();
    const fit::TargetSegment& segment = window->fitController()->segment();
    QCOMPARE(segment.start, int64_t(std::llround(0.05 * kRate)));
    QCOMPARE(segment.audibleLength, size_t(std::llround((0.15 - 0.05) * kRate)));
    QTRY_VERIFY_WITH_TIMEOUT(window->fitController()->state() == fit::FitWorker::State::Finished, 120000);
  }

  void playStopSeekAndSwitchSource() {
    auto window = openWindow(clip_);
    QVERIFY(window);
    Transport* transport = window->transport();
    QAction* play = window->action("playback.play");
    QTRY_VERIFY(play->isEnabled());
    play->trigger();
    QVERIFY(transport->playing());
    QTRY_VERIFY_WITH_TIMEOUT(transport->position() > 0.02, 5000);
    play->trigger();
    QVERIFY(!transport->playing());
    const double stoppedAt = transport->position();
    // A/B: switching source keeps the position.
    window->action("playback.source1")->trigger();
    QCOMPARE(transport->source(), playback::PlaybackSource::Reconstruction);
    QCOMPARE(transport->position(), stoppedAt);
    // A click on the ruler seeks there.
    const ViewMapping m = window->view()->mapping();
    QTest::mouseClick(window->view(), Qt::LeftButton, {}, QPoint(int(m.x(0.1)), 12));
    QVERIFY(std::abs(transport->position() - 0.1) < 0.002);
  }

  void zoomAndScrollChangeTheVisibleRange() {
    auto window = openWindow(clip_);
    QVERIFY(window);
    SpectrogramView* view = window->view();
    const double duration = view->duration();
    QCOMPARE(view->visibleStart(), 0.0);
    QCOMPARE(view->visibleEnd(), duration);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Plus);
    QVERIFY(std::abs((view->visibleEnd() - view->visibleStart()) - duration / 1.5) < 1e-9);
    // Ctrl+wheel zooms in further around the cursor.
    const ViewMapping m = view->mapping();
    const QPointF at(m.x(0.05), m.plot.center().y());
    const double width = view->visibleEnd() - view->visibleStart();
    QWheelEvent zoom(at, view->mapToGlobal(at), {}, {0, 120}, Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view, &zoom);
    QVERIFY(view->visibleEnd() - view->visibleStart() < width * 0.9);
    QVERIFY(view->visibleStart() <= 0.05 && view->visibleEnd() >= 0.05);
    // A plain wheel scrolls later in time; the key scrolls too.
    const double before = view->visibleStart();
    QWheelEvent scroll(at, view->mapToGlobal(at), {}, {0, -240}, Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view, &scroll);
    QVERIFY(view->visibleStart() > before);
    const double scrolled = view->visibleStart();
    QTest::keyClick(view, Qt::Key_Left);
    QVERIFY(view->visibleStart() < scrolled);
    // Frequency zoom narrows the axis; zoom to fit brings everything back.
    const double octaves = std::log2(view->highestHz() / view->lowestHz());
    view->zoomFrequency(2.0, 1000.0);
    QVERIFY(std::abs(std::log2(view->highestHz() / view->lowestHz()) - octaves / 2) < 1e-6);
    window->action("view.zoomFit")->trigger();
    QCOMPARE(view->visibleStart(), 0.0);
    QCOMPARE(view->visibleEnd(), duration);
    QVERIFY(std::abs(std::log2(view->highestHz() / view->lowestHz()) - octaves) < 1e-9);
  }

  void aBadFileShowsAnErrorDialog() {
    const QString bad = dir_.filePath("broken.wav");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("RIFF\x10\0\0\0WAVEnot really audio", 28);
    file.close();
    MainWindow window;
    window.show();
    QSignalSpy errors(&window, &MainWindow::errorReported);
    window.openFile(bad);
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 20000);
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox*>("errorDialog")) && box->isVisible());
    QVERIFY(box->text().contains("broken.wav"));
    QVERIFY(!box->informativeText().isEmpty());  // what to do about it
    QVERIFY(!window.document().samples);
    box->accept();
    QTRY_VERIFY(!window.findChild<QMessageBox*>("errorDialog"));
  }

  void cancellingALoadKeepsTheWindowAsItWas() {
    const QString longClip = dir_.filePath("long.wav");
    audio::writeAudio(longClip.toStdString(), test::synthTone(kRate, size_t(kRate * 600), 220.0, 0.3), kRate);
    MainWindow window;
    window.show();
    QSignalSpy errors(&window, &MainWindow::errorReported);
    QSignalSpy opened(&window, &MainWindow::documentOpened);
    window.openFile(longClip);
    QProgressDialog* dialog = window.findChild<QProgressDialog*>();
    QVERIFY(dialog);
    QCOMPARE(dialog->maximum(), 1000);
    emit dialog->canceled();  // what its Cancel button does
    QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains("cancelled"), 5000);
    QTest::qWait(3000);  // whatever the load did, it must not arrive
    QVERIFY(opened.isEmpty());
    QVERIFY(errors.isEmpty());
    QVERIFY(!window.document().samples);
    // The next file opens normally.
    window.openFile(clip_);
    QVERIFY(opened.wait(20000));
    QCOMPARE(window.document().samples->size(), kClip);
  }

  void droppingAFileOpensIt() {
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::documentOpened);
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(clip_)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(opened.wait(20000));
    QCOMPARE(window.document().samples->size(), kClip);
    // Something that is not a local file is refused at the door.
    QMimeData web;
    web.setUrls({QUrl("https://example.org/a.wav")});
    QDragEnterEvent refused(QPoint(50, 50), Qt::CopyAction, &web, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&window, &refused);
    QVERIFY(!refused.isAccepted());
  }

  void geometryAndPanelsAreRemembered() {
    {
      MainWindow window;
      window.show();
      window.resize(1000, 640);
      QTRY_COMPARE(window.size(), QSize(1000, 640));
      window.findChildren<QDockWidget*>().front()->hide();
      window.close();
    }
    MainWindow again;
    again.show();
    QTRY_COMPARE(again.size(), QSize(1000, 640));
    QVERIFY(!again.findChildren<QDockWidget*>().front()->isVisible());
    again.findChildren<QDockWidget*>().front()->show();
    again.close();
  }

  void commandLineAsksForAGui() {
    // CTest runs this with QT_QPA_PLATFORM=offscreen, which the child inherits.
    QCOMPARE(test::runCli({"--has-gui"}).exitCode, 0);
    QCOMPARE(test::runCli({"no-such-command"}).exitCode, 64);
  }
};

QTEST_MAIN(TestEditor)
#include "test_editor.moc"
