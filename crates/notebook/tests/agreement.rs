//! Two analysts code the same article in their own notebooks; one notebook is
//! merged into the other and their agreement is computed over characters.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use dossier::model::{ClaimTarget, NewClaim, Stance};
use dossier::Notebook;

mod common;
use common::open;

const TEXT: &str = "Eins zwei drei vier fünf sechs sieben acht neun zehn 😀 𠀋 elf.";

fn code(nb: &Notebook, article: &str, quote: &str, code: &str, analyst: &str) {
    nb.add_claim(NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Quote {
            exact: quote.into(),
            occurrence: 1,
        },
        codes: vec![code.into()],
        stance: Stance::Unclear,
        confidence: 3,
        claimant: None,
        comment: None,
        analyst: Some(analyst.into()),
        hedging: Default::default(),
    })
    .unwrap();
}

fn import(nb: &Notebook, file: &Path) -> String {
    nb.import_paths(&[file.to_path_buf()], &AtomicBool::new(false), &mut |_| {})
        .unwrap()[0]
        .id
        .clone()
        .unwrap()
}

#[test]
fn merged_coding_gives_textbook_statistics_per_code_and_overall() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.txt");
    std::fs::write(&file, TEXT).unwrap();
    let mia = open(&tmp.path().join("mia.dossier"));
    let jonas = open(&tmp.path().join("jonas.dossier"));
    let a = import(&mia, &file);
    let b = import(&jonas, &file);
    code(&mia, &a, "zwei drei vier", "Trust", "mia");
    code(&mia, &a, "acht", "Transparency", "mia");
    code(&jonas, &b, "drei vier fünf", "Trust/Security", "jonas");
    code(&jonas, &b, "😀 𠀋", "Transparency", "jonas");
    // The very span mia coded, coded by jonas too: after the merge it is his own claim.
    code(&jonas, &b, "zwei drei vier", "Policy", "jonas");
    drop(jonas);

    let summary = mia
        .merge_notebook(&tmp.path().join("jonas.dossier"))
        .unwrap();
    assert!(!summary.is_empty());
    assert_eq!(
        mia.articles().unwrap().len(),
        1,
        "the same article is matched by its text"
    );
    assert_eq!(mia.claims(None, None).unwrap().len(), 5);
    let same_span = mia
        .claims(None, None)
        .unwrap()
        .into_iter()
        .filter(|c| c.exact == "zwei drei vier")
        .count();
    assert_eq!(same_span, 2, "the same words coded by both are two claims");
    // Merging again adds nothing; the other notebook was not touched.
    mia.merge_notebook(&tmp.path().join("jonas.dossier"))
        .unwrap();
    assert_eq!(mia.claims(None, None).unwrap().len(), 5);
    assert_eq!(
        open(&tmp.path().join("jonas.dossier"))
            .claims(None, None)
            .unwrap()
            .len(),
        3
    );

    let r = mia.agreement("mia", "jonas", None, None).unwrap();
    let len = TEXT.chars().count() as u64;
    assert_eq!(r.characters, len);
    assert_eq!(r.articles, vec![a.clone()]);
    let trust = &r.per_code.iter().find(|c| c.code == "Trust").unwrap().stats;
    // "zwei drei vier" [5,19) vs "drei vier fünf" [10,24) — Trust/Security counts for Trust.
    assert_eq!((trust.both, trust.only_a, trust.only_b), (9, 5, 5));
    assert_eq!(trust.neither, len - 19);
    let n = len as f64;
    let (a1, b1) = (14.0 / n, 14.0 / n);
    let po = (9.0 + (n - 19.0)) / n;
    let pe = a1 * b1 + (1.0 - a1) * (1.0 - b1);
    assert!((trust.cohen_kappa.unwrap() - (po - pe) / (1.0 - pe)).abs() < 1e-9);
    assert!((trust.percent_agreement.unwrap() - po).abs() < 1e-9);
    // Alpha by its definition: 1 - (2n-1)·(2·10) / (2·ones·zeros) with ones = 28.
    let values = 2.0 * n;
    let alpha = 1.0 - (values - 1.0) * 20.0 / (2.0 * 28.0 * (values - 28.0));
    assert!((trust.krippendorff_alpha.unwrap() - alpha).abs() < 1e-9);
    // Transparency: "acht" vs "😀 𠀋" (code points, not bytes): no overlap, kappa below zero.
    let tr = &r
        .per_code
        .iter()
        .find(|c| c.code == "Transparency")
        .unwrap()
        .stats;
    assert_eq!((tr.both, tr.only_a, tr.only_b), (0, 4, 3));
    assert!(tr.cohen_kappa.unwrap() < 0.0);
    // Overall pools the units of every code.
    let overall_units: u64 = r.per_code.iter().map(|c| c.stats.units).sum();
    assert_eq!(r.overall.units, overall_units);
    assert_eq!(
        r.overall.both,
        r.per_code.iter().map(|c| c.stats.both).sum::<u64>()
    );
    // A code filter: only that subtree.
    let only = mia
        .agreement("mia", "jonas", Some(&a), Some("Trust"))
        .unwrap();
    assert_eq!(only.per_code.len(), 1);
    assert_eq!(only.per_code[0].stats, *trust);
    // Side by side: mia's "acht", jonas's "😀 𠀋" and his Policy claim have no counterpart; the Trust claims overlap.
    assert_eq!(mia.analysts().unwrap(), vec!["jonas", "mia"]);
    let d = mia.disagreements("mia", "jonas", &a).unwrap();
    let mut seen: Vec<(String, String)> = d
        .iter()
        .map(|x| (x.only_by.clone(), x.claim.exact.clone()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("jonas".to_string(), "zwei drei vier".to_string()),
            ("jonas".to_string(), "😀 𠀋".to_string()),
            ("mia".to_string(), "acht".to_string())
        ]
    );
    // Clear refusals.
    assert!(mia.agreement("mia", "mia", None, None).is_err());
    assert!(mia.agreement("mia", "nobody", None, None).is_err());
    assert!(mia
        .merge_notebook(&tmp.path().join("missing.dossier"))
        .is_err());
    assert!(mia.merge_notebook(&tmp.path().join("mia.dossier")).is_err());
    mia.flush_index().unwrap();
    assert!(
        mia.check().unwrap().ok,
        "{:?}",
        mia.check().unwrap().problems
    );
}
