#!/usr/bin/env bash
# The desktop app on a large notebook: opens NOTEBOOK (made by scripts/gen-large.sh, e.g.
# 100 000 articles and 1 000 000 claims) in the real window under Xvfb and times opening,
# scrolling, filtering, opening an article, palette search and a CSV export of every claim,
# with the longest frame gap of each step and the app's memory (ui/e2e/large-app.mjs).
# Writes docs/bench-large-app.json; docs/RELIABILITY.md quotes it.
# With --upgraded: the first open after an update instead (the live index marked as another
# version's; the palette must answer from it, saying so, while the app rebuilds beside it);
# writes docs/bench-large-app-upgrade.json and docs/screenshots/search-during-rebuild.png.
#   scripts/bench-large-app.sh NOTEBOOK [--upgraded]
set -euo pipefail
cd "$(dirname "$0")/.."
NB="$(realpath "$1")"
./scripts/setup.sh
(cd ui && npm run build)
cargo build --release --locked -p dossier-app
source scripts/display.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"
if [ "${2:-}" = "--upgraded" ]; then
  (cd ui && node e2e/large-app.mjs "$target/release/dossier-app" "$NB" "$PWD/../docs/bench-large-app-upgrade.json" --upgraded)
else
  (cd ui && node e2e/large-app.mjs "$target/release/dossier-app" "$NB" "$PWD/../docs/bench-large-app.json")
fi
