//! Text fidelity of PDFs through the real `dossier` binary: a page the
//! primary reader cannot read falls back alone, a CID-keyed Chinese font
//! without a ToUnicode map is read through Adobe's tables, and what could not
//! be read is named — in the import's outcome, in `show`, and in the stored
//! article — never hidden.

use std::path::Path;

mod support;
use support::{dossier, json};

fn stream(content: &str) -> String {
    format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len() + 1
    )
}

/// "哪些模型公开了训练数据？" as CIDs of the Adobe-GB1 collection. They come
/// from Adobe's `UniGB-UTF32-H` CMap (Unicode → CID); the reader maps them
/// back with a table built from a different Adobe file (`Adobe-GB1-UCS2`,
/// CID → Unicode), so the test checks the table, not itself.
const QUESTION_GB1: &str = "0B270F740B060F98070409370A140FDE0A000D94090C0124";

/// Five pages, each a different way for text to be lost:
/// 1. English in a standard font: read whole.
/// 2. Chinese in a CID-keyed font (Adobe-GB1, Identity-H) without a ToUnicode map.
/// 3. German on a page without a MediaBox: pdf-extract panics on it; lopdf reads it.
/// 4. Only an image: no text layer.
/// 5. A composite font of an unknown character collection without a ToUnicode
///    map: its glyphs are drawn but cannot be read.
fn troubled_pdf() -> Vec<u8> {
    let media = "/MediaBox [0 0 595 842]";
    let objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R 6 0 R 7 0 R] /Count 5 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R {media} /Contents 8 0 R /Resources << /Font << /F1 13 0 R >> >> >>"),
        format!("<< /Type /Page /Parent 2 0 R {media} /Contents 9 0 R /Resources << /Font << /F2 14 0 R >> >> >>"),
        "<< /Type /Page /Parent 2 0 R /Contents 10 0 R /Resources << /Font << /F1 13 0 R >> >> >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R {media} /Contents 11 0 R /Resources << /XObject << /Im1 16 0 R >> >> >>"),
        format!("<< /Type /Page /Parent 2 0 R {media} /Contents 12 0 R /Resources << /Font << /F3 17 0 R >> >> >>"),
        stream("BT /F1 12 Tf 72 720 Td (Which labs disclose their training data sources?) Tj ET"),
        stream(&format!("BT /F2 14 Tf 72 720 Td <{QUESTION_GB1}> Tj ET")),
        stream("BT /F1 12 Tf 72 720 Td (Exportkontrollen betreffen Hochleistungschips.) Tj ET"),
        stream("q 200 0 0 200 72 500 cm /Im1 Do Q"),
        stream("BT /F3 12 Tf 72 720 Td <0001000200030004000500060007> Tj ET"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [15 0 R] >>".to_string(),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 19 0 R /DW 1000 >>".to_string(),
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\u{7f}\nendstream".to_string(),
        "<< /Type /Font /Subtype /Type0 /BaseFont /Unknown /Encoding /Identity-H /DescendantFonts [18 0 R] >>".to_string(),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Unknown /CIDSystemInfo << /Registry (Example) /Ordering (Private) /Supplement 0 >> /FontDescriptor 19 0 R /DW 1000 >>".to_string(),
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>".to_string(),
    ];
    support::pdf_of_objects(&objects)
}

#[test]
fn each_page_is_read_on_its_own_and_what_is_missing_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let nb = dir.path().join("nb");
    json(&nb, &["init"]);
    let file = dir.path().join("troubled.pdf");
    std::fs::write(&file, troubled_pdf()).unwrap();

    let outcome = &json(&nb, &["import", file.to_str().unwrap()])[0];
    assert_eq!(outcome["status"], "imported", "{outcome}");
    let warnings: Vec<&str> = outcome["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("1 page without a text layer") && warnings[0].ends_with(": 4"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("1 page of 5 read incompletely (7 of 7 characters")
            && warnings[1].ends_with(": 5"),
        "{warnings:?}"
    );

    let id = outcome["id"].as_str().unwrap();
    let shown = json(&nb, &["show", id]);
    let text = shown["text"].as_str().unwrap();
    assert!(text.contains("Which labs disclose their training data sources?"));
    assert!(text.contains("哪些模型公开了训练数据？"), "{text}");
    assert!(text.contains("Exportkontrollen betreffen Hochleistungschips."));
    let pages = shown["pages"].as_array().unwrap();
    let engines: Vec<&str> = pages
        .iter()
        .map(|p| p["engine"].as_str().unwrap())
        .collect();
    assert_eq!(
        engines[..3],
        ["pdf-extract", "pdf-extract", "lopdf"],
        "{pages:?}"
    );
    assert_eq!(pages[1]["glyphs"], 12);
    assert_eq!(pages[1]["decoded"], 12);
    assert_eq!(pages[3]["image_only"], true);
    assert_eq!(pages[4]["glyphs"], 7);
    assert_eq!(pages[4]["decoded"], 0);
    assert_eq!(shown["warnings"].as_array().unwrap().len(), 2);
    // Each block keeps its page: the German sentence is cited as page 3.
    let starts: Vec<u64> = shown["page_starts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap())
        .collect();
    let german = text.chars().count()
        - text[text.find("Exportkontrollen").unwrap()..]
            .chars()
            .count();
    assert_eq!(starts.partition_point(|&s| s <= german as u64), 3);

    // The human form says it too, before the text.
    let human = dossier(&nb, &["show", id]);
    let human = String::from_utf8_lossy(&human.stdout);
    let warning_at = human
        .find("warning: 1 page of 5 read incompletely")
        .expect(&human);
    assert!(warning_at < human.find("Which labs").unwrap());
    let imported = dossier(&nb, &["import", file.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&imported.stdout).contains("warning: 1 page without a text layer")
    );
}

#[test]
fn a_whole_pdf_carries_no_warning_and_its_language_mix() {
    let dir = tempfile::tempdir().unwrap();
    let nb = dir.path().join("nb");
    json(&nb, &["init"]);
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ingest/tests/fixtures/trilingual.pdf");
    let outcome = &json(&nb, &["import", fixture.to_str().unwrap()])[0];
    assert_eq!(outcome["status"], "imported", "{outcome}");
    assert_eq!(
        outcome["warnings"].as_array().unwrap().len(),
        0,
        "{outcome}"
    );
    let shown = json(&nb, &["show", outcome["id"].as_str().unwrap()]);
    let tags: Vec<&str> = shown["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["tag"].as_str().unwrap())
        .collect();
    assert!(
        tags.contains(&"de") && tags.contains(&"en") && tags.contains(&"zh"),
        "{tags:?}"
    );
}
