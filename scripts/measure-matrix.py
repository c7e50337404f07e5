#!/usr/bin/env python3
"""Times matrices on a large notebook (scripts/gen-large.sh) beside the bare SQL they need.

usage: measure-matrix.py NOTEBOOK [DOSSIER_BIN]
Each `dossier matrix` runs in its own process (wall time, peak RSS). The comparator is the smallest
query that yields the same counts, run by Python's sqlite3 on the same database file in the same run:
what SQLite itself needs, without Dossier's splits by stance and verdict, totals and labels.
Writes docs/bench-matrix.json."""
import json, os, sqlite3, subprocess, sys, time

nb = sys.argv[1]
exe = sys.argv[2] if len(sys.argv) > 2 else "target/release/dossier"


def run(label, *args):
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
        "w = time.perf_counter() - t\n"
        "print(json.dumps({'wall_s': w, 'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 'rc': p.returncode, 'out': p.stdout.decode()[:200000]}))\n"
    )
    r = json.loads(subprocess.check_output([sys.executable, "-c", code, exe, "--notebook", nb, *args]))
    r["label"] = label
    return r


first = run("open (no migration pending)", "--json", "info")
print(f"{first['label']:60} {first['wall_s']:7.2f} s  {first['rss_mb']:6.0f} MB")
ids = json.loads(subprocess.check_output([exe, "--notebook", nb, "--json", "articles"]))
half = [a["id"] for a in ids[::2]]
subprocess.run([exe, "--notebook", nb, "set", "delete", "bench_half"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
subprocess.check_call([exe, "--notebook", nb, "set", "add", "bench_half"], stdout=subprocess.DEVNULL)
subprocess.check_call([exe, "--notebook", nb, "set", "put", "bench_half", *half], stdout=subprocess.DEVNULL)

db = os.path.join(nb, "dossier.sqlite")
if not os.path.exists(db):
    db = next(os.path.join(nb, f) for f in os.listdir(nb) if f.endswith((".sqlite", ".db")))
BARE = {
    ("code", "lang"): "SELECT c.path, a.language, count(*) FROM claim_code cc JOIN code c ON c.id = cc.code_id JOIN claim cl ON cl.id = cc.claim_id JOIN article a ON a.id = cl.article_id GROUP BY 1, 2",
    ("code", "set"): "SELECT c.path, m.set_name, count(*) FROM claim_code cc JOIN code c ON c.id = cc.code_id JOIN claim cl ON cl.id = cc.claim_id JOIN article_set_member m ON m.article_id = cl.article_id GROUP BY 1, 2",
    ("code", "code"): "SELECT a.path, b.path, count(*) FROM claim_code x JOIN claim_code y ON y.claim_id = x.claim_id JOIN code a ON a.id = x.code_id JOIN code b ON b.id = y.code_id GROUP BY 1, 2",
    ("stance", "analyst"): "SELECT stance, coalesce(analyst, ''), count(*) FROM claim GROUP BY 1, 2",
    ("code", "month"): "SELECT c.path, substr(coalesce(a.published, a.imported_at), 1, 7), count(*) FROM claim_code cc JOIN code c ON c.id = cc.code_id JOIN claim cl ON cl.id = cc.claim_id JOIN article a ON a.id = cl.article_id GROUP BY 1, 2",
}
rows = []
for (r, c), sql in BARE.items():
    m = run(f"matrix {r} x {c}", "--json", "matrix", "--rows", r, "--cols", c)
    total = json.loads(m.pop("out"))["total"] if m["rc"] == 0 else None
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    t = time.perf_counter()
    n = len(con.execute(sql).fetchall())
    bare = time.perf_counter() - t
    con.close()
    m.update({"claims": total, "bare_sql_s": bare, "bare_cells": n, "ratio": bare / m["wall_s"]})
    print(f"{m['label']:60} {m['wall_s']:7.2f} s  {m['rss_mb']:6.0f} MB  bare SQL {bare:6.2f} s  ratio {m['ratio']:.2f}  ({total} claims)")
    rows.append(m)
info = json.loads(subprocess.check_output([exe, "--notebook", nb, "--json", "info"]))
json.dump({"notebook": info, "first_open": first, "matrices": rows},
          open(os.path.join(os.path.dirname(__file__), "..", "docs", "bench-matrix.json"), "w"), indent=2)
