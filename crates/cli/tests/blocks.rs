//! Tables and figures through the real `dossier` binary: a Word document, an
//! OpenDocument text, an e-book and a saved web page (with its image in the
//! folder beside it) come back from `show --json` with table blocks whose
//! cells are the right text and figure blocks whose image is kept under
//! `sources/` — byte for byte the picture the document holds.

use std::path::Path;

mod support;
use support::json;

use serde_json::Value;

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ingest/tests/fixtures"
    ))
}

/// The text of a span of code points.
fn span(text: &str, v: &Value) -> String {
    let (s, e) = (
        v["start"].as_u64().unwrap() as usize,
        v["end"].as_u64().unwrap() as usize,
    );
    text.chars().skip(s).take(e - s).collect()
}

/// Imports `file` and checks its table's cells and its figure's image.
fn check(nb: &Path, file: &Path, rows: &[&[&str]], caption: &str) {
    let imported = json(nb, &["import", file.to_str().unwrap()]);
    let id = imported[0]["id"].as_str().expect("imported").to_string();
    assert_eq!(
        imported[0]["warnings"],
        Value::Array(vec![]),
        "{file:?}: nothing left out"
    );
    let shown = json(nb, &["show", &id]);
    let text = shown["text"].as_str().unwrap();
    let blocks = shown["blocks"].as_array().unwrap();
    assert!(blocks.iter().any(|b| b["kind"] == "heading"), "{file:?}");
    let tables: Vec<&Value> = blocks.iter().filter(|b| b["kind"] == "table").collect();
    assert_eq!(tables.len(), 1, "{file:?}: {blocks:#?}");
    let cells: Vec<Vec<String>> = tables[0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|c| span(text, c))
                .collect()
        })
        .collect();
    assert_eq!(cells, rows, "{file:?}: cells");
    let figures: Vec<&Value> = blocks.iter().filter(|b| b["kind"] == "figure").collect();
    assert_eq!(figures.len(), 1, "{file:?}: {blocks:#?}");
    assert_eq!(
        span(text, figures[0]),
        caption,
        "{file:?}: caption in the text"
    );
    let image = &figures[0]["image"];
    assert_eq!(image["media_type"], "image/png");
    assert_eq!(
        (image["width"].as_u64(), image["height"].as_u64()),
        (Some(480), Some(240))
    );
    let kept = nb.join("sources").join(image["sha256"].as_str().unwrap());
    assert_eq!(
        std::fs::read(&kept).expect("the image is kept under sources/"),
        std::fs::read(fixtures().join("chart.png")).unwrap(),
        "{file:?}: the image itself"
    );
}

#[test]
fn documents_and_a_saved_page_keep_their_tables_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let nb = dir.path().join("nb");
    json(&nb, &["init"]);
    let rows: &[&[&str]] = &[
        &["Modell", "Anbieter", "Gewichte", "Trainingsdaten"],
        &["Qwen", "Alibaba", "offen", "nicht offengelegt"],
        &["ERNIE", "Baidu", "teilweise", "未公开"],
        &["Hunyuan", "Tencent", "open", "benchmarks named"],
    ];
    for name in ["figures.docx", "figures.odt", "figures.epub"] {
        check(
            &nb,
            &fixtures().join(name),
            rows,
            "Abbildung 1: Offengelegte Angaben je Modell",
        );
    }
    // A page saved with its image in the folder beside it.
    let page = dir.path().join("saved");
    std::fs::create_dir(&page).unwrap();
    for f in ["trilingual.html", "chart.png"] {
        std::fs::copy(fixtures().join(f), page.join(f)).unwrap();
    }
    check(
        &nb,
        &page.join("trilingual.html"),
        &[
            &["Modell", "Anbieter", "Gewichte", "Trainingsdaten"],
            &["Qwen", "Alibaba", "offen", "nicht offengelegt"],
            &["ERNIE", "Baidu", "teilweise", "nicht offengelegt"],
            &["Hunyuan", "Tencent", "offen", "Benchmarks genannt"],
        ],
        "Abbildung 1: Offengelegte Angaben je Modell (eigene Darstellung)",
    );
    // The same image shown by four documents is kept once; check verifies it.
    let check = json(&nb, &["check"]);
    assert_eq!(check["problems"], Value::Array(vec![]), "{check}");
}

#[test]
fn an_image_that_is_not_kept_is_named_and_the_figure_keeps_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let nb = dir.path().join("nb");
    json(&nb, &["init"]);
    let page = dir.path().join("page.html");
    // An SVG (never kept), an image that is not there, one out of the folder,
    // a PNG naming a 100 000 × 100 000 canvas, and a remote one.
    let mut bomb = std::fs::read(fixtures().join("chart.png")).unwrap();
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    std::fs::write(dir.path().join("bomb.png"), bomb).unwrap();
    std::fs::write(
        dir.path().join("x.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    )
    .unwrap();
    std::fs::write(
        &page,
        "<html><body><p>Bilder, die nicht bleiben.</p>\
         <figure><img src='x.svg' alt='Eine Vektorgrafik'></figure>\
         <p><img src='missing.png' alt='Fehlt'></p>\
         <p><img src='../../etc/passwd' alt='Ausbruch'></p>\
         <p><img src='bomb.png' alt='Riesig'></p>\
         <p><img src='https://example.org/a.png' alt='Entfernt'></p></body></html>",
    )
    .unwrap();
    let imported = json(&nb, &["import", page.to_str().unwrap()]);
    let warnings: Vec<&str> = imported[0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 5, "{warnings:#?}");
    assert!(warnings[0].contains("SVG"), "{warnings:?}");
    assert!(warnings[3].contains("beyond the limit"), "{warnings:?}");
    let shown = json(&nb, &["show", imported[0]["id"].as_str().unwrap()]);
    let figures: Vec<&Value> = shown["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "figure")
        .collect();
    assert_eq!(figures.len(), 5);
    assert!(figures.iter().all(|f| f["image"].is_null()));
    assert!(shown["text"]
        .as_str()
        .unwrap()
        .contains("Eine Vektorgrafik\n\nFehlt"));
    let sources: Vec<_> = std::fs::read_dir(nb.join("sources")).unwrap().collect();
    assert_eq!(sources.len(), 1, "only the page itself is kept");
}

/// A page naming one megabyte-large image twenty thousand times and three
/// thousand files that are not there: each name is read once and only so
/// many names are read, so the import ends promptly with the image kept once.
#[test]
fn a_page_naming_images_without_end_is_read_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let nb = dir.path().join("nb");
    json(&nb, &["init"]);
    let mut big = std::fs::read(fixtures().join("chart.png")).unwrap();
    big.extend(std::iter::repeat_n(0u8, 1 << 20));
    std::fs::write(dir.path().join("big.png"), &big).unwrap();
    let mut html = String::from("<html><body><p>Viele Bilder.</p>");
    for _ in 0..20_000 {
        html.push_str("<img src='big.png'>");
    }
    for i in 0..3_000 {
        html.push_str(&format!("<p><img src='missing-{i}.png'></p>"));
    }
    html.push_str("</body></html>");
    let page = dir.path().join("many.html");
    std::fs::write(&page, html).unwrap();
    let started = std::time::Instant::now();
    let imported = json(&nb, &["import", page.to_str().unwrap()]);
    assert_eq!(imported[0]["status"], "imported", "{imported}");
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    let warnings = imported[0]["warnings"].as_array().unwrap();
    assert!(warnings.len() <= 21, "{warnings:?}");
    assert!(warnings
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .contains("more image(s) not kept"));
    // The original and the one image.
    assert_eq!(std::fs::read_dir(nb.join("sources")).unwrap().count(), 2);
}
