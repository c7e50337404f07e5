//! Real-format fixtures made by us: `fixtures/source.md` (our own German,
//! Chinese and English text) converted with pandoc to DOCX, ODT, EPUB and RTF,
//! with LibreOffice to RTF, and a two-page PDF printed by LibreOffice from our
//! own HTML. Each must give back the same words and the metadata.

use dossier_ingest::{extract_unisolated as extract, BlockKind};

mod poppler;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const EXPECTED: &[&str] = &[
    "Alibaba veröffentlicht die Gewichte der Qwen-Modelle unter einer offenen Lizenz.",
    "Transparenz, die sich auf Gewichte beschränkt, verschiebt die Vertrauensfrage nur.",
    "Trainingsdaten: nicht offengelegt",
    "阿里巴巴表示，通义千问的训练数据经过严格筛选，数据完整性得到保障。",
    "Whether these claims hold remains to be seen; independent audits are scarce. 😀",
];

fn check(name: &str, parser: &str) -> dossier_ingest::Extracted {
    let x = extract(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let text = x.canonical_text();
    for want in EXPECTED {
        assert!(text.contains(want), "{name}: missing {want:?} in\n{text}");
    }
    assert_eq!(x.parser, parser);
    assert!(
        x.blocks
            .iter()
            .any(|b| b.kind == BlockKind::Heading && b.text == "Transparenz"),
        "{name}: heading"
    );
    x
}

#[test]
fn docx_from_pandoc() {
    let x = check("sample.docx", "docx/2");
    assert_eq!(
        x.title.as_deref(),
        Some("Offene Gewichte, geschlossene Daten")
    );
    assert_eq!(x.author.as_deref(), Some("Dossier Testredaktion"));
    assert!(x
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::ListItem && b.text == "Gewichte: offen"));
}

#[test]
fn odt_from_pandoc() {
    let x = check("sample.odt", "odt/2");
    assert_eq!(
        x.title.as_deref(),
        Some("Offene Gewichte, geschlossene Daten")
    );
    assert!(x
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::ListItem && b.text == "Gewichte: offen"));
}

#[test]
fn epub_from_pandoc() {
    let x = check("sample.epub", "epub/2");
    assert_eq!(
        x.title.as_deref(),
        Some("Offene Gewichte, geschlossene Daten")
    );
    assert_eq!(x.author.as_deref(), Some("Dossier Testredaktion"));
    assert_eq!(x.declared_language.as_deref(), Some("de"));
}

#[test]
fn rtf_from_pandoc_and_libreoffice() {
    let x = check("sample.rtf", "rtf/1");
    assert!(
        !x.canonical_text().contains("Helvetica"),
        "font table leaked"
    );
    let lo = extract(&fixture("libreoffice.rtf"), "libreoffice.rtf").unwrap();
    let text = lo.canonical_text();
    for want in EXPECTED {
        assert!(
            text.contains(want),
            "libreoffice.rtf: missing {want:?} in\n{text}"
        );
    }
}

#[test]
fn pdf_text_layer_with_pages() {
    let x = extract(&fixture("pages.pdf"), "pages.pdf").unwrap();
    assert_eq!(
        x.title.as_deref(),
        Some("Exportkontrollen und offene Modelle")
    );
    let text = x.canonical_text();
    assert!(text.contains("Die Exportkontrollen der Vereinigten Staaten beschränken den Zugang chinesischer Labore zu leistungsfähigen Chips."), "{text}");
    assert!(
        text.contains("阿里巴巴表示，数据完整性得到保障。"),
        "{text}"
    );
    let starts = x.page_starts();
    assert_eq!(starts.len(), 2);
    let page2: String = text.chars().skip(starts[1] as usize).collect();
    assert!(page2.starts_with("Seite zwei: Vertrauen"), "{page2}");
    assert!(x
        .blocks
        .iter()
        .filter(|b| b.page == Some(1))
        .all(|b| !b.text.contains("abzuwarten")));
}

/// The words `pdftotext -bbox` (poppler, the reference reader) reports for
/// a PDF: page, text and box, in `fixtures/NAME.bbox.html`.
fn poppler_words(name: &str) -> Vec<(u32, String, [f32; 4])> {
    poppler::words(&String::from_utf8(fixture(name)).unwrap())
        .into_iter()
        .map(|(page, text, b)| (page, text, b.map(|v| v as f32)))
        .collect()
}

/// Every word poppler sees on the trilingual PDF (German, English, Chinese)
/// is found in the canonical text, and the rectangles Dossier gives its span
/// lie on poppler's box for it: same page, overlapping, edges within a few
/// points.
#[test]
fn pdf_words_sit_where_poppler_sees_them() {
    let x = extract(&fixture("trilingual.pdf"), "trilingual.pdf").unwrap();
    let text: Vec<char> = x.canonical_text().chars().collect();
    let starts = x.page_starts();
    assert_eq!(x.geometry.len(), 4);
    assert!(x
        .geometry
        .iter()
        .all(|p| (p.width - 595.3).abs() < 0.1 && (p.height - 841.9).abs() < 0.1));
    let words = poppler_words("trilingual.bbox.html");
    assert!(words.len() > 90, "{}", words.len());
    // Tables are read in another order by each engine: a word is looked for
    // among its occurrences on its page, and must be found at poppler's box.
    let mut placed = 0;
    for (page, word, [x0, y0, x1, y1]) in &words {
        let wanted: Vec<char> = word.chars().collect();
        let from = starts[*page as usize - 1] as usize;
        let to = starts
            .get(*page as usize)
            .map_or(text.len(), |&s| s as usize);
        let poppler = dossier_model::PageRect {
            page: *page,
            x0: *x0,
            y0: *y0,
            x1: *x1,
            y1: *y1,
        };
        let mut seen = Vec::new();
        let found = (from..to.saturating_sub(wanted.len() - 1))
            .filter(|&i| text[i..].starts_with(&wanted))
            .filter_map(|at| {
                dossier_model::layout::locate(&x.geometry, at as u32, (at + wanted.len()) as u32)
            })
            .any(|l| {
                // A word poppler sees whole may be two of ours (a cap on word length), never more lines.
                let ours = l.bounds();
                seen.push(ours);
                l.page == *page
                    && ours.overlaps(&poppler)
                    && [
                        (ours.x0, *x0),
                        (ours.x1, *x1),
                        (ours.y0, *y0),
                        (ours.y1, *y1),
                    ]
                    .iter()
                    .all(|(a, b)| (a - b).abs() < 3.0)
            });
        assert!(
            found,
            "{word:?} on page {page}: poppler {poppler:?}, ours {seen:?}"
        );
        placed += 1;
    }
    assert_eq!(placed, words.len());
}

#[test]
fn mhtml_saved_page() {
    let page = "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.org/qwen\r\nSubject: Qwen\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--abc\"\r\n\r\n------MultipartBoundary--abc\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: https://example.org/qwen\r\n\r\n<html><head><meta charset=3D\"utf-8\"><title>Qwen offen?</title></head><body><article><h1>Qwen offen?</h1><p>Die Gewichte sind offen, die Daten nicht. =E6=95=B0=E6=8D=AE=E5=AE=8C=E6=95=B4=E6=80=A7</p><script>alert(1)</script></article></body></html>\r\n------MultipartBoundary--abc\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n------MultipartBoundary--abc--\r\n";
    let x = extract(page.as_bytes(), "qwen.mhtml").unwrap();
    assert_eq!(x.source_url.as_deref(), Some("https://example.org/qwen"));
    assert_eq!(x.title.as_deref(), Some("Qwen offen?"));
    let text = x.canonical_text();
    assert!(
        text.contains("Die Gewichte sind offen, die Daten nicht. 数据完整性"),
        "{text}"
    );
    assert!(!text.contains("alert"));
}

#[test]
fn html_metadata_from_json_ld() {
    let page = r#"<html><head><title>Site | Qwen</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
{"@type":"NewsArticle","headline":"Qwen 3 veröffentlicht","datePublished":"2025-04-29T08:00:00+08:00",
"author":[{"@type":"Person","name":"Li Wei"},{"@type":"Person","name":"Anna Müller"}],"url":"https://example.org/qwen3"}]}</script>
</head><body><article><p>Alibaba hat Qwen 3 veröffentlicht.</p></article></body></html>"#;
    let x = extract(page.as_bytes(), "qwen3.html").unwrap();
    assert_eq!(x.title.as_deref(), Some("Qwen 3 veröffentlicht"));
    assert_eq!(x.author.as_deref(), Some("Li Wei; Anna Müller"));
    assert_eq!(x.published.as_deref(), Some("2025-04-29T08:00:00+08:00"));
    assert_eq!(x.source_url.as_deref(), Some("https://example.org/qwen3"));
}

/// The table of `figures.md` (and of the fourth page of `trilingual.html`),
/// row by row, as its cells must come back.
fn assert_table(name: &str, x: &dossier_ingest::Extracted, rows: &[&[&str]]) {
    let tables: Vec<_> = x
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Table)
        .collect();
    assert_eq!(tables.len(), 1, "{name}: one table in {:#?}", x.blocks);
    let got: Vec<Vec<&str>> = tables[0]
        .cells
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(got, rows, "{name}: cells");
    // The cells are the table's text, in reading order, and sit in the
    // canonical text where the structure says.
    let text = x.canonical_text();
    let chars: Vec<char> = text.chars().collect();
    let structure = x.structure();
    let table = structure
        .iter()
        .find(|b| b.kind == dossier_model::blocks::BlockKind::Table)
        .unwrap();
    for (row, want) in table.cells.iter().zip(rows) {
        for (cell, want) in row.iter().zip(*want) {
            let got: String = chars[cell.start as usize..cell.end as usize]
                .iter()
                .collect();
            assert_eq!(&got, want, "{name}: cell span");
        }
    }
}

/// One figure whose image is `chart.png` itself, with `caption` as its text.
fn assert_figure(name: &str, x: &dossier_ingest::Extracted, caption: &str) {
    let figures: Vec<_> = x
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Figure)
        .collect();
    assert_eq!(figures.len(), 1, "{name}: one figure in {:#?}", x.blocks);
    assert_eq!(figures[0].text, caption, "{name}: caption");
    let sha = figures[0].image.as_deref().expect("image kept");
    let image = x.images.iter().find(|i| i.sha256 == sha).unwrap();
    assert_eq!(
        image.bytes,
        fixture("chart.png"),
        "{name}: the image's bytes"
    );
    assert_eq!(
        (image.media_type.as_str(), image.width, image.height),
        ("image/png", 480, 240)
    );
    let s = x.structure();
    let f = s
        .iter()
        .find(|b| b.kind == dossier_model::blocks::BlockKind::Figure)
        .unwrap();
    let text: String = x
        .canonical_text()
        .chars()
        .skip(f.start as usize)
        .take((f.end - f.start) as usize)
        .collect();
    assert_eq!(text, caption);
    assert_eq!(f.image.as_ref().map(|i| i.sha256.as_str()), Some(sha));
    assert!(x.notes.is_empty(), "{name}: {:?}", x.notes);
}

const FIGURES_TABLE: &[&[&str]] = &[
    &["Modell", "Anbieter", "Gewichte", "Trainingsdaten"],
    &["Qwen", "Alibaba", "offen", "nicht offengelegt"],
    &["ERNIE", "Baidu", "teilweise", "未公开"],
    &["Hunyuan", "Tencent", "open", "benchmarks named"],
];

#[test]
fn tables_and_figures_from_docx_odt_and_epub() {
    for name in ["figures.docx", "figures.odt", "figures.epub"] {
        let x = extract(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_table(name, &x, FIGURES_TABLE);
        assert_figure(name, &x, "Abbildung 1: Offengelegte Angaben je Modell");
        assert!(x
            .canonical_text()
            .contains("Whether these disclosures suffice remains open."));
    }
}

#[test]
fn a_saved_page_keeps_its_table_and_the_image_beside_it() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trilingual.html");
    let x = dossier_ingest::extract_file(&std::fs::read(&path).unwrap(), &path).unwrap();
    assert_table(
        "trilingual.html",
        &x,
        &[
            &["Modell", "Anbieter", "Gewichte", "Trainingsdaten"],
            &["Qwen", "Alibaba", "offen", "nicht offengelegt"],
            &["ERNIE", "Baidu", "teilweise", "nicht offengelegt"],
            &["Hunyuan", "Tencent", "offen", "Benchmarks genannt"],
        ],
    );
    assert!(
        x.blocks.iter().any(|b| b.text == "Offenlegung nach Modell"),
        "the caption before the table"
    );
    assert_figure(
        "trilingual.html",
        &x,
        "Abbildung 1: Offengelegte Angaben je Modell (eigene Darstellung)",
    );
    // The same page given as bytes alone finds no image, and says so.
    let alone = extract(&std::fs::read(&path).unwrap(), "trilingual.html").unwrap();
    assert!(alone.images.is_empty());
    assert!(
        alone.notes.iter().any(|n| n.contains("chart.png")),
        "{:?}",
        alone.notes
    );
}
