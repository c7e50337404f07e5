#!/usr/bin/env python3
"""Markdown tables from bench/pdf-engines' TSV: per engine over the corpus,
and per PDF for Dossier's reader (pdf/2). Usage: pdf-engines-md.py RESULTS.tsv"""
import collections, csv, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
keys = ["words_hit", "words_ref", "cjk_hit", "cjk_ref", "bigram_hit", "bigram_ref", "ms", "letters_hit", "letters_ref"]
agg = collections.defaultdict(lambda: dict.fromkeys(keys + ["whole"], 0))
for r in rows:
    a = agg[r["engine"]]
    for k in keys:
        a[k] += int(r.get(k) or 0)
    w = int(r["words_hit"]) / max(1, int(r["words_ref"]))
    c = int(r["cjk_hit"]) / max(1, int(r["cjk_ref"])) if int(r["cjk_ref"]) else 1.0
    a["whole"] += int(w >= 0.98 and c >= 0.98)
files = len({r["pdf"] for r in rows})
pct = lambda h, n: f"{100 * h / n:.1f} %" if n else "–"
print(f"| engine | words | letters | CJK characters | word bigrams | PDFs with ≥ 98 % words and CJK (of {files}) | time, all PDFs |")
print("|---|---:|---:|---:|---:|---:|---:|")
for e, a in agg.items():
    print(f"| {e} | {pct(a['words_hit'], a['words_ref'])} | {pct(a['letters_hit'], a['letters_ref'])} | {pct(a['cjk_hit'], a['cjk_ref'])} | "
          f"{pct(a['bigram_hit'], a['bigram_ref'])} | {a['whole']} | {a['ms'] / 1000:.1f} s |")
print()
print("| PDF | words | letters | CJK characters | word bigrams | pages named |")
print("|---|---:|---:|---:|---:|---:|")
for r in rows:
    if r["engine"] != "dossier-pdf/2":
        continue
    name = r["pdf"].split("/")[-1]
    print(f"| {r['pdf'].split('/')[0]}/{name} | {pct(int(r['words_hit']), int(r['words_ref']))} | "
          f"{pct(int(r.get('letters_hit') or 0), int(r.get('letters_ref') or 0))} | "
          f"{pct(int(r['cjk_hit']), int(r['cjk_ref']))} | {pct(int(r['bigram_hit']), int(r['bigram_ref']))} | {r.get('pages_named_incomplete') or 0} |")
