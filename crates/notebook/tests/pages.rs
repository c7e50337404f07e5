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
    assert!(nb.page_layout(&id, 4).is_err() && nb.page_layout(&id, 0).is_err());

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
