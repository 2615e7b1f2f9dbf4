#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (on lavapipe when there is no GPU).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --parallel "$(nproc)" "$@"
