//! The export crate on its own: every format written from one fixture (a
//! German article with Chinese and an emoji, two claims, a note) and, where
//! the format can be read back, read back. `cargo test -p dossier-export`
//! checks a change here without the notebook; the façade's tests and
//! scripts/validate-exports.sh (the standards' own schemas) stay as well.

use dossier_export::{csv, markdown, qda, references, report, w3c, ArticleBundle, ExportData};
use dossier_model::{
    Anchor, Article, ArticleSet, AttributeDef, AttributeType, AttributeValue, Claim, Code, Note,
    Stance,
};

const TEXT: &str =
    "Qwen 😀 ist offen.\n\n阿里巴巴表示，数据完整性得到保障。\n\nOb das stimmt, bleibt abzuwarten.";

fn article() -> Article {
    Article {
        id: "0190a1b2-0000-7000-8000-000000000001".into(),
        title: "Offen, aber wie offen? <Qwen & Co>".into(),
        author: Some("Anna Müller; Xinhua".into()),
        source_url: Some("https://example.org/qwen".into()),
        published: Some("2024-05-03".into()),
        language: "de".into(),
        imported_at: "2024-06-01T10:00:00.000Z".into(),
        sha256: "ab".repeat(32),
        text_sha256: "cd".repeat(32),
        original_name: "qwen.md".into(),
        media_type: "text/markdown".into(),
        parser: "markdown/1".into(),
        text: TEXT.into(),
        page_starts: Vec::new(),
        pages: Vec::new(),
        languages: Vec::new(),
    }
}

fn claim(id: &str, quote: &str, codes: &[&str], comment: Option<&str>) -> Claim {
    Claim {
        codes: codes.iter().map(|c| c.to_string()).collect(),
        stance: Stance::Contests,
        comment: comment.map(str::to_string),
        analyst: Some("mia".into()),
        claimant: Some("Alibaba".into()),
        ..Claim::new(
            id.into(),
            article().id,
            Anchor::from_quote(TEXT, quote, 1).unwrap(),
            "2024-06-02T09:00:00.000Z".into(),
        )
    }
}

fn code_id(path: &str) -> String {
    format!("code-{}", path.replace('/', "-"))
}

fn code(path: &str) -> Code {
    Code {
        id: code_id(path),
        path: path.into(),
        name: path.rsplit('/').next().unwrap().into(),
        parent_id: path.rsplit_once('/').map(|(parent, _)| code_id(parent)),
        color: "#aabbcc".into(),
        description: String::new(),
        // A memo on the subcodes: the codebook's documentation, with Markdown and markup.
        memo: if path.contains('/') {
            format!("**{path}**: includes claims about <b>{path}</b>.\n\nExcludes: marketing.")
        } else {
            String::new()
        },
        claim_count: 1,
    }
}

fn data() -> ExportData {
    let note = Note {
        id: "0190a1b2-0000-7000-8000-0000000000aa".into(),
        title: "Lesenotiz".into(),
        body: "Siehe [[claim:0190a1b2-0000-7000-8000-000000000011]].".into(),
        article_id: Some(article().id),
        links: Vec::new(),
        created_at: "2024-06-03T00:00:00.000Z".into(),
        updated_at: "2024-06-03T00:00:00.000Z".into(),
    };
    ExportData {
        title: "Qwen-Dossier".into(),
        generated_at: "2024-06-04T00:00:00.000Z".into(),
        app_version: "test".into(),
        bundles: vec![ArticleBundle {
            article: article(),
            claims: vec![
                claim(
                    "0190a1b2-0000-7000-8000-000000000011",
                    "Qwen 😀 ist offen",
                    &["Transparency/Open weights"],
                    Some("=HYPERLINK(\"x\") <script>alert(1)</script>"),
                ),
                Claim {
                    translations: vec![
                        dossier_model::Translation {
                            id: "0190a1b2-0000-7000-8000-0000000000t1".into(),
                            language: "de".into(),
                            text: "Die Datenintegrität ist gewährleistet".into(),
                            translator: Some("mia".into()),
                            created_at: "2024-06-02T10:00:00.000Z".into(),
                        },
                        dossier_model::Translation {
                            id: "0190a1b2-0000-7000-8000-0000000000t2".into(),
                            language: "en".into(),
                            text: "Data integrity is <i>guaranteed</i>\n(machine)".into(),
                            translator: None,
                            created_at: "2024-06-02T11:00:00.000Z".into(),
                        },
                    ],
                    ..claim(
                        "0190a1b2-0000-7000-8000-000000000012",
                        "数据完整性得到保障",
                        &["Trust/Data integrity"],
                        None,
                    )
                },
            ],
            notes: vec![note.clone()],
            relations: Vec::new(),
            attributes: vec![
                AttributeValue {
                    name: "outlet_type".into(),
                    kind: AttributeType::Choice,
                    value: "state media".into(),
                },
                AttributeValue {
                    name: "published_on".into(),
                    kind: AttributeType::Date,
                    value: "2024-05".into(),
                },
                AttributeValue {
                    name: "params_b".into(),
                    kind: AttributeType::Number,
                    value: "=72".into(),
                },
            ],
            sets: vec!["china_desk".into()],
            locations: Default::default(),
        }],
        codes: vec![
            code("Transparency"),
            code("Transparency/Open weights"),
            code("Trust"),
            code("Trust/Data integrity"),
        ],
        notes: vec![note],
        attributes: vec![
            AttributeDef {
                name: "outlet_type".into(),
                kind: AttributeType::Choice,
                choices: vec!["state media".into(), "company".into()],
                used_by: 1,
            },
            AttributeDef {
                name: "published_on".into(),
                kind: AttributeType::Date,
                choices: Vec::new(),
                used_by: 1,
            },
            AttributeDef {
                name: "params_b".into(),
                kind: AttributeType::Number,
                choices: Vec::new(),
                used_by: 1,
            },
        ],
        sets: vec![ArticleSet {
            name: "china_desk".into(),
            description: "Chinese sources".into(),
            size: 1,
        }],
    }
}

#[test]
fn csv_has_a_row_per_claim_and_neutralises_formulas() {
    let d = data();
    let mut out = Vec::new();
    let names: Vec<String> = d.attributes.iter().map(|a| a.name.clone()).collect();
    csv::write(&d.bundles, &names, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows.len() >= 3, "a header and two claims: {text}");
    assert!(text.contains("数据完整性得到保障"));
    assert!(text.contains("😀"));
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains("\"=HYPERLINK"),
        "a cell that starts a formula is neutralised: {text}"
    );
    // One column per attribute, with the article's value on each of its claims' rows.
    let mut reader = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &header[header.len() - 3..],
        ["attr:outlet_type", "attr:published_on", "attr:params_b"]
    );
    for row in reader.records() {
        let row = row.unwrap();
        let n = row.len();
        assert_eq!(&row[n - 3], "state media");
        assert_eq!(&row[n - 2], "2024-05");
        assert_eq!(&row[n - 1], "'=72", "attribute values are neutralised too");
    }
}

#[test]
fn markdown_carries_front_matter_quotes_and_codes() {
    let md = markdown::combined_document(&data().bundles);
    assert!(md.contains("Offen, aber wie offen?"), "{md}");
    assert!(md.contains("> 数据完整性得到保障"), "{md}");
    assert!(md.contains("Transparency/Open weights"), "{md}");
    let md = markdown::article_document(&data().bundles[0]);
    assert!(
        md.contains(
            "attributes:\n  \"outlet_type\": \"state media\"\n  \"published_on\": \"2024-05\"\n"
        ),
        "{md}"
    );
    assert!(md.contains("sets: [\"china_desk\"]\n"), "{md}");
}

/// A region claim is cited as its rectangle on its page in Markdown and the report.
#[test]
fn region_claims_are_cited_by_page_and_rectangle() {
    let mut d = data();
    d.bundles[0].claims[0].region = Some(dossier_model::PageRect {
        page: 3,
        x0: 50.0,
        y0: 70.0,
        x1: 565.4,
        y1: 135.0,
    });
    let md = markdown::article_document(&d.bundles[0]);
    assert!(
        md.contains("region on page 3 (50, 70)–(565, 135) pt · characters"),
        "{md}"
    );
    let html = report::html(&d);
    assert!(html.contains("region on p. 3 · "), "{html}");
}

#[test]
fn w3c_annotations_read_back_with_code_point_positions() {
    let d = data();
    let doc = w3c::collection(&d, "urn:uuid:0190a1b2-0000-7000-8000-0000000000ff");
    assert!(w3c::looks_like_annotations(&doc));
    let parsed = w3c::parse(&doc).unwrap();
    assert_eq!(parsed.len(), 2);
    for (p, c) in parsed.iter().zip(&d.bundles[0].claims) {
        assert_eq!(p.exact, c.exact);
        assert_eq!(p.position, Some((c.start, c.end)));
        // Positions are code points (the emoji counts once), as the selectors say.
        let slice: String = TEXT
            .chars()
            .skip(c.start as usize)
            .take((c.end - c.start) as usize)
            .collect();
        assert_eq!(slice, c.exact);
        assert!(p.sources.iter().any(|s| s.starts_with("urn:sha256:")));
    }
}

#[test]
fn references_round_trip_through_csl_bibtex_and_ris() {
    let a = article();
    let check = |refs: Vec<references::Reference>, format: &str| {
        assert_eq!(refs.len(), 1, "{format}");
        let r = &refs[0];
        assert_eq!(r.date.as_deref(), Some("2024-05-03"), "{format}");
        assert_eq!(
            r.url.as_deref(),
            Some("https://example.org/qwen"),
            "{format}"
        );
        assert!(
            r.title
                .as_deref()
                .unwrap_or("")
                .contains("Offen, aber wie offen"),
            "{format}: {r:?}"
        );
        assert!(
            r.authors.iter().any(|n| n.contains("Müller")),
            "{format}: {r:?}"
        );
    };
    check(
        references::read_csl_json(&references::csl_json(&[&a])).unwrap(),
        "CSL-JSON",
    );
    check(
        references::read_bibtex(&references::bibtex(&[&a])).unwrap(),
        "BibTeX",
    );
    check(
        references::read_ris(&references::ris(&[&a])).unwrap(),
        "RIS",
    );
}

#[test]
fn a_refi_qda_project_reads_back_with_every_selection_and_code() {
    let d = data();
    let project = qda::parse_project(&qda::project_xml(&d)).unwrap();
    let paths: Vec<String> = project.codes.iter().map(|c| c.path.join("/")).collect();
    for c in &d.codes {
        assert!(paths.contains(&c.path), "{} in {paths:?}", c.path);
    }
    assert_eq!(project.sources.len(), 1);
    let selections = &project.sources[0].selections;
    assert_eq!(selections.len(), 2);
    for (s, c) in selections.iter().zip(&d.bundles[0].claims) {
        assert_eq!((s.start, s.end), (c.start, c.end));
        assert_eq!(s.code_guids.len(), 1);
    }
    assert_eq!(project.notes.len(), 1);
    let codebook = qda::codebook_xml(&d.codes, "test");
    assert!(codebook.contains("Open weights"));
}

#[test]
fn the_html_report_escapes_what_it_quotes() {
    let html = report::html(&data());
    assert!(
        html.contains("&lt;Qwen &amp; Co&gt;"),
        "the title is escaped"
    );
    assert!(
        !html.contains("<script>alert"),
        "a comment's markup stays text"
    );
    assert!(html.contains("数据完整性得到保障"));
    assert!(html.contains("2024-05-03"), "the article's date");
}

#[test]
fn translations_and_code_memos_travel_in_every_format() {
    let d = data();
    // CSV: one cell of `[lang] text` lines.
    let mut out = Vec::new();
    csv::write(&d.bundles, &[], &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut reader = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "translations")
        .unwrap();
    let cells: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[at].to_string())
        .collect();
    assert_eq!(cells[0], "");
    assert_eq!(cells[1], "[de] Die Datenintegrität ist gewährleistet\n[en] Data integrity is <i>guaranteed</i>\n(machine)");
    // Markdown: under the quote, with who made it.
    let md = markdown::article_document(&d.bundles[0]);
    assert!(
        md.contains("- **Translation (de, mia):** Die Datenintegrität ist gewährleistet"),
        "{md}"
    );
    // W3C: a second TextualBody in its language.
    let w = w3c::collection(&d, "urn:uuid:0190a1b2-0000-7000-8000-0000000000ff");
    let items = w["first"]["items"].as_array().unwrap();
    let bodies = items[1]["body"].as_array().unwrap();
    let de = bodies.iter().find(|b| b["language"] == "de").unwrap();
    assert_eq!(
        (de["purpose"].as_str(), de["creator"]["name"].as_str()),
        (Some("describing"), Some("mia"))
    );
    let back = w3c::parse(&w).unwrap();
    assert_eq!(back[1].translations.len(), 2);
    assert_eq!(back[1].translations[0].0, "de");
    assert_eq!(
        back[1].comment, None,
        "translations are not read back as comments"
    );
    // The report: escaped, tagged with its language; the code's memo under its heading.
    let html = report::html(&d);
    assert!(html.contains("<p class=\"translation\" lang=\"en\">"));
    assert!(html.contains("Data integrity is &lt;i&gt;guaranteed&lt;/i&gt;"));
    assert!(html.contains("includes claims about &lt;b&gt;Trust/Data integrity&lt;/b&gt;"));
    // REFI-QDA: translations and memos in Descriptions, read back apart.
    let project = qda::parse_project(&qda::project_xml(&d)).unwrap();
    let sel = project.sources[0]
        .selections
        .iter()
        .find(|s| s.guid.ends_with("000000000012"))
        .unwrap();
    assert_eq!(sel.translations.len(), 2);
    assert_eq!(
        sel.translations[1].text,
        "Data integrity is <i>guaranteed</i>\n(machine)"
    );
    assert_eq!(sel.comment, None);
    let code = project
        .codes
        .iter()
        .find(|c| c.path.join("/") == "Trust/Data integrity")
        .unwrap();
    assert_eq!(code.description, "");
    assert!(code.memo.starts_with("**Trust/Data integrity**: includes"));
    let top = project
        .codes
        .iter()
        .find(|c| c.path.join("/") == "Trust")
        .unwrap();
    assert_eq!(top.memo, "");
}
