#!/usr/bin/env bash
# Desktop-app benchmark: builds Dossier (release + .deb) and Tauri's bare
# template (bench/empty-tauri, release + .deb) the same way, then measures both in
# one run under Xvfb: launch → first frame, idle PSS after 10 s (sample notebook
# and a 5 000-article notebook), keystroke → results in the search palette, and
# .deb sizes. Writes docs/bench-app.json; docs/BENCHMARKS.md quotes it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/display.sh

(cd ui && npm run build)
TAURI=ui/node_modules/.bin/tauri
(cd src-tauri && ../$TAURI build --bundles deb,rpm)
(cd bench/empty-tauri && ../../$TAURI build --bundles deb)
cargo build --release -p dossier-cli

WORK=$(mktemp -d)
DOSSIER=target/release/dossier
$DOSSIER --notebook "$WORK/sample.dossier" init --sample >/dev/null
python3 scripts/gen-articles.py "$WORK/articles" 5000
$DOSSIER --notebook "$WORK/big.dossier" init --sample >/dev/null
$DOSSIER --notebook "$WORK/big.dossier" --json import "$WORK/articles" >/dev/null

(cd ui && node e2e/bench-app.mjs "$PWD/../target/release/dossier-app" "$PWD/../bench/empty-tauri/target/release/empty-tauri" \
  "$WORK/sample.dossier" "$WORK/big.dossier" "$PWD/../docs/bench-app.json")
echo "deb sizes (bytes):"
stat -c '%s %n' target/release/bundle/deb/*.deb bench/empty-tauri/target/release/bundle/deb/*.deb | tee docs/bench-app-deb.txt
