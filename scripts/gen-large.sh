#!/usr/bin/env bash
# Builds a large notebook for the large-notebook measurements (docs/RELIABILITY.md):
#   scripts/gen-large.sh NOTEBOOK_DIR [ARTICLES=100000] [CLAIMS_PER_ARTICLE=10]
# Articles are synthetic German/English/Chinese Markdown (scripts/gen-articles.py), imported
# through the real pipeline; claims are added through the façade in batches; then indexed.
set -euo pipefail
cd "$(dirname "$0")/.."
NB="$1"; N="${2:-100000}"; K="${3:-10}"
SRC="$(mktemp -d)"
trap 'rm -rf "$SRC"' EXIT
python3 scripts/gen-articles.py "$SRC" "$N"
cargo build --release -p dossier-bench --locked
target/release/dossier-bench --generate "$NB" "$SRC" "$K"
