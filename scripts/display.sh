# Sourced by the scripts that drive the real window: when there is no display, starts
# Xvfb on a free number and stops it on exit; installs tauri-driver when it is missing.
if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "==> installing tauri-driver"
  cargo install tauri-driver --locked
fi
export PATH="$HOME/.cargo/bin:$PATH"

XVFB_PID=""
if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 120); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISPLAY_NUM=$n; break; fi
  done
  # -noreset: by default Xvfb resets itself when its last client leaves, and a window that
  # connects during the reset fails with "Failed to initialize GTK" — seen once in the app
  # crash harness, which kills the only client on every round.
  Xvfb ":$DISPLAY_NUM" -screen 0 1400x900x24 -nolisten tcp -noreset >"/tmp/dossier-xvfb-$DISPLAY_NUM.log" 2>&1 &
  XVFB_PID=$!
  export DISPLAY=":$DISPLAY_NUM"
  for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done
fi
trap '[ -n "$XVFB_PID" ] && kill $XVFB_PID 2>/dev/null || true' EXIT
