#!/usr/bin/env bash
# Import throughput per file format (read, extract, store, index), each format
# in its own process, on the multilingual corpus from ../shared/corpus plus
# DOCX, ODT, EPUB and RTF made from the corpus's Markdown with pandoc.
# Writes docs/bench-formats.json; scripts/benchmarks-md.py puts it in docs/BENCHMARKS.md.
#   scripts/bench-formats.sh [CORPUS_DIR] [MAX_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${1:-/tmp/corpus}"
MAX_MB="${2:-40}"
if [ ! -f "$CORPUS/manifest.tsv" ]; then
  bash ../shared/corpus/build-corpus.sh "$CORPUS" --max-mb "$MAX_MB"
fi
command -v pandoc >/dev/null || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo; $SUDO apt-get install -y -qq pandoc >/dev/null; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ln -s "$(cd "$CORPUS" && pwd)" "$WORK/corpus"
mkdir -p "$WORK/converted"
n=0
while IFS= read -r md; do
  n=$((n + 1))
  for fmt in docx odt epub rtf; do
    pandoc "$md" -s -o "$WORK/converted/$n.$fmt" 2>/dev/null || true
  done
done < <(find "$CORPUS" -name '*.md' | sort | head -60)
cargo build --release -p dossier-bench --locked
target/release/dossier-bench "$WORK" --formats --out docs/bench-formats.json
