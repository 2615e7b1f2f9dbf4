#pragma once
// The editor's entry points, chosen by main() (app/main.cpp).
namespace audiosplat::cli {
// Opens the editor: `audiosplat`, `audiosplat FILE`, `audiosplat --fit FILE`.
int editorCommand(int argc, char** argv);
// Exit 0 when a GUI platform can be created here (scripts/run-demo.sh asks before --fit).
int hasGuiCommand();
}  // namespace audiosplat::cli
