#!/usr/bin/env bash
# End-to-end tests in the real Dossier window: tauri-driver + WebKitWebDriver
# drive target/debug/dossier-app under Xvfb (started here when there is no display).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/display.sh
# The window keeps accelerated compositing here, as on a desktop with a GPU. Without it
# (the app's choice on a machine with no GPU render node, like this one: see
# src-tauri/src/rendering.rs) WebKitWebDriver's screenshot command was seen to hang
# for good half-way through the suite, every time, while the page itself kept
# answering clicks. The crash harness (scripts/crash-app.sh) drives the window in
# the app's own mode.
export DOSSIER_COMPOSITING=1
export DOSSIER_APP_BINARY="${DOSSIER_APP_BINARY:-${CARGO_TARGET_DIR:-$PWD/target}/debug/dossier-app}"
(cd ui && node e2e/run.mjs)
