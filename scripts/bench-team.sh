#!/usr/bin/env bash
# The team hub's benchmark (docs/BENCHMARKS.md, "Team hub"), on release builds and a real PostgreSQL
# started here (initdb in a temporary folder, fsync on, loopback):
#   scripts/bench-team.sh [ARTICLES=10000] [CLIENTS=20] [REQUESTS_PER_CLIENT=200]
# 1. Ann's notebook gets ARTICLES synthetic de/en/zh articles (scripts/gen-articles.py); `dossier sync`
#    pushes them (texts and original files) — changes per second.
# 2. Bo's new notebook joins and pulls the team's corpus — the initial pull, changes per second.
# 3. Ann marks one claim per article; push and pull again; PostgreSQL's size per 1 000 claims.
# 4. Comparator in the same run: the same states (the hub's change log) copied out to a file and into a
#    bare table (kind, id, jsonb) with PostgreSQL's own COPY — the floor of writing these rows at all —
#    and copied out again in order (the floor of reading them).
# 5. Hub latency: CLIENTS concurrent clients, each REQUESTS_PER_CLIENT requests (hello and pull pages).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"; CLIENTS="${2:-20}"; REQUESTS="${3:-200}"

cargo build --release --locked -p dossier-cli -p dossier-hub -p dossier-bench
BIN="$PWD/target/release"
WORK="$(mktemp -d)"
chmod 755 "$WORK"
PGBIN="${DOSSIER_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
HUB_PID=""
cleanup() {
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/pg"
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 >/dev/null
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -o "-p $PORT -k $WORK/pg -c listen_addresses=127.0.0.1" \
  -l "$WORK/pg/log" -w start >/dev/null
PSQL=("$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qAt)
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres team
DB="postgres://postgres@127.0.0.1:$PORT/team"
size() { as_pg "${PSQL[@]}" -d team -c "SELECT pg_database_size('team')"; }

"$BIN/dossier-hub" migrate --database "$DB" >/dev/null
TA="$("$BIN/dossier-hub" token add ann --role analyst --database "$DB")"
TB="$("$BIN/dossier-hub" token add bo --role analyst --database "$DB")"
"$BIN/dossier-hub" serve --database "$DB" --listen 127.0.0.1:0 > "$WORK/hub.out" 2> "$WORK/hub.err" &
HUB_PID=$!
for _ in $(seq 100); do grep -q serving "$WORK/hub.out" 2>/dev/null && break; sleep 0.1; done
URL="$(sed -n 's/^dossier-hub: serving //p' "$WORK/hub.out")"
echo "hub at $URL, PostgreSQL on port $PORT"

# Seconds of a command's wall time (its output kept in $WORK/last.json).
timed() { local t0 t1; t0=$(date +%s.%N); "$@" > "$WORK/last.json"; t1=$(date +%s.%N); python3 -c "print(f'{$t1-$t0:.2f}')"; }
field() { python3 -c "import json,sys; print(json.load(open('$WORK/last.json'))['$1'])"; }

A="$WORK/ann"; B="$WORK/bo"
python3 scripts/gen-articles.py "$WORK/src" "$N" >/dev/null
"$BIN/dossier" --notebook "$A" init >/dev/null
"$BIN/dossier-bench" --generate "$A" "$WORK/src" 0 >/dev/null 2>&1
"$BIN/dossier" --notebook "$A" team join "$URL" --token "$TA" >/dev/null
S0="$(size)"
PUSH_S="$(timed "$BIN/dossier" --notebook "$A" --json sync)"; PUSHED="$(field pushed)"
S1="$(size)"
"$BIN/dossier" --notebook "$B" init >/dev/null
"$BIN/dossier" --notebook "$B" team join "$URL" --token "$TB" >/dev/null
PULL_S="$(timed "$BIN/dossier" --notebook "$B" --json sync)"; PULLED="$(field pulled)"

mkdir -p "$WORK/none"
DOSSIER_ANALYST=ann "$BIN/dossier-bench" --generate "$A" "$WORK/none" 1 ann >/dev/null 2>&1
CPUSH_S="$(timed "$BIN/dossier" --notebook "$A" --json sync)"; CPUSHED="$(field pushed)"
S2="$(size)"
CPULL_S="$(timed "$BIN/dossier" --notebook "$B" --json sync)"; CPULLED="$(field pulled)"

# The comparator: the same rows with PostgreSQL's own COPY, out to a file and into a bare table.
chmod 777 "$WORK"
ROWS="$(as_pg "${PSQL[@]}" -d team -c "SELECT count(*) FROM change")"
t0=$(date +%s.%N)
as_pg "${PSQL[@]}" -d team -c "\\copy (SELECT kind, id, state FROM change ORDER BY seq) TO '$WORK/states.tsv'"
t1=$(date +%s.%N)
as_pg "${PSQL[@]}" -d team -c "CREATE TABLE bare (kind text, id text, state jsonb)"
t2=$(date +%s.%N)
as_pg "${PSQL[@]}" -d team -c "\\copy bare FROM '$WORK/states.tsv'"
t3=$(date +%s.%N)

LAT="$("$BIN/dossier-bench" --hub-latency "$URL" "$TB" "$CLIENTS" "$REQUESTS")"

python3 - "$N" "$PUSHED" "$PUSH_S" "$PULLED" "$PULL_S" "$CPUSHED" "$CPUSH_S" "$CPULLED" "$CPULL_S" \
  "$S0" "$S1" "$S2" "$ROWS" "$t0" "$t1" "$t2" "$t3" "$LAT" > docs/bench-team.json <<'EOF'
import json, sys
a = sys.argv[1:]
steps = lambda n, s: {"changes": n, "seconds": s}
t0, t1, t2, t3 = map(float, a[13:17])
print(json.dumps({
    "articles": int(a[0]),
    "push_articles": steps(int(a[1]), float(a[2])),
    "pull_articles": steps(int(a[3]), float(a[4])),
    "push_claims": steps(int(a[5]), float(a[6])),
    "pull_claims": steps(int(a[7]), float(a[8])),
    "pg_bytes": {"empty": int(a[9]), "articles": int(a[10]), "claims": int(a[11])},
    "copy": {"rows": int(a[12]), "in_s": t3 - t2, "out_s": t1 - t0},
    "latency": json.loads(a[17]),
}, indent=1))
EOF
cat docs/bench-team.json
echo "wrote docs/bench-team.json; scripts/benchmarks-md.py renders it in docs/BENCHMARKS.md"
