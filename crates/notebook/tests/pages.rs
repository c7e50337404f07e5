//! Where a PDF's words sit, on a real notebook: import records each page,
//! a claim gets its page and rectangles, the record survives the article's
//! trip through the trash, and `repair` keeps it while the trash holds the
//! article.

use std::path::Path;

use dossier::model::{ClaimTarget, NewClaim, Stance};
use dossier::Notebook;

mod common;

fn import_pdf(nb: &Notebook) -> String {
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ingest/tests/fixtures/trilingual.pdf");
    let out = nb
        .import_paths(
            &[pdf],
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    out[0].id.clone().expect("imported")
}

fn claim(nb: &Notebook, article: &str, exact: &str) -> dossier::model::Claim {
    nb.add_claim(NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Quote {
            exact: exact.into(),
            occurrence: 1,
        },
        codes: vec![],
        stance: Stance::Supports,
        confidence: 3,
        claimant: None,
        comment: None,
        analyst: None,
        hedging: Default::default(),
    })
    .unwrap()
}

/// A region claim on `page`: the rectangle `[x0, y0, x1, y1]` in points from its top-left corner.
fn region_claim(article: &str, page: u32, [x0, y0, x1, y1]: [f32; 4]) -> NewClaim {
    NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Region {
            page,
            x0,
            y0,
            x1,
            y1,
        },
        codes: vec![],
        stance: Stance::Neutral,
        confidence: 3,
        claimant: None,
        comment: None,
        analyst: None,
        hedging: Default::default(),
    }
}

#[test]
fn pages_are_recorded_located_and_kept_through_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let nb = common::open(&dir.path().join("nb"));
    let id = import_pdf(&nb);

    let page2 = nb.page_layout(&id, 2).unwrap();
    assert!((page2.width - 595.3).abs() < 0.1 && (page2.height - 841.9).abs() < 0.1);
    assert!(page2.words.len() > 30, "{}", page2.words.len());
    let article = nb.article(&id).unwrap();
    let text: Vec<char> = article.text.chars().collect();
    // Every recorded word's span holds text of its page.
    for w in &page2.words {
        assert_eq!(article.page_at(w.start), Some(2));
        assert!(text[w.start as usize..w.end as usize]
            .iter()
            .all(|c| !c.is_whitespace()));
    }
    assert!(nb.page_layout(&id, 5).is_err() && nb.page_layout(&id, 0).is_err());

    let c = claim(&nb, &id, "Which labs disclose their training data sources");
    let at = nb.locate_claim(&c).unwrap().expect("located");
    assert_eq!((at.page, at.rects.len()), (2, 1));
    assert!(at.rects[0].x0 > 50.0 && at.rects[0].x1 < 400.0, "{at:?}");

    // Into the trash and back: the record is keyed by the original, not the row.
    nb.delete_article(&id).unwrap();
    let report = nb.repair().unwrap();
    assert!(
        report.actions.iter().all(|a| !a.contains("page layout")),
        "{:?}",
        report.actions
    );
    nb.undo().unwrap();
    assert_eq!(nb.locate_claim(&c).unwrap(), Some(at));

    // A text article has no pages.
    let txt = common::import(
        &nb,
        dir.path(),
        "plain.txt",
        "Offene Gewichte sind nicht offene Daten.",
    );
    let plain = claim(&nb, &txt, "offene Daten");
    assert_eq!(nb.locate_claim(&plain).unwrap(), None);
    assert!(nb.page_layout(&txt, 1).is_err());
}

/// A PDF imported before Dossier recorded page layouts gets its layout from
/// its original the first time it is needed, when the original still gives
/// the article's text exactly.
#[test]
fn a_pdf_imported_before_layouts_gets_one_from_its_original() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb");
    let id = {
        let nb = common::open(&path);
        import_pdf(&nb)
    };
    // As a notebook from before migration 14 has it: no pages recorded.
    let db = rusqlite::Connection::open(path.join(dossier::DB_FILE)).unwrap();
    assert!(db.execute("DELETE FROM pdf_page", []).unwrap() == 4);
    drop(db);
    let nb = common::open(&path);
    let c = claim(&nb, &id, "Which labs disclose their training data sources");
    let at = nb
        .locate_claim(&c)
        .unwrap()
        .expect("located from the re-read original");
    assert_eq!(at.page, 2);
    assert!(nb.page_layout(&id, 3).unwrap().words.len() > 2);
    let db = rusqlite::Connection::open(path.join(dossier::DB_FILE)).unwrap();
    let n: i64 = db
        .query_row("SELECT count(*) FROM pdf_page", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 4, "recorded for next time");
}

/// A REFI-QDA project from another program with a PDF source: a selection
/// that carries its text (with the line breaks the program kept) is found by
/// it on its page; one with only a rectangle takes the words inside it.
#[test]
fn pdf_selections_from_another_program_are_found_by_text_or_by_area() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let nb = common::open(&dir.path().join("nb"));
    let pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ingest/tests/fixtures/trilingual.pdf"),
    )
    .unwrap();
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Elsewhere" origin="Another QDA program">
  <CodeBook><Codes><Code guid="6F1F2C9A-2B7E-4C35-9D1A-0C8A3B1E2F40" name="Data sources" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <PDFSource guid="2065D8AB-D724-40C9-B4E9-6EB8DAB73541" name="Offene Modelle.pdf" path="internal://3E029F7C-B699-47C2-AE9F-95F481693CAF.pdf">
      <PDFSelection guid="95916796-D0A0-4B49-80B0-5A5C8B94AE13" name="Which labs" page="1" firstX="50" firstY="120" secondX="560" secondY="160">
        <Representation guid="7CFEDFC8-A48D-4F27-B3E0-FF2E7D7B1CD7"><PlainTextContent>Which labs disclose
their training data   sources</PlainTextContent></Representation>
        <Coding guid="DA81AC20-2C10-45DE-9D95-1F87DF90D77D"><CodeRef targetGUID="6F1F2C9A-2B7E-4C35-9D1A-0C8A3B1E2F40"/></Coding>
      </PDFSelection>
      <PDFSelection guid="7B8C9A7D-1AD6-4A88-8556-50B9A35FDA19" name="area" page="2" firstX="50" firstY="72" secondX="510" secondY="96">
        <Coding guid="CF4B56B4-A1C7-4B8A-8871-AF72137B5B89"><CodeRef targetGUID="6F1F2C9A-2B7E-4C35-9D1A-0C8A3B1E2F40"/></Coding>
      </PDFSelection>
    </PDFSource>
  </Sources>
</Project>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", opts).unwrap();
    zip.write_all(qde.as_bytes()).unwrap();
    zip.start_file("Sources/3E029F7C-B699-47C2-AE9F-95F481693CAF.pdf", opts)
        .unwrap();
    zip.write_all(&pdf).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let outcome = nb.import_bytes("elsewhere.qdpx", &bytes).unwrap();
    assert_eq!(
        outcome.status,
        dossier::model::ImportStatus::Imported,
        "{outcome:?}"
    );
    let articles = nb.articles().unwrap();
    assert_eq!(articles.len(), 1);
    let article = nb.article(&articles[0].id).unwrap();
    assert_eq!(article.media_type, "application/pdf");
    let mut claims = nb.claims(Some(&article.id), None).unwrap();
    claims.sort_by_key(|c| c.start);
    assert_eq!(claims.len(), 2, "{outcome:?}");
    assert_eq!(
        claims[0].exact,
        "Which labs disclose their training data sources"
    );
    assert_eq!(claims[0].codes, vec!["Data sources".to_string()]);
    assert_eq!(article.page_at(claims[0].start), Some(2));
    assert_eq!(
        claims[1].exact,
        "阿里巴巴以开放许可发布了通义千问的模型权重，但训练数据的来源并未完全公开。"
    );
    assert_eq!(article.page_at(claims[1].start), Some(3));
}

/// A region drawn on a page: a claim on the text inside it (or the nearest
/// text), with its rectangle kept through delete and undo and through a
/// REFI-QDA round trip.
#[test]
fn region_claims_keep_their_rectangle() {
    use dossier::model::{ExportFormat, ExportScope};
    let dir = tempfile::tempdir().unwrap();
    let nb = common::open(&dir.path().join("nb"));
    let id = import_pdf(&nb);
    let region = |page, x0, y0, x1, y1| NewClaim {
        comment: Some("the second paragraph".into()),
        analyst: Some("Mia".into()),
        ..region_claim(&id, page, [x0, y0, x1, y1])
    };
    let para = nb.add_claim(region(2, 50.0, 120.0, 560.0, 160.0)).unwrap();
    assert!(
        para.exact.starts_with("Which labs disclose") && para.exact.ends_with("releases."),
        "{}",
        para.exact
    );
    let r = para.region.expect("a region");
    assert_eq!((r.page, r.x0, r.y1), (2, 50.0, 160.0));
    let at = nb.locate_claim(&para).unwrap().unwrap();
    assert_eq!(at.rects, vec![r]);
    // An empty area (a figure without text) takes the nearest text.
    let figure = nb.add_claim(region(2, 56.0, 400.0, 300.0, 600.0)).unwrap();
    assert!(!figure.exact.is_empty() && figure.region.is_some());
    // Off the page, or a click: refused.
    assert!(nb.add_claim(region(5, 10.0, 10.0, 100.0, 100.0)).is_err());
    assert!(nb.add_claim(region(2, 10.0, 10.0, 11.0, 11.0)).is_err());
    // Drawn on the page view of its page, only there.
    let view = nb.page_view(&id, 2).unwrap();
    assert!(view
        .marks
        .iter()
        .any(|m| m.claim_id == para.id && m.rects == vec![r]));
    assert!(nb.page_view(&id, 1).unwrap().marks.is_empty());

    nb.delete_claim(&para.id).unwrap();
    nb.undo().unwrap();
    assert_eq!(nb.claim(&para.id).unwrap().region, Some(r));

    let out = dir.path().join("p.qdpx");
    nb.export(ExportFormat::Qdpx, &out, &ExportScope::default(), false)
        .unwrap();
    let other = common::open(&dir.path().join("other"));
    other
        .import_paths(
            &[out],
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    let back = other.claim(&para.id).unwrap();
    assert_eq!(
        (back.exact.as_str(), back.region),
        (para.exact.as_str(), Some(r))
    );

    // W3C: the annotation carries the rectangle; read back onto the same PDF in another notebook.
    let anno = dir.path().join("a.jsonld");
    nb.export(ExportFormat::W3c, &anno, &ExportScope::default(), false)
        .unwrap();
    let third = common::open(&dir.path().join("third"));
    import_pdf(&third);
    third
        .import_paths(
            &[anno],
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    let regions: Vec<_> = third
        .claims(None, None)
        .unwrap()
        .into_iter()
        .filter_map(|c| c.region)
        .collect();
    assert!(regions.contains(&r), "{regions:?}");
}

/// The report shows a region claim's area of its page: the original PDF drawn
/// (hayro, in the extraction child where there is one) and cropped to the
/// rectangle, at two pixels a point; a region whose page cannot be drawn says so.
#[test]
fn the_report_shows_a_region_claim_as_its_crop_of_the_page() {
    use base64::Engine;
    use dossier::model::{ExportFormat, ExportScope};
    let dir = tempfile::tempdir().unwrap();
    let nb = common::open(&dir.path().join("nb"));
    let id = import_pdf(&nb);
    let para = nb
        .add_claim(region_claim(&id, 2, [50.0, 120.0, 560.0, 160.0]))
        .unwrap();
    let text = claim(&nb, &id, &para.exact[..20]);
    let out = dir.path().join("report.html");
    nb.export(ExportFormat::Html, &out, &ExportScope::default(), false)
        .unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        html.matches("<img class=\"crop\"").count(),
        1,
        "one region, one crop"
    );
    let b64 = html
        .split("src=\"data:image/png;base64,")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (1020, 80));
    // The paragraph's letters are on it: dark pixels on white, not an empty page.
    let channels = frame.line_size / frame.width as usize;
    let dark = pixels[..frame.buffer_size()]
        .chunks(channels)
        .filter(|p| p[0] < 96 && p[1] < 96 && p[2] < 96)
        .count();
    let share = dark as f64 / f64::from(frame.width * frame.height);
    assert!((0.01..0.5).contains(&share), "dark share {share}");
    // The text claim beside it has no image; the report and the window's print agree.
    assert!(text.region.is_none());
    let printed = nb.report_html(&ExportScope::default()).unwrap();
    assert_eq!(printed.matches("<img class=\"crop\"").count(), 1);

    // The original gone from disk: the region's text stays, with a word on the missing image.
    let article = nb.article(&id).unwrap();
    let kept = walk(dir.path().join("nb").as_path())
        .into_iter()
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&article.sha256))
        })
        .expect("the original is kept");
    std::fs::remove_file(kept).unwrap();
    let html = nb.report_html(&ExportScope::default()).unwrap();
    assert!(!html.contains("<img class=\"crop\""));
    assert!(html.contains("The page could not be drawn here"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// An area another program marked on a PDF page and wrote as a W3C
/// annotation with only a FragmentSelector (RFC 3778: `page=N&viewrect=…`)
/// becomes a region claim on that page, standing on the text inside it;
/// a fragment off the article's pages is named, not imported.
#[test]
fn a_pdf_fragment_from_another_program_becomes_a_region() {
    let dir = tempfile::tempdir().unwrap();
    let nb = common::open(&dir.path().join("nb"));
    let id = import_pdf(&nb);
    let article = nb.article(&id).unwrap();
    let fragment = |n: u32, value: &str| {
        serde_json::json!({
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": format!("urn:uuid:00000000-0000-4000-8000-00000000000{n}"),
            "type": "Annotation",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Figures"}],
            "target": {
                "source": format!("urn:sha256:{}", article.text_sha256),
                "selector": {
                    "type": "FragmentSelector",
                    "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
                    "value": value
                }
            }
        })
    };
    // The Chinese paragraphs of page 3 (left 50, top 70, 515 wide, 65 high), and page 9 of 4.
    let doc = serde_json::json!([
        fragment(1, "page=3&viewrect=50,70,515,65"),
        fragment(2, "page=9&viewrect=50,70,100,100"),
    ]);
    let outcome = nb
        .import_bytes("other.jsonld", doc.to_string().as_bytes())
        .unwrap();
    let summary = outcome.summary.unwrap_or_default();
    assert!(
        summary.contains("1 new claim(s)") && summary.contains("1 problem(s)"),
        "{summary}"
    );
    assert!(summary.contains("page 9 is not in"), "{summary}");
    let claims = nb.claims(Some(&id), None).unwrap();
    assert_eq!(claims.len(), 1);
    let c = &claims[0];
    let r = c.region.expect("a region claim");
    assert_eq!(
        (r.page, r.x0, r.y0, r.x1, r.y1),
        (3, 50.0, 70.0, 565.0, 135.0)
    );
    assert!(
        c.exact.contains("阿里巴巴") && c.exact.contains("信任"),
        "{}",
        c.exact
    );
    assert!(
        !c.exact.contains("开放权重与数据透明"),
        "the heading above is outside"
    );
}
