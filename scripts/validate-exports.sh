#!/usr/bin/env bash
# Exports a real notebook in every interchange format with the real CLI and
# validates the files with the standards' own schemas and independent parsers
# (../shared/validators: W3C Web Annotation MUST assertions, REFI-QDA
# Project-mrt2019.xsd and Codebook.xsd, csl-data.json, biber, bibtexparser,
# rispy); then round-trips the REFI-QDA project through the CLI.
# Usage: scripts/validate-exports.sh [path/to/dossier]
set -euo pipefail
cd "$(dirname "$0")/.."
DOSSIER="${1:-${CARGO_TARGET_DIR:-target}/debug/dossier}"
VALIDATORS="$(cd .. && pwd)/shared/validators"

if [ ! -d "$VALIDATORS" ]; then
  echo "NOTE: $VALIDATORS is absent: schema validation of the exports is SKIPPED" \
       "(the Rust round-trip tests still ran)."
  exit 0
fi

# Validation tools, only what is missing.
need=()
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v biber >/dev/null || need+=(biber)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "==> installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
VENV="$HOME/.cache/dossier-valenv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import jsonschema, rfc3987, rispy, bibtexparser' 2>/dev/null; then
  echo "==> preparing the Python validators in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q jsonschema==4.26.0 rfc3987 rispy==0.10.0 bibtexparser==2.1.0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
NB="$WORK/validate.dossier"
OUT="$WORK/out"
mkdir -p "$OUT"
d() { "$DOSSIER" --notebook "$NB" "$@"; }

d init --sample >/dev/null
cat > "$WORK/qwen.md" <<'MD'
---
title: "Qwen, ERNIE & Hunyuan: Wie offen ist „open“? 😀"
author: "Anna Müller; Xinhua"
url: https://example.org/qwen-offen
date: 2024-05-03
---
# Qwen, ERNIE & Hunyuan

Vorab 😀 und 𠀋: Die Gewichte von Qwen sind offen, die Trainingsdaten nicht.

阿里巴巴表示，数据完整性得到保障。

Ob das stimmt, bleibt abzuwarten.
MD
ID="$(d --json import "$WORK/qwen.md" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
C1="$(d --json claim add "$ID" --quote "Die Gewichte von Qwen sind offen" --code "Transparency/Open weights" \
  --stance supports --confidence 4 --claimant "Alibaba; Cloud" --comment 'Quote "checked" <ok>' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
C2="$(d --json claim add "$ID" --quote "数据完整性得到保障" --code "Trust/Data integrity" --stance contests --hedging hedged \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
# Relations and verdicts travel in the exports too; the schemas must still accept them.
d relation add "$C2" "$C1" --type contradicts --comment "Daten ≠ Gewichte" >/dev/null
d claim verdict "$C1" disputed --note "Insider" --evidence "claim:$C2" --evidence https://example.org >/dev/null

# Attributes (as REFI-QDA Variables and Cases) and sets (as Sets) must pass the schema too.
d attribute define outlet_type --type choice --choices "state media,company,press" >/dev/null
d attribute define published_on --type date >/dev/null
d attribute define partial_date --type date >/dev/null
d attribute define params_b --type number >/dev/null
d attribute define country --type text >/dev/null
d attribute set "$ID" outlet_type company >/dev/null
d attribute set "$ID" published_on 03.05.2024 >/dev/null
d attribute set "$ID" partial_date 2024-05 >/dev/null
d attribute set "$ID" params_b 1,5e3 >/dev/null 2>&1 || d attribute set "$ID" params_b 1500.5 >/dev/null
d attribute set "$ID" country "CN & <DE>" >/dev/null
d set add china_desk --description "Chinese <sources>" >/dev/null
d set put china_desk "$ID" >/dev/null
# Translations (a second TextualBody in W3C; a Description line in REFI-QDA) and
# a code's memo (in its Description) must pass the schemas and come back.
d claim translate "$C2" --lang de --text 'Die Datenintegrität ist "gewährleistet" <sic>' --by DeepL >/dev/null
d claim translate "$C2" --lang en --text $'Data integrity is guaranteed\n(second line)' >/dev/null
d codes memo "Trust/Data integrity" --text $'**Definition:** claims that data are complete & unaltered.\n\n- Include: audits <b>' >/dev/null

# A claim in a PDF carries its page and rectangle (a FragmentSelector in W3C).
PDF_ID="$(d --json import crates/ingest/tests/fixtures/trilingual.pdf | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
d claim add "$PDF_ID" --quote "names its evaluation benchmarks but not its data sources" --code "Transparency/Open weights" >/dev/null
# A region claim (a rectangle drawn on page 3): a FragmentSelector of its own and a PDFSelection.
d claim add "$PDF_ID" --region 3:50,70,565,135 --code "Trust/Data integrity" >/dev/null

d export w3c --out "$OUT/anno.jsonld" >/dev/null
d export qdpx --out "$OUT/project.qdpx" >/dev/null
d export qdc --out "$OUT/codebook.qdc" >/dev/null
d export csl --out "$OUT/refs.json" >/dev/null
d export bibtex --out "$OUT/refs.bib" >/dev/null
d export ris --out "$OUT/refs.ris" >/dev/null

"$VENV/bin/python" scripts/validate_exports.py "$OUT" "$VALIDATORS"

echo "==> REFI-QDA round trip through the CLI"
NB2="$WORK/roundtrip.dossier"
"$DOSSIER" --notebook "$NB2" import "$OUT/project.qdpx"
claims() { "$DOSSIER" --notebook "$1" --json claims | python3 -c '
import json, sys
for c in sorted(json.load(sys.stdin), key=lambda c: (c["exact"], c["start"])):
    print(c["exact"], c["start"], c["end"], c["codes"], c["stance"], c["confidence"], c["claimant"], c["comment"],
          [(t["language"], t["text"], t["translator"]) for t in c["translations"]])'; }
if ! diff <(claims "$NB") <(claims "$NB2"); then
  echo "FAIL: the claims differ after export -> import" >&2
  exit 1
fi
cases() { "$DOSSIER" --notebook "$1" --json attributes "$2" | python3 -c '
import json, sys
for v in json.load(sys.stdin): print(v["name"], v["type"], v["value"])'; "$DOSSIER" --notebook "$1" --json sets --article "$2"; }
TITLE="$(d --json show "$ID" | python3 -c 'import json,sys; print(json.load(sys.stdin)["title"])')"
ID2="$("$DOSSIER" --notebook "$NB2" --json articles | TITLE="$TITLE" python3 -c '
import json, os, sys
print(next(a["id"] for a in json.load(sys.stdin) if a["title"] == os.environ["TITLE"]))')"
if ! diff <(cases "$NB" "$ID") <(cases "$NB2" "$ID2"); then
  echo "FAIL: the attributes or sets differ after export -> import" >&2
  exit 1
fi
echo "ok   attributes (typed) and sets come back from the project"
memos() { "$DOSSIER" --notebook "$1" --json codes | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    if c["memo"]: print(c["path"], repr(c["description"]), repr(c["memo"]))'; }
if [ -z "$(memos "$NB")" ] || ! diff <(memos "$NB") <(memos "$NB2"); then
  echo "FAIL: the code memos differ after export -> import" >&2
  exit 1
fi
echo "ok   translations (with their translators) and code memos come back from the project"

# The PDF came back as a PDF (its pages, its layout), and its claim with its place on page 2.
PDF2="$("$DOSSIER" --notebook "$NB2" --json articles | python3 -c '
import json, sys
print(next(a["id"] for a in json.load(sys.stdin) if a["title"] == "Offene Modelle, offene Fragen"))')"
PDFCLAIM="$("$DOSSIER" --notebook "$NB2" --json claims --article "$PDF2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
if ! "$DOSSIER" --notebook "$NB2" --json claim edit "$PDFCLAIM" --stance supports | python3 -c '
import json, sys
c = json.load(sys.stdin)
sys.exit(0 if c.get("page") == 2 and c.get("rects") else 1)'; then
  echo "FAIL: the PDF claim lost its page after export -> import" >&2
  exit 1
fi
echo "ok   the PDF source comes back as a PDF, its claim on page 2 with its rectangles"
"$DOSSIER" --notebook "$NB2" check >/dev/null
echo "ok   the re-imported project has the same $(claims "$NB" | wc -l) claims and passes 'dossier check'"
