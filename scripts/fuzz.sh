#!/usr/bin/env bash
# Fuzzes every parser that reads outside files (fuzz/fuzz_targets) with
# cargo-fuzz / libFuzzer under AddressSanitizer, seeded with our fixtures.
#   scripts/fuzz.sh [--dev] [SECONDS_PER_TARGET] [TARGET...]     (default: 10 s, all targets)
# --dev builds the targets unoptimised (fuzz/Cargo.toml's dev profile): a cold build in
# about half the time, at a small fraction of the inputs per second — what the test
# suite's smoke run uses; a fuzzing campaign leaves it out.
# Prints one line per target (runs, seconds, crashes) and writes the table to
# $FUZZ_REPORT when set. Exit 1 when a target crashes, except `pdf`: PDF
# parsing is third-party code that production runs in a child process, so a
# PDF crash is reported (and kept under fuzz/artifacts) but does not fail.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=-O
# libFuzzer's limit on one input; an unoptimised build is about ten times slower.
UNIT_TIMEOUT=20
if [ "${1:-}" = "--dev" ]; then PROFILE=--dev; UNIT_TIMEOUT=200; shift; fi
SECONDS_PER_TARGET="${1:-10}"
shift || true
ALL="text markdown html mhtml rtf docx odt epub pdf qdpx w3c csl bibtex ris qdpx_structured annotations_structured query"
TARGETS="${*:-$ALL}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi
# cargo-fuzz passes -Z flags (sanitizers); the stable toolchain accepts them this way.
export RUSTC_BOOTSTRAP=1

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FIX=crates/ingest/tests/fixtures
mkdir -p "$WORK/seeds"
for t in $ALL; do mkdir -p "$WORK/seeds/$t"; done
cp $FIX/source.md "$WORK/seeds/markdown/"; cp $FIX/source.md "$WORK/seeds/text/"
cp $FIX/sample.docx $FIX/figures.docx "$WORK/seeds/docx/"; cp $FIX/sample.odt $FIX/figures.odt "$WORK/seeds/odt/"; cp $FIX/sample.epub $FIX/figures.epub "$WORK/seeds/epub/"
# Tables and figures (an image embedded as a data: URI) for the HTML reader.
printf '<html><body><table><caption>C</caption><tr><th>a</th><td>b</td></tr></table><figure><img alt="x" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><figcaption>F</figcaption></figure></body></html>' > "$WORK/seeds/html/t.html"
cp $FIX/sample.rtf $FIX/libreoffice.rtf "$WORK/seeds/rtf/"; cp $FIX/pages.pdf "$WORK/seeds/pdf/"
printf '<html><head><title>T</title></head><body><article><h1>H</h1><p>Qwen 数据完整性</p></article></body></html>' > "$WORK/seeds/html/a.html"
printf 'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Gr=C3=BC=\r\nn</p>\r\n--b--\r\n' > "$WORK/seeds/mhtml/a.mhtml"
printf '@online{k, title = {T \\& {U}}, author = {M\\"uller, A. and {Org}}, date = {2024-05}, url = {https://x}}\n' > "$WORK/seeds/bibtex/a.bib"
printf 'TY  - ELEC\r\nTI  - T\r\nAU  - M, A\r\nPY  - 2024\r\nER  - \r\n' > "$WORK/seeds/ris/a.ris"
printf '[{"id":"a","type":"webpage","title":"T","author":[{"family":"M","given":"A"}],"issued":{"date-parts":[[2024,5]]}}]' > "$WORK/seeds/csl/a.json"
printf '{"type":"AnnotationCollection","first":{"items":[{"type":"Annotation","target":{"source":"urn:sha256:ab","selector":[{"type":"TextQuoteSelector","exact":"x","prefix":"","suffix":""},{"type":"TextPositionSelector","start":0,"end":1}]},"body":[{"type":"TextualBody","purpose":"tagging","value":"T"}]}]}}' > "$WORK/seeds/w3c/a.json"
printf '[{"type":"Annotation","target":{"source":"urn:sha256:ab","selector":{"type":"FragmentSelector","conformsTo":"http://tools.ietf.org/rfc/rfc3778","value":"page=2&viewrect=50,70,515,65"}}}]' > "$WORK/seeds/w3c/f.json"
cp "$(cd .. && pwd)/shared/validators/refi-qda/handmade/project-valid.qde" "$WORK/seeds/qdpx/" 2>/dev/null || true
(cd "$WORK/seeds/qdpx" && [ -f project-valid.qde ] && cp project-valid.qde project.qde && zip -q a.qdpx project.qde) || true
# A PDF source with a text PDFSelection and an area one (Dossier's region line and position line).
printf '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="P"><Sources><PDFSource guid="2065D8AB-D724-40C9-B4E9-6EB8DAB73541" name="r.pdf" path="internal://a.pdf"><PDFSelection guid="95916796-D0A0-4B49-80B0-5A5C8B94AE13" page="0" firstX="18" firstY="45" secondX="577" secondY="234"><Description>Dossier position: 3-9\nDossier region: {"page":1,"x0":18.5,"y0":45,"x1":577,"y1":234}</Description><Representation guid="7CFEDFC8-A48D-4F27-B3E0-FF2E7D7B1CD7"><PlainTextContent>Qwen 数据</PlainTextContent></Representation></PDFSelection></PDFSource></Sources></Project>\n' > "$WORK/seeds/qdpx/pdf.qde"

echo "==> building the fuzz targets (AddressSanitizer)"
# One build of every target (cargo fuzz builds one or all); the runs reuse it.
cargo fuzz build $PROFILE >/dev/null

printf '%-24s %9s %8s %8s\n' target runs seconds crashes | tee "$WORK/report"
failed=0
for t in $TARGETS; do
  mkdir -p "$WORK/corpus/$t" "fuzz/artifacts/$t"
  log="$WORK/$t.log"
  # Findings: crash-, oom-, timeout-, leak- files; libFuzzer's slow-unit- notes are not failures.
  findings() { ls "fuzz/artifacts/$t" | grep -vc '^slow-unit-' || true; }
  before=$(findings)
  set +e
  cargo fuzz run $PROFILE "$t" "$WORK/corpus/$t" "$WORK/seeds/$t" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout="$UNIT_TIMEOUT" -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(( $(findings) - before ))
  printf '%-24s %9s %8s %8s\n' "$t" "${runs:-?}" "$SECONDS_PER_TARGET" "$crashes" | tee -a "$WORK/report"
  if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    grep -m3 -E 'panicked|ERROR: AddressSanitizer|SUMMARY|deadly signal|timeout' "$log" | sed 's/^/    /' || true
    [ "$t" != pdf ] && failed=1
  fi
done
[ -n "${FUZZ_REPORT:-}" ] && cp "$WORK/report" "$FUZZ_REPORT"
exit $failed
