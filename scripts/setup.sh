#!/usr/bin/env bash
# Installs what building and testing Dossier needs on Debian/Ubuntu, only what is missing:
# system packages (WebKitGTK for the window, Xvfb and WebKitWebDriver for the UI tests)
# and the front end's npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql: the team hub's tests start a PostgreSQL of their own (initdb in a temporary folder, on a
# loopback port); the package's own cluster is not used. openssl: they make a team's certificate
# authority and a hub certificate for the TLS test.
PACKAGES=(build-essential pkg-config file libssl-dev libwebkit2gtk-4.1-dev libayatana-appindicator3-dev
  librsvg2-dev libxdo-dev webkit2gtk-driver xvfb xauth imagemagick poppler-utils postgresql openssl)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is missing: install it from https://rustup.rs and run this again." >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "Node.js 20 and npm are missing: install them (e.g. apt-get install nodejs npm) and run this again." >&2
  exit 1
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> installing npm packages"
  (cd ui && npm ci --no-audit --no-fund)
fi
