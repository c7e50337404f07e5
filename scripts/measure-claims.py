#!/usr/bin/env python3
"""Claims at scale, before and after, in one run: the same operations on the same
large notebook (scripts/gen-large.sh) by two release CLIs, alternating, each
operation a fresh process (wall time, CPU time and peak RSS), best of RUNS.
Outputs are compared: the CSV and the claims JSON byte for byte, the W3C file
but for its id and creation time. Writes docs/bench-claims.json.

usage: measure-claims.py NOTEBOOK BEFORE_BIN AFTER_BIN [RUNS]

BEFORE_BIN is a release build of an earlier commit that can open the notebook
(same schema): e.g. `git worktree add /tmp/before COMMIT`, `(cd /tmp/before && cargo
build --release -p dossier-cli --target-dir /path/to/target)`, copy the binary out,
then `touch crates/*/src/lib.rs` here before building AFTER: cargo names workspace
crates' artifacts without their path, so a build here would otherwise link the
other commit's libraries (compare the two binaries)."""
import hashlib, json, os, re, subprocess, sys, tempfile

nb, before, after = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 2
out = tempfile.mkdtemp()
CODE = "Trust/Security"


def run(exe, args, stdout_path=None):
    code = (
        "import resource, subprocess, sys, time, json\n"
        "out = open(sys.argv[1], 'wb') if sys.argv[1] != '-' else subprocess.DEVNULL\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)\n"
        "w = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'wall_s': w, 'cpu_s': u.ru_utime + u.ru_stime, 'rss_mb': u.ru_maxrss / 1024, 'rc': p.returncode}))\n"
    )
    r = json.loads(subprocess.check_output(
        [sys.executable, "-c", code, stdout_path or "-", exe, "--notebook", nb, *args]))
    assert r["rc"] == 0, (exe, args, r)
    return r


def digest(path, w3c=False):
    data = open(path, "rb").read()
    if w3c:
        data = re.sub(rb'urn:uuid:[0-9a-f-]+(#page1)?"', b'ID"', data, count=2)
        data = re.sub(rb'"created": "[^"]*"', b'"created": ""', data, count=1)
    return hashlib.sha256(data).hexdigest()


ops = [
    ("claims of one code (`claims --code`, JSON to a file)", lambda tag: (["--json", "claims", "--code", CODE], os.path.join(out, f"{tag}.claims.json")), "claims"),
    ("CSV of every claim (`export csv`)", lambda tag: (["export", "csv", "--force", "--out", os.path.join(out, f"{tag}.csv")], None), "csv"),
    ("W3C JSON-LD of one code (`export w3c --code`)", lambda tag: (["export", "w3c", "--code", CODE, "--force", "--out", os.path.join(out, f"{tag}.jsonld")], None), "w3c"),
    ("check (database, originals, every index document)", lambda tag: (["--json", "check"], None), None),
]
rows = []
for label, make, kind in ops:
    best = {}
    for _ in range(runs):
        for tag, exe in (("before", before), ("after", after)):
            args, stdout_path = make(tag)
            r = run(exe, args, stdout_path)
            if tag not in best or r["wall_s"] < best[tag]["wall_s"]:
                best[tag] = r
    same = None
    if kind == "claims":
        same = digest(os.path.join(out, "before.claims.json")) == digest(os.path.join(out, "after.claims.json"))
    elif kind == "csv":
        same = digest(os.path.join(out, "before.csv")) == digest(os.path.join(out, "after.csv"))
    elif kind == "w3c":
        same = digest(os.path.join(out, "before.jsonld"), True) == digest(os.path.join(out, "after.jsonld"), True)
    row = {"operation": label, "before": best["before"], "after": best["after"],
           "speedup": best["before"]["wall_s"] / best["after"]["wall_s"], "same_output": same}
    rows.append(row)
    print(f"{label:55} {best['before']['wall_s']:7.2f} s -> {best['after']['wall_s']:7.2f} s "
          f"({row['speedup']:.1f}x)  RSS {best['before']['rss_mb']:.0f} -> {best['after']['rss_mb']:.0f} MB  same={same}")
info = json.loads(subprocess.check_output([after, "--notebook", nb, "--json", "info"]))
json.dump({"notebook": info, "runs": runs, "operations": rows},
          open(os.path.join(os.path.dirname(__file__), "..", "docs", "bench-claims.json"), "w"), indent=2)
