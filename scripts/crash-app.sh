#!/usr/bin/env bash
# Crash safety of the desktop app: kills the real window (target/debug/dossier-app, driven
# through tauri-driver under Xvfb) with SIGKILL while it imports, writes claims and notes,
# edits them and rebuilds the index; `dossier check` and every acknowledged write are
# verified after each kill (ui/e2e/crash-app.mjs).
#   scripts/crash-app.sh [KILLS]      (default 200; CRASH_REPORT=FILE writes the figures)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/display.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"
export DOSSIER_APP_BINARY="${DOSSIER_APP_BINARY:-$target/debug/dossier-app}"
export DOSSIER_CLI_BINARY="${DOSSIER_CLI_BINARY:-$target/debug/dossier}"
export DOSSIER_APP_CRASH_KILLS="${1:-200}"
(cd ui && node e2e/crash-app.mjs)
