#!/usr/bin/env bash
# Windows, proven on Linux: cross-builds Dossier for x86_64-pc-windows-gnu and
# runs the Rust tests of every library crate and of the CLI under Wine (real
# SQLite files, real tantivy indexes, the real `dossier.exe` in child processes).
#
#   scripts/test-windows.sh           every library crate and the CLI
#   scripts/test-windows.sh --smoke   quicker: the same minus the hostile, fidelity and crash suites
#   scripts/test-windows.sh --shell   also compiles the desktop shell for Windows
#
# Installs what it needs from Debian's packages (see ../shared/TOOLCHAIN.md):
# Debian's Rust with the standard library's sources (rustup cannot fetch the
# Windows standard library here, so it is built from source with -Zbuild-std),
# the mingw-w64 linker and C compiler (bundled SQLite), and Wine.
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=0
SHELL_TOO=0
for a in "$@"; do
  case "$a" in
    --smoke) SMOKE=1 ;;
    --shell) SHELL_TOO=1 ;;
    *) echo "usage: $0 [--smoke] [--shell]" >&2; exit 2 ;;
  esac
done

PKGS=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 wine64)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

TARGET=x86_64-pc-windows-gnu
DIR=target/windows
SHIM="$DIR/wine-shim"
mkdir -p "$SHIM"

# Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's standard library
# imports for random numbers. For the tests only, a stand-in forwards it to
# advapi32's RtlGenRandom. It lives in the build folder, is found through
# WINEPATH, and is never shipped: real Windows has the DLL.
cat > "$SHIM/stub.c" <<'EOF'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) { return SystemFunction036(data, (ULONG)length); }
EOF
x86_64-w64-mingw32-gcc -shared -O2 -o "$SHIM/bcryptprimitives.dll" "$SHIM/stub.c" -ladvapi32

export PATH="/usr/bin:$PATH"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=/usr/lib/wine/wine64
export WINEDEBUG=-all
export WINEPREFIX="$PWD/$DIR/wineprefix"
export WINEPATH="Z:$(echo "$PWD/$SHIM" | tr / '\\')"
# Every process start and file operation costs more under Wine: the tests'
# limits against hangs are stretched, not dropped.
export DOSSIER_TEST_TIME_FACTOR=3
# A clean clone gains nothing from incremental compilation.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi
CARGO=(cargo -Zbuild-std=std,panic_abort)
COMMON=(--locked --target "$TARGET" --target-dir "$DIR")
RUN=(--no-fail-fast)

step() { echo; echo "==> [windows] $*"; }

# Wine starts its services on first use; doing it once here keeps that out of the tests' time limits.
step "Wine prefix"
/usr/lib/wine/wine64 cmd /c ver 2>/dev/null | tr -d '\r' | grep -v '^$' || true

step "Rust tests of the libraries, cross-built for $TARGET, run under Wine"
"${CARGO[@]}" test "${COMMON[@]}" "${RUN[@]}" -p dossier-model -p dossier-confine -p dossier-store -p dossier-search \
  -p dossier-ingest -p dossier-export -p dossier

step "the CLI under Wine: hostile files, limits, two processes on one notebook, Windows paths and names"
if [ "$SMOKE" = 1 ]; then
  "${CARGO[@]}" test "${COMMON[@]}" "${RUN[@]}" -p dossier-cli --test cli --test audit --test concurrency --test windows
else
  "${CARGO[@]}" test "${COMMON[@]}" "${RUN[@]}" -p dossier-cli
  step "crash safety under Wine: ${DOSSIER_CRASH_KILLS:-50} kills (TerminateProcess) at random moments"
  DOSSIER_CRASH_KILLS="${DOSSIER_CRASH_KILLS:-50}" "${CARGO[@]}" test "${COMMON[@]}" "${RUN[@]}" -p dossier-cli --test crash -- --ignored --nocapture
fi

if [ "$SHELL_TOO" = 1 ]; then
  step "the desktop shell compiles for $TARGET"
  "${CARGO[@]}" build "${COMMON[@]}" -p dossier-app
fi

echo; echo "Windows checks passed."
