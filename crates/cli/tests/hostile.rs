//! The hostile-file fixture set, through the real `dossier` binary (so the
//! PDF parser runs in its child process as in production): every file ends in
//! a clear per-file error or a safe import, in bounded time; the process
//! survives; the notebook stays intact; nothing is written outside it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;
use support::{dossier, json, Runs};

fn pdf_with_content(content: &str) -> Vec<u8> {
    support::pdf_with_content(content, false)
}

fn import(nb: &Path, file: &Path) -> (Value, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--notebook")
        .arg(nb)
        .args(["--json", "import"])
        .arg(file)
        .run();
    let took = started.elapsed();
    // Exit 0 (imported) or 1 (the file failed) — never a crash or a signal.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{file:?}: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{file:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
    (v[0].clone(), took)
}

fn zip_with(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    for (name, data) in entries {
        z.start_file(
            *name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

/// Deterministic bytes that look like nothing.
fn garbage(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn listing(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.starts_with(skip) {
            continue;
        }
        if p.is_dir() {
            listing(&p, skip, out);
        }
        out.push(p);
    }
}

#[test]
fn hostile_files_fail_cleanly_and_leave_the_notebook_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    let files = tmp.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let pages_pdf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ingest/tests/fixtures/pages.pdf"
    ))
    .unwrap();
    let docx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ingest/tests/fixtures/sample.docx"
    ))
    .unwrap();

    let mut xml_bomb =
        String::from("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\">");
    for i in 1..12 {
        let prev = if i == 1 {
            "a".to_string()
        } else {
            format!("a{}", i - 1)
        };
        xml_bomb.push_str(&format!(
            "<!ENTITY a{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    xml_bomb.push_str("]><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>&a11;</w:t></w:r></w:p></w:body></w:document>");

    // (file name, bytes, expected status, words the message must contain)
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("truncated.pdf", pages_pdf[..pages_pdf.len() / 2].to_vec(), "failed", ""),
        ("garbage.pdf", garbage(50_000, 1), "failed", "PDF"),
        ("garbage.docx", garbage(50_000, 2), "failed", "zip"),
        ("garbage.odt", garbage(50_000, 3), "failed", "zip"),
        ("garbage.epub", garbage(50_000, 4), "failed", "zip"),
        ("garbage.rtf", garbage(50_000, 5), "failed", "RTF"),
        ("truncated.docx", docx[..docx.len() / 2].to_vec(), "failed", "zip"),
        ("zipbomb.docx", zip_with(&[("word/document.xml", vec![b' '; 300 << 20])]), "failed", "zip bomb"),
        ("xmlbomb.docx", zip_with(&[("word/document.xml", xml_bomb.into_bytes())]), "failed", "XML"),
        ("traversal.epub", zip_with(&[
            ("META-INF/container.xml", br#"<container><rootfiles><rootfile full-path="../../../../etc/passwd"/></rootfiles></container>"#.to_vec()),
            ("../../escaped.xhtml", b"<html><body><p>escaped</p></body></html>".to_vec()),
        ]), "failed", ""),
        ("deep.rtf", [b"{\\rtf1 ".to_vec(), vec![b'{'; 200_000]].concat(), "failed", "nest"),
        ("deep-array.pdf", pdf_with_content(&format!("BT {} ET", "[".repeat(500_000))), "failed", ""),
        ("deep-objects.pdf", {
            let mut p = b"%PDF-1.4\n1 0 obj\n".to_vec();
            p.extend(std::iter::repeat_n(b'[', 2_000_000));
            p.extend_from_slice(b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
            p
        }, "failed", ""),
        ("scan.pdf", pdf_with_content("0 0 1 rg 10 10 300 300 re f"), "failed", "no text layer"),
        // Not `nul.txt`: Windows reserves that name for its null device.
        ("nul-bytes.txt", b"Text\0mit\0NUL".to_vec(), "failed", "binary"),
        ("deep.html", format!("<html><body>{}<p>tief</p></body></html>", "<div>".repeat(100_000)).into_bytes(), "imported", ""),
        ("invalid-utf8.md", b"# Titel\n\nUng\xfcltig \xff\xfe aber lesbar.".to_vec(), "imported", ""),
        ("script.html", b"<html><body><article><h1>XSS</h1><p>Text<script>alert(1)</script><img src=x onerror=alert(2)><iframe src=\"https://evil\"></iframe><a href=\"javascript:alert(3)\">x</a></p></article></body></html>".to_vec(), "imported", ""),
    ];
    let before = {
        let mut l = Vec::new();
        listing(tmp.path(), &nb, &mut l);
        l
    };
    for (name, bytes, status, needle) in &cases {
        let path = files.join(name);
        std::fs::write(&path, bytes).unwrap();
        let (outcome, took) = import(&nb, &path);
        // Shown with --nocapture; docs/RELIABILITY.md quotes these lines.
        eprintln!(
            "{name:18} {:9} {:>6} ms  {}",
            outcome["status"].as_str().unwrap_or(""),
            took.as_millis(),
            outcome["error"].as_str().unwrap_or("")
        );
        assert_eq!(outcome["status"], *status, "{name}: {outcome}");
        if *status == "failed" {
            let msg = outcome["error"].as_str().unwrap_or("");
            assert!(!msg.is_empty(), "{name}: a failure needs a reason");
            assert!(
                msg.to_lowercase().contains(&needle.to_lowercase()),
                "{name}: {msg}"
            );
        }
        assert!(took < Duration::from_secs(90), "{name} took {took:?}");
    }
    // Nothing was written outside the notebook (the fixtures themselves aside).
    let mut after = Vec::new();
    listing(tmp.path(), &nb, &mut after);
    after.retain(|p| !p.starts_with(&files));
    let before: Vec<_> = before
        .into_iter()
        .filter(|p| !p.starts_with(&files))
        .collect();
    assert_eq!(after, before);
    // The notebook is intact and the safe imports carry no active content.
    let check = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--notebook")
        .arg(&nb)
        .args(["--json", "check"])
        .run();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let articles = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--notebook")
        .arg(&nb)
        .args(["--json", "articles"])
        .run();
    let list: Value = serde_json::from_slice(&articles.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3);
    for a in list.as_array().unwrap() {
        let shown = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--notebook")
            .arg(&nb)
            .args(["--json", "show", a["id"].as_str().unwrap()])
            .run();
        let text = String::from_utf8_lossy(&shown.stdout).to_lowercase();
        for bad in ["<script", "onerror", "javascript:", "<iframe"] {
            assert!(!text.contains(bad), "{bad} survived in {}", a["title"]);
        }
    }
}

#[test]
fn a_pdf_is_imported_with_its_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    let (outcome, _) = import(
        &nb,
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../ingest/tests/fixtures/pages.pdf"
        )),
    );
    assert_eq!(outcome["status"], "imported", "{outcome}");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--notebook")
        .arg(&nb)
        .args(["--json", "show", outcome["id"].as_str().unwrap()])
        .run();
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    let article = if shown.get("article").is_some() {
        &shown["article"]
    } else {
        &shown
    };
    assert_eq!(article["parser"], "pdf/2");
    assert_eq!(
        article["page_starts"].as_array().map(Vec::len),
        Some(2),
        "{article}"
    );
}

/// Text drawn through matrices beyond what a page can hold (a MediaBox and a
/// text matrix of 10^44) is imported; the boxes f32 cannot hold are dropped,
/// never written as infinities; the text is kept, and a claim on it gets no
/// rectangle that is not finite.
#[test]
fn a_pdf_with_absurd_geometry_is_imported_without_absurd_boxes() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    let objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 99999999999999999999999999999999999999999999.0 99999999999999999999999999999999999999999999.0] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        {
            let big = format!("{}.0", "9".repeat(44));
            let content = format!("BT /F1 12 Tf {big} 0 0 {big} 0 0 Tm (Offene Gewichte, geschlossene Daten.) Tj ET");
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len())
        },
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    let file = tmp.path().join("absurd.pdf");
    std::fs::write(&file, support::pdf_of_objects(&objects)).unwrap();
    let (outcome, _) = import(&nb, &file);
    assert_eq!(outcome["status"], "imported", "{outcome}");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--notebook")
        .arg(&nb)
        .args([
            "--json",
            "claim",
            "add",
            outcome["id"].as_str().unwrap(),
            "--quote",
            "Gewichte",
        ])
        .run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let claim: Value = serde_json::from_slice(&out.stdout).unwrap();
    for r in claim["rects"].as_array().into_iter().flatten() {
        for k in ["x0", "y0", "x1", "y1"] {
            assert!(r[k].as_f64().is_some_and(f64::is_finite), "{claim}");
        }
    }
}

/// A PDF whose second page is only an image: a region drawn there stands on
/// the nearest text (the end of page 1), keeps its rectangle on page 2, and
/// the notebook checks clean.
#[test]
fn a_region_on_a_page_without_text_stands_on_the_nearest_text() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    let content = "BT /F1 12 Tf 72 720 Td (Which labs disclose their training data sources?) Tj ET";
    let image = "q 200 0 0 200 72 500 cm /Im1 Do Q";
    let stream = |s: &str| format!("<< /Length {} >>\nstream\n{s}\nendstream", s.len());
    let objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 7 0 R >> >> >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /XObject << /Im1 8 0 R >> >> >>".to_string(),
        stream(content),
        stream(image),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\u{7f}\nendstream".to_string(),
    ];
    let file = tmp.path().join("half-scanned.pdf");
    std::fs::write(&file, support::pdf_of_objects(&objects)).unwrap();
    let (outcome, _) = import(&nb, &file);
    assert_eq!(outcome["status"], "imported", "{outcome}");
    let id = outcome["id"].as_str().unwrap();
    let claim = json(&nb, &["claim", "add", id, "--region", "2:72,340,272,540"]);
    assert_eq!(claim["exact"], "?", "{claim}");
    assert_eq!(claim["region"]["page"], 2, "{claim}");
    assert_eq!(claim["page"], 2, "{claim}");
    assert!(dossier(&nb, &["check"]).status.success());
}

/// A REFI-QDA project whose PDF source is hostile: a path out of the archive,
/// a PDF that is not one, selections on absurd pages, with corners that are
/// not numbers or beyond any page, a region line that is not a rectangle.
/// The import ends with each problem named, nothing written outside the
/// notebook, and the notebook checks clean.
#[test]
fn a_hostile_pdf_source_in_a_refi_qda_project_ends_in_named_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    let pdf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ingest/tests/fixtures/trilingual.pdf"
    ))
    .unwrap();
    let selections = [
        r#"page="99999999999" firstX="0" firstY="0" secondX="10" secondY="10""#,
        r#"page="-1" firstX="0" firstY="0" secondX="10" secondY="10""#,
        r#"page="1" firstX="NaN" firstY="inf" secondX="1e300" secondY="-1e300""#,
        r#"page="1" firstX="900000" firstY="900000" secondX="900010" secondY="900010""#,
    ]
    .iter()
    .enumerate()
    .map(|(i, attrs)| {
        format!(
            r#"<PDFSelection guid="00000000-0000-4000-8000-00000000000{i}" name="s" {attrs}><Description>Dossier region: {{"page":0,"x0":1e39,"y0":"x","x1":null}}</Description></PDFSelection>"#
        )
    })
    .collect::<String>();
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="hostile">
  <Sources>
    <PDFSource guid="10000000-0000-4000-8000-000000000001" name="outside" path="internal://../../../etc/passwd"/>
    <PDFSource guid="10000000-0000-4000-8000-000000000002" name="not a pdf" path="internal://fake.pdf"/>
    <PDFSource guid="10000000-0000-4000-8000-000000000003" name="real" path="internal://real.pdf">{selections}</PDFSource>
  </Sources>
</Project>"#
    );
    let file = tmp.path().join("hostile.qdpx");
    std::fs::write(
        &file,
        zip_with(&[
            ("project.qde", qde.into_bytes()),
            ("Sources/fake.pdf", b"%PDF-1.4 nothing here".to_vec()),
            ("Sources/real.pdf", pdf),
        ]),
    )
    .unwrap();
    let before = {
        let mut v = Vec::new();
        listing(tmp.path(), &nb, &mut v);
        v
    };
    let (outcome, _) = import(&nb, &file);
    let summary = outcome["summary"].as_str().unwrap_or_default().to_string();
    assert_eq!(outcome["status"], "imported", "{outcome}");
    assert!(
        summary.contains("source 'outside'") && summary.contains("source 'not a pdf'"),
        "{outcome}"
    );
    // The real PDF came in; none of the absurd selections became a claim, and each is named.
    assert!(summary.contains("(1 new)"), "{summary}");
    assert_eq!(json(&nb, &["claims"]), serde_json::json!([]), "{summary}");
    assert_eq!(
        summary
            .matches("names no page and rectangle Dossier can read")
            .count(),
        3,
        "{summary}"
    );
    // The fourth, corners beyond its page, is the sixth problem (the summary lists five).
    assert!(summary.contains("6 problem(s)"), "{summary}");
    let after = {
        let mut v = Vec::new();
        listing(tmp.path(), &nb, &mut v);
        v
    };
    assert_eq!(before, after, "nothing written outside the notebook");
    assert!(dossier(&nb, &["check"]).status.success());
}
