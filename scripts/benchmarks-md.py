#!/usr/bin/env python3
"""Writes docs/BENCHMARKS.md from the JSON the benchmark commands leave in docs/."""
import json, os, platform, subprocess

here = os.path.join(os.path.dirname(__file__), "..", "docs")
out = ["# Benchmarks", "",
       "Figures are ratios against a comparator measured in the same run on the same machine. "
       "Regenerate with the commands given; this file is written by `scripts/benchmarks-md.py`.", ""]

def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()

out += [f"Machine: {os.cpu_count()} cores, {cpu()}, Linux {platform.release()}, Xvfb for the window.", ""]

app = os.path.join(here, "bench-app.json")
if os.path.exists(app):
    a = json.load(open(app))
    e, s, b, p = a["empty"], a["sample"], a["big"], a["palette"]
    out += ["## Desktop app", "",
            "Command: `./scripts/bench-app.sh` (release builds of Dossier and of Tauri's bare template in `bench/empty-tauri`, "
            f"{e['runs']} launches each; median shown).", "",
            "| measure | empty Tauri 2 app | Dossier, sample notebook | Dossier, 5 000 articles | ratio (Dossier / empty) | target |",
            "|---|---|---|---|---|---|",
            f"| launch → first painted frame | {e['firstFrameMs']:.0f} ms | {s['firstFrameMs']:.0f} ms | {b['firstFrameMs']:.0f} ms | {s['firstFrameMs']/e['firstFrameMs']:.2f}× / {b['firstFrameMs']/e['firstFrameMs']:.2f}× | < 1 s |",
            f"| idle PSS after 10 s (app + WebKit processes) | {e['pssMb']:.0f} MB | {s['pssMb']:.0f} MB | {b['pssMb']:.0f} MB | {s['pssMb']/e['pssMb']:.2f}× / {b['pssMb']/e['pssMb']:.2f}× | ≤ 1.25× |",
            ""]
    out += [f"Keystroke → results in the search palette (5 000 articles, {p['samples']} keystrokes typed through WebDriver at ~8 keys/s, "
            f"timed in the page from the input event to the frame after the results render): p50 {p['p50Ms']:.1f} ms, "
            f"p99 {p['p99Ms']:.1f} ms, max {p['maxMs']:.1f} ms (target p99 < 100 ms).", ""]
pal = os.path.join(here, "bench-palette.json")
if os.path.exists(pal):
    p = json.load(open(pal))
    out += [f"Palette re-measured alone after the latest search changes (`BENCH_ONLY=palette node ui/e2e/bench-app.mjs "
            f"target/release/dossier-app - - BIG.dossier docs/bench-palette.json`, same procedure, {p['samples']} keystrokes): "
            f"p50 {p['p50Ms']:.1f} ms, p99 {p['p99Ms']:.1f} ms, max {p['maxMs']:.1f} ms.", ""]
deb = os.path.join(here, "bench-app-deb.txt")
if os.path.exists(deb):
    rows = [l.split(" ", 1) for l in open(deb).read().split("\n") if l.strip()]
    out += ["`.deb` sizes: " + ", ".join(f"{os.path.basename(n)} {int(s)/1e6:.1f} MB" for s, n in rows) + " (target < 20 MB).", ""]

search = os.path.join(here, "bench-search.json")
if os.path.exists(search):
    r = json.load(open(search))
    d, t, f, q = r["import"]["dossier"], r["import"]["raw_tantivy_1_thread"], r["import"]["sqlite_fts5"], r["queries"]
    out += ["## Search: import and queries", "",
            f"Command: `cargo run --release -p dossier-bench -- CORPUS --out docs/bench-search.json` on a corpus from "
            f"`../shared/corpus/build-corpus.sh` ({d['files']} files, {d['text_mb']:.1f} MB of extracted text; "
            f"{d['failed']} files refused: the PDFs, not imported yet, and manifest.tsv).", "",
            "| import | MB text / CPU-s | MB text / wall-s | peak RSS |", "|---|---|---|---|",
            f"| Dossier pipeline (read, extract, SQLite, sources, index) | {d['mb_per_cpu_s']:.2f} | {d['mb_per_wall_s']:.2f} | {d['peak_rss_mb']:.0f} MB |",
            f"| raw tantivy, 1 thread, default analysis, same text | {t['mb_per_cpu_s']:.2f} | {t['mb_per_wall_s']:.2f} | {t['peak_rss_mb']:.0f} MB |",
            f"| SQLite FTS5 unicode61, Chinese split into characters | {f['mb_per_cpu_s']:.2f} | {f['mb_per_wall_s']:.2f} | {f['peak_rss_mb']:.0f} MB |", "",
            f"Ratios: Dossier / raw tantivy per CPU-second **{r['ratios']['dossier_vs_raw_tantivy_mb_per_cpu_s']:.2f}×** (target ≥ 0.6×); "
            f"Dossier / FTS5 per CPU-second **{r['ratios']['dossier_vs_fts5_mb_per_cpu_s']:.2f}×** (target > 1×).", "",
            f"Queries ({q['queries']} words in German, English and Chinese, {q['rounds']} rounds each): Dossier p50 {q['dossier_p50_ms']:.2f} ms, "
            f"p99 {q['dossier_p99_ms']:.2f} ms; FTS5 p50 {q['fts5_p50_ms']:.2f} ms, p99 {q['fts5_p99_ms']:.2f} ms; "
            f"ratio p50 {r['ratios']['query_p50_dossier_over_fts5']:.2f}×, p99 {r['ratios']['query_p99_dossier_over_fts5']:.2f}×. "
            "Dossier also counts all hits and searches articles, claims and notes with title boosts.", ""]

formats = os.path.join(here, "bench-formats.json")
if os.path.exists(formats):
    r = json.load(open(formats))
    out += ["## Import throughput per format", "",
            "Command: `./scripts/bench-formats.sh CORPUS` — each format imported in its own process into a fresh notebook "
            "(read, extract, keep the original, SQLite in batches, index); DOCX, ODT, EPUB and RTF were made with pandoc "
            "from 60 of the corpus's Markdown files. In the benchmark PDFs are parsed in-process (the app and CLI use a "
            "child process per PDF, which adds a process start per file).", "",
            "| format | files | imported | failed | input MB | text MB | input MB / wall-s | text MB / CPU-s | peak RSS |",
            "|---|---|---|---|---|---|---|---|---|"]
    for f in r["formats"]:
        out.append(f"| {f['format']} | {f['files']} | {f['imported']} | {f['failed']} | {f['input_mb']:.1f} | {f['text_mb']:.1f} | "
                   f"{f['input_mb_per_wall_s']:.2f} | {f['text_mb_per_cpu_s']:.2f} | {f['peak_rss_mb']:.0f} MB |")
    out.append("")

large = os.path.join(here, "bench-large.json")
if os.path.exists(large):
    r = json.load(open(large))
    n = r["notebook"]
    out += ["## A large notebook", "",
            f"Commands: `./scripts/gen-large.sh NB 100000 10` (synthetic German, English and Chinese articles imported through "
            f"the real pipeline, then ten claims each through the façade), then `scripts/measure-large.py NB` "
            f"(release CLI, each operation a fresh process: wall time and peak RSS). Notebook: {n['articles']:,} articles, "
            f"{n['claims']:,} claims, {n['notes']} notes.", "",
            "| operation | wall | peak RSS |", "|---|---|---|"]
    for o in r["operations"]:
        out.append(f"| {o['label']} | {o['wall_s']:.2f} s | {o['rss_mb']:.0f} MB |")
    out += ["", f"The CSV of every claim is {r['csv_mb']:.0f} MB.", ""]
    if os.path.exists(app):
        a = json.load(open(app))
        if "large" in a:
            l, lp = a["large"], a.get("palette_large")
            out += [f"The app on this notebook (`BENCH_LARGE=NB ./scripts/bench-app.sh`): first painted frame {l['firstFrameMs']:.0f} ms, "
                    f"idle PSS {l['pssMb']:.0f} MB" + (f"; palette keystroke → results p50 {lp['p50Ms']:.1f} ms, p99 {lp['p99Ms']:.1f} ms." if lp else "."), ""]

open(os.path.join(here, "BENCHMARKS.md"), "w").write("\n".join(out))
print("\n".join(out))
