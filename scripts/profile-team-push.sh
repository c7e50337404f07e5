#!/usr/bin/env bash
# Profiles a team push (docs/BENCHMARKS.md, "Team hub"): release builds, a PostgreSQL started here, N synthetic
# articles pushed by `dossier sync` under `perf record -g`, the hub recorded alongside; prints wall and CPU of the
# notebook, the hub and PostgreSQL, and the hub's top symbols. Root (runs PostgreSQL as its user).
#   scripts/profile-team-push.sh [ARTICLES=3000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000}
cargo build --release --locked -p dossier-cli -p dossier-hub -p dossier-bench
BIN=$PWD/target/release
WORK=$(mktemp -d); chmod 755 $WORK
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { runuser -u postgres -- "$@"; }
mkdir -p $WORK/pg; chown postgres $WORK/pg
as_pg $PGBIN/initdb -D $WORK/pg/data -U postgres --auth=trust -E UTF8 >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg $PGBIN/pg_ctl -D $WORK/pg/data -o "-p $PORT -k $WORK/pg -c listen_addresses=127.0.0.1" -l $WORK/pg/log -w start >/dev/null
as_pg $PGBIN/createdb -h 127.0.0.1 -p $PORT -U postgres team
DB=postgres://postgres@127.0.0.1:$PORT/team
$BIN/dossier-hub migrate --database $DB >/dev/null
TA=$($BIN/dossier-hub token add ann --role analyst --database $DB)
$BIN/dossier-hub serve --database $DB --listen 127.0.0.1:0 > $WORK/hub.out 2>/dev/null &
HUB=$!
for _ in $(seq 100); do grep -q serving $WORK/hub.out 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^dossier-hub: serving //p' $WORK/hub.out)
python3 scripts/gen-articles.py $WORK/src $N >/dev/null
$BIN/dossier --notebook $WORK/a init >/dev/null
$BIN/dossier-bench --generate $WORK/a $WORK/src 0 >/dev/null 2>&1
$BIN/dossier --notebook $WORK/a team join $URL --token $TA >/dev/null
pgcpu() { ps -u postgres -o times= | awk '{s+=$1} END {print s}'; }
hubcpu() { ps -p $HUB -o times=; }
P0=$(pgcpu); H0=$(hubcpu)
perf record -F 499 -g -p $HUB -o /tmp/hub.data > /dev/null 2>&1 &
PERF=$!
sleep 1
/usr/bin/time -f "client wall %e s, cpu %U+%S s" perf record -F 499 -g -o /tmp/client.data $BIN/dossier --notebook $WORK/a --json sync 2>&1 | grep -v "^\[" | tail -3
kill -INT $PERF; wait $PERF 2>/dev/null || true
P1=$(pgcpu); H1=$(hubcpu)
echo "postgres cpu: $((P1-P0)) s, hub cpu: $((H1-H0)) s"
kill $HUB
as_pg $PGBIN/pg_ctl -D $WORK/pg/data -m immediate stop >/dev/null
rm -rf $WORK
perf report -i /tmp/hub.data --no-children --sort dso,symbol --stdio 2>/dev/null | grep -E "^ +[0-9.]+%" | head -15
