#!/usr/bin/env bash
# Search benchmark (issue 4): import, query latency, recall, index size and time
# to searchable, each beside its comparator in the same run. Builds the corpus
# when CORPUS does not exist yet, then regenerates docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${1:-/tmp/dossier-corpus}"
if [ ! -d "$CORPUS" ]; then
  bash ../shared/corpus/build-corpus.sh "$CORPUS" --max-mb "${CORPUS_MB:-40}"
fi
cargo run --release -p dossier-bench -- "$CORPUS" --out docs/bench-search.json
python3 scripts/benchmarks-md.py
