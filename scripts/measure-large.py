#!/usr/bin/env python3
"""Times the CLI on a large notebook (scripts/gen-large.sh) and writes docs/bench-large.json.

usage: measure-large.py NOTEBOOK [DOSSIER_BIN]
Each operation runs in its own process; wall time and peak RSS are measured per process."""
import json, os, resource, subprocess, sys, tempfile, time

nb = sys.argv[1]
exe = sys.argv[2] if len(sys.argv) > 2 else "target/release/dossier"
out = tempfile.mkdtemp()


def run(label, *args):
    # A fresh interpreter per command so RUSAGE_CHILDREN is that command's peak alone.
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
        "w = time.perf_counter() - t\n"
        "print(json.dumps({'wall_s': w, 'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 'rc': p.returncode, 'bytes': len(p.stdout)}))\n"
    )
    r = json.loads(subprocess.check_output([sys.executable, "-c", code, exe, "--notebook", nb, *args]))
    r["label"] = label
    print(f"{label:55} {r['wall_s']:7.2f} s  {r['rss_mb']:7.0f} MB  rc={r['rc']}")
    return r


def live_index():
    try:
        name = open(os.path.join(nb, "index.live")).read().strip()
    except FileNotFoundError:
        name = "index"
    return os.path.join(nb, name)


def as_if_upgraded():
    # What a release with another analysis finds: an index of another version
    # (same fields), which it rebuilds beside the old one on first open.
    with open(os.path.join(live_index(), "dossier-index-version"), "w") as f:
        f.write("dossier-index-0")


def search_during_rebuild():
    """Starts a rebuild in one process (`reindex`) and searches from another while it runs:
    the answer must come from the previous index, whole."""
    before = json.loads(subprocess.check_output([exe, "--notebook", nb, "--json", "search", "Datenintegrität"]))["total"]
    rebuild = subprocess.Popen([exe, "--notebook", nb, "reindex"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(5)
    t = time.perf_counter()
    during = json.loads(subprocess.check_output([exe, "--notebook", nb, "--json", "search", "Datenintegrität"]))["total"]
    wall = time.perf_counter() - t
    still_running = rebuild.poll() is None
    rebuild.wait()
    r = {"label": "search 'Datenintegrität' while another process rebuilds the index",
         "wall_s": wall, "rss_mb": 0, "rc": 0, "hits_before": before, "hits_during": during,
         "rebuild_still_running": still_running}
    print(f"{r['label']:55} {wall:7.2f} s  {during} hits (before: {before}), rebuild running: {still_running}")
    return r


# A first open may migrate the notebook and rebuild its index (a new release):
# timed apart, so the rows below measure a notebook as it is every day.
as_if_upgraded()
first = run("first open after an upgrade (index rebuild beside the old one)", "--json", "info")
rows = [
    first,
    run("open + counts (`info`)", "--json", "info"),
    run("list all articles (`articles --json`)", "--json", "articles"),
    run("filter claims by code (`claims --code Trust/Security`)", "--json", "claims", "--code", "Trust/Security"),
    run("the claim table filtered by code, as the window shows it (count + first 50 rows)",
        "--json", "table", "--code", "Trust/Security"),
    run("search 'Datenintegrität' (top 20 of all kinds)", "--json", "search", "Datenintegrität"),
    run("search '透明度' --kind claim", "--json", "search", "透明度", "--kind", "claim"),
    run("search 'open weights' --lang en", "--json", "search", "open weights", "--lang", "en"),
    run("export CSV of every claim", "export", "csv", "--out", os.path.join(out, "all.csv")),
    run("export W3C JSON-LD of one code", "export", "w3c", "--code", "Trust/Security", "--out", os.path.join(out, "sec.jsonld")),
    run("check (database, originals, every index document)", "check"),
    run("rebuild the index (`reindex`)", "reindex"),
    search_during_rebuild(),
]
info = json.loads(subprocess.check_output([exe, "--notebook", nb, "--json", "info"]))
csv_mb = os.path.getsize(os.path.join(out, "all.csv")) / 1e6
json.dump({"notebook": info, "csv_mb": csv_mb, "operations": rows},
          open(os.path.join(os.path.dirname(__file__), "..", "docs", "bench-large.json"), "w"), indent=2)
