// The editor's entry: the QApplication, the main window, and the command line that
// opens a file or starts a fit at once. Hidden for scripts/screenshots.sh:
// --screenshot PATH --after SECONDS saves the window (QWidget::grab) and quits.
#include "gui_main.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

#include "exit_codes.h"
#include "main_window.h"

namespace audiosplat::cli {
namespace {

// Qt aborts the process when its platform plugin cannot connect to a display, so the
// probe runs in a child process.
bool guiAvailable() {
  const pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    std::freopen("/dev/null", "w", stderr);
    int argc = 1;
    char name[] = "audiosplat";
    char* argv[] = {name, nullptr};
    QGuiApplication probe(argc, argv);
    _exit(0);
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int hasGuiCommand() { return guiAvailable() ? kExitOk : kExitUnavailable; }

int editorCommand(int argc, char** argv) {
  if (!guiAvailable()) {
    std::fprintf(stderr,
                 "audiosplat: no display for the editor (set DISPLAY, or run under xvfb-run);\n"
                 "the command line works without one: audiosplat --help\n");
    return kExitUnavailable;
  }
  QApplication app(argc, argv);
  QApplication::setOrganizationName("AudioSplat");
  QApplication::setApplicationName("AudioSplat");
  QApplication::setApplicationVersion("0.1.0");
  QCommandLineParser parser;
  parser.setApplicationDescription("AudioSplat editor: open a recording, fit atoms to it, listen.");
  parser.addHelpOption();
  parser.addPositionalArgument("FILE", "audio file to open", "[FILE]");
  QCommandLineOption fit("fit", "start fitting FILE as soon as it is open");
  QCommandLineOption screenshot("screenshot", "save the window to PATH and quit", "PATH");
  QCommandLineOption after("after", "seconds before --screenshot", "SECONDS", "10");
  screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
  after.setFlags(QCommandLineOption::HiddenFromHelp);
  parser.addOptions({fit, screenshot, after});
  parser.process(app);
  const QStringList files = parser.positionalArguments();
  if (parser.isSet(fit) && files.isEmpty()) {
    std::fprintf(stderr, "audiosplat: --fit needs a FILE\n");
    return kExitUsage;
  }

  ui::MainWindow window;
  window.show();
  if (!files.isEmpty()) window.openFile(files.front(), parser.isSet(fit));
  if (parser.isSet(screenshot)) {
    const QString path = parser.value(screenshot);
    QTimer::singleShot(int(parser.value(after).toDouble() * 1000.0), &window, [&window, path] {
      const bool saved = window.grab().save(path);
      std::fprintf(stderr, "%s %s (fit snapshots: %d, longest GUI-thread work while fitting: %.1f ms)\n",
                   saved ? "saved" : "could not save", qPrintable(path), window.snapshotsReceived(),
                   window.longestGuiWorkMs());
      QApplication::exit(saved ? kExitOk : kExitCantCreate);
    });
  }
  return app.exec();
}

}  // namespace audiosplat::cli
