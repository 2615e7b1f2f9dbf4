#!/usr/bin/env bash
# Installs dependencies, builds, and runs the main job on the bundled demo clip:
# the editor fitting it when there is a display, a headless fit that writes
# the reconstruction and the atom file otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
demo=assets/demo/piano_C4.wav
out=${AUDIOSPLAT_OUT:-build/demo}
mkdir -p "$out"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && build/app/audiosplat --has-gui >/dev/null 2>&1; then
  exec build/app/audiosplat --fit "$demo"
fi
echo "No display: fitting $demo headless."
# The fit runs on the CPU reference until the Vulkan fit lands: a short fit (under a
# minute on 2 cores) shows the whole path; pass --atoms/--iterations for a longer one.
build/app/audiosplat fit "$demo" -o "$out/piano_C4.atoms" --wav "$out/piano_C4.fit.wav" \
  --atoms 24 --iterations 150 --loss mrstft "$@"
echo "Wrote $out/piano_C4.atoms and $out/piano_C4.fit.wav"
