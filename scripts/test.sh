#!/usr/bin/env bash
# Runs every check and test of Dossier: formatting, lints, Rust unit and
# integration tests (real SQLite files, real tantivy indexes, the real CLI),
# the TypeScript bindings drift check, front-end type checks and unit tests,
# and the end-to-end tests in the real app window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# A clean clone gains nothing from incremental compilation, and its cache would take
# gigabytes of a CI machine's disk on top of the build itself.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

# Each step's time, printed as it ends and summed up at the end: the CI budget is 90
# minutes for a cold run, and this is where to look when it grows.
TIMES=()
STEP_NAME=""
STEP_START=$SECONDS
step_done() {
  if [ -n "$STEP_NAME" ]; then
    local took=$((SECONDS - STEP_START))
    TIMES+=("$(printf '%4d:%02d  %s' $((took / 60)) $((took % 60)) "${STEP_NAME:0:90}")")
    echo "    (took ${took} s)"
  fi
}
step() {
  step_done
  STEP_NAME="$*"
  STEP_START=$SECONDS
  echo; echo "==> $*"
  # On CI, say how much disk is left before every step: a full disk is the one failure
  # whose message (a compiler's IO error) does not name its cause.
  if [ "${CI:-}" = "true" ]; then df -h --output=avail,used . | tail -1 | awk '{print "    disk: " $1 " free, " $2 " used"}'; fi
}
# A clean clone on CI never builds twice, so each cross-build or sanitizer build is deleted
# once its step has passed: the Windows target (~11 GB) and the fuzz target (~7 GB) would
# otherwise sit on the disk together with the debug build for the rest of the run.
ci_free() { if [ "${CI:-}" = "true" ]; then rm -rf "$@"; fi; }

step "front end build (the desktop app embeds ui/dist at compile time, even for clippy)"
(cd ui && npm run build)

step "rustfmt"
cargo fmt --all -- --check

step "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "build the workspace (the CLI and the desktop app, debug; embeds ui/dist)"
cargo build --workspace --locked

step "dependencies: licences, bans and sources (cargo deny); npm audit"
command -v cargo-deny >/dev/null || cargo install cargo-deny --locked --quiet
cargo deny --log-level error check licenses bans sources
# Advisories need GitHub (RustSec) and npm's audit service; where the network offers
# neither, say so instead of pretending the check ran.
if audit_out="$(cd ui && npm audit --audit-level=moderate 2>&1)"; then
  echo "npm audit: clean"
elif grep -q "audit endpoint returned an error\|ENOTFOUND\|ECONNREFUSED\|EAI_AGAIN" <<<"$audit_out"; then
  echo "NOTE: npm's audit service cannot be reached from here; npm audit SKIPPED"
else
  echo "$audit_out"; exit 1
fi

step "Rust tests"
cargo test --workspace --locked
# The vendored crates' patches (vendor/*/PATCHES.md): the language detector's distances against its
# original loop, the parser library's tests. A target folder of their own under target/: they are not
# workspace members.
cargo test --manifest-path vendor/whatlang/Cargo.toml --target-dir target/vendor --locked --lib
cargo test --manifest-path vendor/pom/Cargo.toml --target-dir target/vendor --locked

step "crash safety: 200 SIGKILLs at random moments of imports, edits and reindexing; check and acknowledged writes after each"
# --workspace, not -p dossier-cli: the same feature set as the build above, so nothing is rebuilt.
DOSSIER_CRASH_KILLS=200 cargo test --workspace --test crash --locked -- --ignored --nocapture

# Windows, cross-built and run under Wine (scripts/test-windows.sh installs what it needs): every library
# and CLI suite and the crash harness with TerminateProcess kills (about 4 minutes of tests after a cold
# cross-build of about 12; `scripts/test-windows.sh --smoke` is the quicker set for a developer's loop).
# DOSSIER_SKIP_WINE=1 skips it where Windows runs natively (GitHub's windows-latest job) or Debian's
# packages are missing (Ubuntu has no rustc-web).
if [ "${DOSSIER_SKIP_WINE:-}" = "1" ]; then
  step "Windows under Wine: SKIPPED (DOSSIER_SKIP_WINE=1)"
else
  step "Windows under Wine: every library and CLI suite and the crash harness with TerminateProcess"
  ./scripts/test-windows.sh
  ci_free target/windows
fi

step "exports validated with the standards' own schemas (../shared/validators) and a CLI round trip"
./scripts/validate-exports.sh

step "search correctness on a small real corpus: recall against a brute-force scan, index in step with SQLite"
./scripts/search-check.sh

step "fuzz smoke: every parser of outside files for a few seconds under AddressSanitizer (scripts/fuzz.sh)"
# Unoptimised targets (--dev): the smoke run is about the parsers surviving hostile
# input under the sanitizer, not throughput; it saves 7 minutes of a cold build.
./scripts/fuzz.sh --dev 5
ci_free fuzz/target

step "TypeScript bindings (types and the typed command calls) are generated from Rust and must be committed"
if [ -n "$(git status --porcelain -- ui/src/lib/bindings)" ]; then
  git status --porcelain -- ui/src/lib/bindings
  echo "The TypeScript bindings drifted from the Rust types: run 'cargo test -p dossier-model -p dossier -p dossier-app' and commit ui/src/lib/bindings." >&2
  exit 1
fi

step "front end: type check and unit tests"
(cd ui && npm run check && npm test)

step "end-to-end tests in the real window"
./scripts/e2e.sh

# 200 kills take 12 minutes of two cores; a cold CI run (79 min of its 90 at the last count) runs 60
# of them, which still cover every phase the harness kills in (import, claim, note, edit, reindex)
# several times. DOSSIER_APP_CRASH_KILLS=200 (or ./scripts/crash-app.sh 200) is the full run.
if [ "${CI:-}" = "true" ]; then app_kills="${DOSSIER_APP_CRASH_KILLS:-60}"; else app_kills="${DOSSIER_APP_CRASH_KILLS:-200}"; fi
step "crash safety of the desktop app: $app_kills SIGKILLs of the real window while it imports, writes, edits and reindexes"
./scripts/crash-app.sh "$app_kills"
step_done
echo; echo "Time per step (min:s):"; printf '%s\n' "${TIMES[@]}"
echo "  total: $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo; echo "All checks passed."
