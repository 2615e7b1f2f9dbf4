#!/usr/bin/env bash
# Screenshots of the editor for docs/screenshots/, made under Xvfb from the built binary
# (run scripts/build.sh first; this builds nothing). The editor saves its own window
# with QWidget::grab() (hidden --screenshot/--after options) mid-fit on a real clip.
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin="$build/app/audiosplat"
clip=../shared/audio/dev/01_piano_C4_salamander.wav
[ -x "$bin" ] || { echo "no $bin: build first (scripts/build.sh)" >&2; exit 1; }
[ -f "$clip" ] || { echo "no $clip" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run missing: apt-get install xvfb" >&2; exit 1; }
mkdir -p docs/screenshots

# Fresh settings, so the window has its default layout and the fit a known size.
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
mkdir -p "$config/AudioSplat"
cat >"$config/AudioSplat/AudioSplat.conf" <<CONF
[fit]
atoms=24
iterations=400
loss=mrstft
initialiser=peaks
CONF

XDG_CONFIG_HOME="$config" xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$bin" --fit "$clip" --screenshot docs/screenshots/editor-fitting.png --after "${AFTER_SECONDS:-25}" 2>&1 |
  grep -v -e '^ALSA lib' -e '^Cannot connect' -e '^jack server' -e '^JackShm' || true
test -s docs/screenshots/editor-fitting.png
echo "wrote docs/screenshots/editor-fitting.png"
