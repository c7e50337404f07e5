#!/usr/bin/env bash
# Builds Dossier (release) and starts it on the default notebook
# ($DOSSIER_NOTEBOOK, else Dossier/Default.dossier in the OS data directory;
# created with the sample article on first start). Extra arguments: none.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
echo "==> building the front end"
(cd ui && npm run build)
echo "==> building the app (release; the first build takes several minutes)"
(cd src-tauri && ../ui/node_modules/.bin/tauri build --no-bundle)
echo "==> starting Dossier"
exec target/release/dossier-app
