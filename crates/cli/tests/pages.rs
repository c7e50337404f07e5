//! Claims in a PDF know where they are on the page, through the real
//! `dossier` binary: `claim add` returns the page and one rectangle per line,
//! and those rectangles lie on the boxes poppler's `pdftotext -bbox` (the
//! reference reader, run here) reports for the same words — in German,
//! English and Chinese, across a line break.

use std::path::Path;
use std::process::Command;

#[path = "../../ingest/tests/poppler/mod.rs"]
mod poppler;
mod support;
use support::{json, Runs};

use serde_json::Value;

/// What `pdftotext -bbox` prints for the PDF: run here on Linux and macOS
/// (and checked against the copy kept beside the fixture, which the Windows
/// build under Wine, where poppler cannot run, reads instead).
fn poppler_bbox(pdf: &Path) -> String {
    let kept = std::fs::read_to_string(pdf.with_extension("bbox.html")).unwrap();
    if cfg!(windows) {
        return kept;
    }
    let out = Command::new("pdftotext")
        .args(["-bbox", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils; scripts/setup.sh installs it) runs");
    assert!(out.status.success());
    let live = String::from_utf8(out.stdout).unwrap();
    let words = |s: &str| {
        s.lines()
            .filter(|l| l.trim_start().starts_with("<word"))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        words(&live),
        words(&kept),
        "the kept pdftotext output is poppler's"
    );
    live
}

/// `(page, text, [x0, y0, x1, y1])` for every word poppler reads.
fn poppler_words(pdf: &Path) -> Vec<(u64, String, [f64; 4])> {
    poppler::words(&poppler_bbox(pdf))
        .into_iter()
        .map(|(page, text, b)| (u64::from(page), text, b))
        .collect()
}

fn rect(v: &Value) -> (u64, [f64; 4]) {
    let f = |k: &str| v[k].as_f64().unwrap();
    (
        v["page"].as_u64().unwrap(),
        [f("x0"), f("y0"), f("x1"), f("y1")],
    )
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// A new notebook in `dir` with the trilingual PDF imported: the notebook, the PDF, the article's id.
fn trilingual_notebook(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let nb = dir.join("nb");
    json(&nb, &["init"]);
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ingest/tests/fixtures/trilingual.pdf");
    let id = json(&nb, &["import", pdf.to_str().unwrap()])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (nb, pdf, id)
}

#[test]
fn pdf_claims_have_their_page_and_rectangles_where_poppler_sees_the_words() {
    let dir = tempfile::tempdir().unwrap();
    let (nb, pdf, id) = trilingual_notebook(dir.path());
    let poppler = poppler_words(&pdf);

    // (quote, page, the poppler words it covers, the lines it spans)
    let cases: &[(&str, u64, &[&str], usize)] = &[
        (
            "Ob die Trainingsdaten vollständig offengelegt wurden",
            1,
            &[
                "Ob",
                "Trainingsdaten",
                "vollständig",
                "offengelegt",
                "wurden,",
            ],
            2,
        ),
        (
            "names its evaluation benchmarks but not its data sources",
            2,
            &["names", "evaluation", "benchmarks", "sources."],
            1,
        ),
        (
            "训练数据的来源并未完全公开",
            3,
            &["阿里巴巴以开放许可发布了通义千问的模型权重，但训练数据的来源并未完全公开。"],
            1,
        ),
    ];
    for (quote, page, covered, lines) in cases {
        let claim = json(&nb, &["claim", "add", &id, "--quote", quote]);
        assert_eq!(claim["page"].as_u64(), Some(*page), "{quote}: {claim}");
        let rects: Vec<(u64, [f64; 4])> = claim["rects"]
            .as_array()
            .unwrap()
            .iter()
            .map(rect)
            .collect();
        assert_eq!(
            rects.len(),
            *lines,
            "{quote}: one rectangle per line: {rects:?}"
        );
        for word in *covered {
            let (_, _, boxed) = poppler
                .iter()
                .find(|(p, w, _)| p == page && w == word)
                .unwrap_or_else(|| panic!("poppler has no {word:?} on page {page}"));
            assert!(
                rects.iter().any(|(p, r)| p == page && overlaps(r, boxed)),
                "{quote}: {word:?} at {boxed:?} is under none of {rects:?}"
            );
        }
        // Nothing outside the words: every rectangle lies within the text's lines.
        for (p, r) in &rects {
            let on_line = poppler
                .iter()
                .filter(|(wp, _, b)| wp == p && overlaps(r, b))
                .count();
            assert!(on_line > 0, "{quote}: {r:?} covers no word");
        }
    }

    // A part of a Chinese line covers only part of poppler's box for the line.
    let claim = json(
        &nb,
        &["claim", "add", &id, "--quote", "训练数据的来源并未完全公开"],
    );
    let (_, r) = rect(&claim["rects"][0]);
    let line = poppler
        .iter()
        .find(|(p, w, _)| *p == 3 && w.contains("训练数据的来源"))
        .unwrap()
        .2;
    assert!(
        r[0] > line[0] + 100.0 && r[2] < line[2],
        "{r:?} within {line:?}"
    );

    // A region around the Chinese paragraphs of page 3 (as a chart or a table would be
    // marked): its rectangle comes back as drawn, its text is what poppler reads inside it.
    let region = json(
        &nb,
        &[
            "claim",
            "add",
            &id,
            "--region",
            "3:50,70,565,135",
            "--code",
            "Trust",
        ],
    );
    assert_eq!(region["page"].as_u64(), Some(3), "{region}");
    assert_eq!(rect(&region["region"]), (3, [50.0, 70.0, 565.0, 135.0]));
    let exact = region["exact"].as_str().unwrap();
    for (p, w, _) in poppler
        .iter()
        .filter(|(p, _, b)| *p == 3 && b[1] > 70.0 && b[3] < 135.0)
    {
        assert!(
            exact.contains(w.as_str()),
            "page {p}: {w:?} is inside the region but not in {exact:?}"
        );
    }
    assert!(
        !exact.contains("开放权重与数据透明"),
        "the heading above is outside: {exact}"
    );
    // The CSV names the region's page and rectangle beside the quote.
    let csv = dir.path().join("claims.csv");
    let out = support::dossier(&nb, &["export", "csv", "--out", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let csv = std::fs::read_to_string(&csv).unwrap();
    let header: Vec<&str> = csv
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(',')
        .collect();
    assert_eq!(&header[7..9], ["page", "region"]);
    assert!(
        csv.contains(",3,\"50.00,70.00,565.00,135.00\","),
        "the region's row: {csv}"
    );
    let out = support::dossier(&nb, &["claim", "add", &id, "--region", "7:1,1,90,90"]);
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("page 7 is not in")
    );

    // A text file has no pages: no page, no rectangles.
    let txt = dir.path().join("plain.txt");
    std::fs::write(&txt, "Offene Gewichte sind nicht offene Daten.").unwrap();
    let plain = json(&nb, &["import", txt.to_str().unwrap()])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let claim = json(&nb, &["claim", "add", &plain, "--quote", "offene Daten"]);
    assert!(
        claim.get("page").is_none() && claim.get("rects").is_none(),
        "{claim}"
    );
}

/// The report draws a region claim's crop in the extraction child: with the
/// child's heap capped below what drawing needs, the child dies, and the
/// report is still written, with the region's text and a word that its page
/// could not be drawn; uncapped, the crop is there.
#[test]
fn a_report_whose_page_drawing_child_dies_is_still_written() {
    let dir = tempfile::tempdir().unwrap();
    let (nb, _, id) = trilingual_notebook(dir.path());
    json(&nb, &["claim", "add", &id, "--region", "2:50,120,560,160"]);
    let report = |heap_mb: Option<&str>, name: &str| {
        let out = dir.path().join(name);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.arg("--notebook")
            .arg(&nb)
            .args(["export", "html", "--out"])
            .arg(&out);
        if let Some(mb) = heap_mb {
            cmd.env("DOSSIER_EXTRACT_HEAP_MB", mb);
        }
        let run = cmd.run();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        std::fs::read_to_string(out).unwrap()
    };
    let drawn = report(None, "drawn.html");
    assert_eq!(
        drawn
            .matches("<img class=\"crop\" src=\"data:image/png;base64,")
            .count(),
        1
    );
    let starved = report(Some("1"), "starved.html");
    assert!(!starved.contains("<img class=\"crop\""));
    assert!(starved.contains("The page could not be drawn here"));
    assert!(
        starved.contains("Which labs disclose"),
        "the region's text stays"
    );
}
