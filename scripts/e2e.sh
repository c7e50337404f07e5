#!/usr/bin/env bash
# End-to-end tests in the real Dossier window: tauri-driver + WebKitWebDriver
# drive target/debug/dossier-app under Xvfb (started here when there is no display).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/display.sh
export DOSSIER_APP_BINARY="${DOSSIER_APP_BINARY:-${CARGO_TARGET_DIR:-$PWD/target}/debug/dossier-app}"
(cd ui && node e2e/run.mjs)
