#!/usr/bin/env bash
# The release .deb installs and starts (issue 3, "Done means"): installs
# target/release/bundle/deb/Dossier_*.deb with apt (which pulls WebKitGTK and GTK),
# starts the installed /usr/bin/dossier-app under Xvfb on a new notebook named on
# its command line, waits for the window's first painted frame and for the notebook
# with the sample article, then removes the package again. Run after `tauri build`
# (scripts/bench-app.sh builds it); needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=$(ls target/release/bundle/deb/Dossier_*.deb | head -1)
source scripts/display.sh
echo "==> installing $DEB"
apt-get install -y -q "./$DEB" >/tmp/dossier-deb-install.log 2>&1 \
  || { cat /tmp/dossier-deb-install.log; exit 1; }
trap 'apt-get remove -y -q dossier >/dev/null 2>&1 || true; [ -n "$XVFB_PID" ] && kill $XVFB_PID 2>/dev/null || true' EXIT
test -x /usr/bin/dossier-app
test -f /usr/share/applications/Dossier.desktop

WORK=$(mktemp -d)
NB="$WORK/Installed.dossier"
DOSSIER_REPORT_FIRST_FRAME=1 XDG_CONFIG_HOME="$WORK/cfg" XDG_DATA_HOME="$WORK/data" \
  /usr/bin/dossier-app "$NB" >"$WORK/out.log" 2>"$WORK/err.log" &
APP=$!
for _ in $(seq 1 300); do grep -q first-frame "$WORK/out.log" && break; sleep 0.1; done
grep -q first-frame "$WORK/out.log" || { echo "no first frame in 30 s"; cat "$WORK/err.log"; exit 1; }
ARTICLES=0
for _ in $(seq 1 100); do
  ARTICLES=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from article').fetchone()[0])" "$NB/notebook.sqlite" 2>/dev/null || echo 0)
  [ "$ARTICLES" -ge 1 ] && break; sleep 0.1
done
kill $APP; wait $APP 2>/dev/null || true
[ "$ARTICLES" -ge 1 ] || { echo "the installed app did not create $NB with the sample article"; cat "$WORK/err.log"; exit 1; }
echo "deb check ok: $(basename "$DEB") installed, first frame painted, $NB created with $ARTICLES article(s)"
