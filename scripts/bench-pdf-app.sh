#!/usr/bin/env bash
# The page view in the real window on a 300-page PDF (German, English and Chinese text on
# every page, printed by LibreOffice): memory of the app with the page view open against the
# same app idle in the same run, and the time from asking for a page to its pixels being
# drawn, for page turns and for jumps (ui/e2e/pdf-app.mjs). Writes docs/bench-pdf-app.json;
# docs/BENCHMARKS.md quotes it. Needs LibreOffice Writer and the AR PL UMing font
# (apt-get install libreoffice-writer-nogui fonts-arphic-uming fonts-dejavu-core).
#   scripts/bench-pdf-app.sh [PAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES="${1:-300}"
./scripts/setup.sh
(cd ui && npm run build)
cargo build --release --locked -p dossier-app -p dossier-cli
target="${CARGO_TARGET_DIR:-$PWD/target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - "$PAGES" > "$WORK/report.html" <<'PY'
import sys
pages = int(sys.argv[1])
print('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bericht: offene Modelle, offene Fragen</title>'
      '<style>body{font-family:"DejaVu Serif";} .zh{font-family:"AR PL UMing CN";}</style></head><body>')
for n in range(1, pages + 1):
    brk = ' style="page-break-before: always"' if n > 1 else ''
    print(f'<h2{brk}>Abschnitt {n}: Transparenz, Datenintegrität und Vertrauen</h2>')
    for k in range(3):
        print(f'<p>Alibaba veröffentlichte die Gewichte von Qwen unter einer offenen Lizenz (Abschnitt {n}.{k}). '
              'Ob die Trainingsdaten vollständig offengelegt wurden, bleibt jedoch unklar; die Transparenz endet oft an der Datengrenze. '
              'Exportkontrollen für Hochleistungschips verändern, welche Labore große Modelle trainieren können.</p>')
        print(f'<p>Baidu describes ERNIE as a foundation model for industry (section {n}.{k}), while Tencent\'s Hunyuan report '
              'names its evaluation benchmarks but not its data sources. Which labs disclose their training data sources '
              'remains the central question of trust for analysts who compare these releases.</p>')
        print(f'<p class="zh">阿里巴巴以开放许可发布了通义千问的模型权重，但训练数据的来源并未完全公开。第{n}节。'
              '哪些模型公开了训练数据？出口管制改变了哪些实验室能够训练大型模型，也影响了分析人员对数据完整性的信任。</p>')
print('</body></html>')
PY
(cd "$WORK" && soffice --headless --convert-to pdf:writer_web_pdf_Export report.html >/dev/null)
echo "PDF: $(pdfinfo "$WORK/report.pdf" | grep Pages), $(du -h "$WORK/report.pdf" | cut -f1)"
NB="$WORK/bench.dossier"
"$target/release/dossier" --notebook "$NB" init >/dev/null
"$target/release/dossier" --notebook "$NB" import "$WORK/report.pdf" >/dev/null
source scripts/display.sh
(cd ui && node e2e/pdf-app.mjs "$target/release/dossier-app" "$NB" "$PWD/../docs/bench-pdf-app.json")
