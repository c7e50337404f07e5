#!/usr/bin/env bash
# The table of claims and matrices in the real window on a large notebook (scripts/gen-large.sh,
# topped up to a million claims): opening, wheel scrolling and jumping through the table with
# every frame gap recorded, sorting, filtering, and two matrices drawn with their charts
# (ui/e2e/table-app.mjs). Writes docs/bench-table-app.json; docs/BENCHMARKS.md quotes it.
#   scripts/bench-table-app.sh NOTEBOOK
set -euo pipefail
cd "$(dirname "$0")/.."
NB="$(realpath "$1")"
./scripts/setup.sh
(cd ui && npm run build)
cargo build --release --locked -p dossier-app
source scripts/display.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"
(cd ui && node e2e/table-app.mjs "$target/release/dossier-app" "$NB" "$PWD/../docs/bench-table-app.json")
