//! Extractors on files written for these tests.

use dossier_ingest::{detect_language, extract, BlockKind};
use dossier_model::ErrorCode;

const PAGE: &str = r#"<!doctype html><html lang="de"><head>
<meta charset="utf-8"><title>Offene Modelle – Bericht</title>
<meta name="author" content="Erika Beispiel">
<meta property="article:published_time" content="2025-03-01">
<link rel="canonical" href="https://example.org/offene-modelle">
<script>alert('x')</script></head>
<body><nav><a href="/">Start</a> Menü</nav>
<article><h1>Offene   Modelle</h1>
<p onclick="steal()">Qwen veröffentlicht <b>Gewichte</b>.<img src="https://tracker.example/x.png"></p>
<blockquote><p>Transparenz ist kein Zustand.</p></blockquote>
<ul><li>Punkt eins</li><li><p>Punkt zwei</p></li></ul>
<p><a href="javascript:alert(1)">Link</a> und <iframe src="https://evil.example"></iframe>Ende.</p>
</article><footer>Impressum</footer></body></html>"#;

#[test]
fn html_main_content_blocks_and_metadata() {
    let x = extract(PAGE.as_bytes(), "page.html").unwrap();
    assert_eq!(x.title.as_deref(), Some("Offene Modelle – Bericht"));
    assert_eq!(x.author.as_deref(), Some("Erika Beispiel"));
    assert_eq!(x.published.as_deref(), Some("2025-03-01"));
    assert_eq!(
        x.source_url.as_deref(),
        Some("https://example.org/offene-modelle")
    );
    assert_eq!(x.declared_language.as_deref(), Some("de"));
    let kinds: Vec<BlockKind> = x.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        vec![
            BlockKind::Heading,
            BlockKind::Paragraph,
            BlockKind::Quote,
            BlockKind::ListItem,
            BlockKind::ListItem,
            BlockKind::Paragraph
        ]
    );
    let text = x.canonical_text();
    assert!(
        text.starts_with("Offene Modelle\n\nQwen veröffentlicht Gewichte."),
        "{text}"
    );
    for banned in ["alert", "steal", "Menü", "Impressum", "tracker", "evil"] {
        assert!(!text.contains(banned), "'{banned}' leaked into {text:?}");
    }
}

#[test]
fn sanitiser_removes_active_content() {
    let safe = dossier_ingest::sanitise_html(
        r#"<p onmouseover="x()">a<script>b</script><a href="javascript:c()">d</a><iframe src="e"></iframe><a href="https://ok.example">f</a></p>"#,
    );
    assert!(
        !safe.contains("onmouseover")
            && !safe.contains("script")
            && !safe.contains("javascript")
            && !safe.contains("iframe"),
        "{safe}"
    );
    assert!(safe.contains("https://ok.example"));
}

#[test]
fn markdown_front_matter_and_blocks() {
    let md = "---\ntitle: \"Vertrauen in ERNIE\"\nauthor: A. Analyst\ndate: 2024-11-02\n---\n# Überschrift\n\nEin *Absatz*\nüber zwei Zeilen.\n\n> Ein Zitat\n\n- eins\n- zwei\n";
    let x = extract(md.as_bytes(), "note.md").unwrap();
    assert_eq!(x.title.as_deref(), Some("Vertrauen in ERNIE"));
    assert_eq!(x.author.as_deref(), Some("A. Analyst"));
    assert_eq!(
        x.canonical_text(),
        "Überschrift\n\nEin Absatz über zwei Zeilen.\n\nEin Zitat\n\neins\n\nzwei"
    );
    assert_eq!(x.blocks[2].kind, BlockKind::Quote);
}

#[test]
fn text_in_legacy_encodings_and_with_bom() {
    // "Größe" in Windows-1252 and a UTF-16LE file with BOM.
    let latin1 =
        b"Gr\xf6\xdfe und Vertrauen in offene Modelle, die wir pr\xfcfen.\n\nZweiter Absatz.";
    let x = extract(latin1, "a.txt").unwrap();
    assert!(
        x.canonical_text().starts_with("Größe und Vertrauen"),
        "{}",
        x.canonical_text()
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "模型的透明度".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(
        extract(&utf16, "b.txt").unwrap().canonical_text(),
        "模型的透明度"
    );
}

#[test]
fn binary_unknown_and_empty_files_are_refused() {
    assert_eq!(
        extract(b"\x00\x01\x02PK\x03\x04", "x.txt")
            .unwrap_err()
            .code,
        ErrorCode::Unsupported
    );
    assert_eq!(
        extract(b"hello", "x.exe").unwrap_err().code,
        ErrorCode::Unsupported
    );
    assert_eq!(
        extract(b"  \n\n ", "x.txt").unwrap_err().code,
        ErrorCode::Unsupported
    );
}

#[test]
fn deeply_nested_html_does_not_overflow() {
    let page = format!(
        "<body>{}tief{}</body>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || extract(page.as_bytes(), "deep.html").map(|x| x.canonical_text()))
        .unwrap();
    assert_eq!(handle.join().expect("no stack overflow").unwrap(), "tief");
}

#[test]
fn languages_are_detected() {
    assert_eq!(detect_language("Die Bundesregierung prüft, ob offene Modelle den Anforderungen an Transparenz genügen."), "de");
    assert_eq!(
        detect_language(
            "The government is reviewing whether open models meet the transparency requirements."
        ),
        "en"
    );
    assert_eq!(
        detect_language("开源模型的透明度和数据完整性仍然是信任的核心问题。"),
        "zh"
    );
}
