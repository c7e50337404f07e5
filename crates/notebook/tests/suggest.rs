//! The claim suggester on a hand-labelled set of our own articles (German,
//! English, Chinese): precision and recall, accept and dismiss.

use std::sync::atomic::AtomicBool;

use dossier::model::Hedging;
use dossier::Notebook;

mod common;
use common::open;

#[derive(serde::Deserialize)]
struct Set {
    articles: Vec<Labelled>,
}

#[derive(serde::Deserialize)]
struct Labelled {
    name: String,
    text: String,
    claims: Vec<Label>,
}

#[derive(serde::Deserialize)]
struct Label {
    exact: String,
    codes: Vec<String>,
}

fn labelled_set() -> Set {
    serde_json::from_str(include_str!("fixtures/suggest-labelled.json")).unwrap()
}

#[test]
fn precision_and_recall_on_the_labelled_set_then_accept_and_dismiss() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = open(&tmp.path().join("n.dossier"));
    let mut all_suggestions = 0;
    let (mut correct, mut found, mut labelled) = (0, 0, 0);
    let mut ids = Vec::new();
    for a in labelled_set().articles {
        let p = tmp.path().join(&a.name);
        std::fs::write(&p, &a.text).unwrap();
        let id = nb
            .import_paths(&[p], &AtomicBool::new(false), &mut |_| {})
            .unwrap()[0]
            .id
            .clone()
            .unwrap();
        let text = nb.article(&id).unwrap().text;
        let labels: Vec<(u32, u32, Vec<String>)> = a
            .claims
            .iter()
            .map(|l| {
                let anchor = dossier::model::Anchor::from_quote(&text, &l.exact, 1).unwrap();
                (anchor.start, anchor.end, l.codes.clone())
            })
            .collect();
        let suggestions = nb.suggest(&id).unwrap();
        for s in &suggestions {
            // Every suggestion says why, and its offsets are code points of the text.
            assert!(!s.rule.is_empty());
            assert_eq!(
                dossier::model::Anchor::from_range(&text, s.start, s.end)
                    .unwrap()
                    .exact,
                s.exact
            );
        }
        let sc = dossier::suggest::score(&suggestions, &labels);
        println!("{}: {sc:?}", a.name);
        all_suggestions += sc.suggestions;
        correct += sc.correct_suggestions;
        found += sc.found_claims;
        labelled += sc.labelled;
        ids.push(id);
    }
    let precision = correct as f64 / all_suggestions as f64;
    let recall = found as f64 / labelled as f64;
    println!("overall: precision {precision:.2}, recall {recall:.2} ({correct}/{all_suggestions} suggestions right, {found}/{labelled} claims found)");
    assert!(recall >= 0.9, "recall {recall}");
    assert!(precision >= 0.8, "precision {precision}");

    // Accepting makes a claim with the suggestion's codes and hedging; dismissing is remembered.
    let id = &ids[0];
    let before = nb.suggest(id).unwrap();
    let hedged = before
        .iter()
        .find(|s| s.hedging == Hedging::Hedged)
        .expect("a hedged suggestion")
        .clone();
    let claim = nb.accept_suggestion(id, &hedged, Some("mia")).unwrap();
    assert_eq!(
        (claim.codes.clone(), claim.hedging, claim.exact.clone()),
        (hedged.codes.clone(), Hedging::Hedged, hedged.exact.clone())
    );
    let other = before
        .iter()
        .find(|s| s.start != hedged.start)
        .unwrap()
        .clone();
    nb.dismiss_suggestion(id, &other).unwrap();
    let after = nb.suggest(id).unwrap();
    assert_eq!(
        after.len(),
        before.len() - 2,
        "neither the claimed nor the dismissed sentence comes back"
    );
    assert!(nb.is_dismissed(id, &other).unwrap());
    let mut stale = other.clone();
    stale.exact.push('x');
    assert!(
        nb.accept_suggestion(id, &stale, None).is_err(),
        "a suggestion must match the text"
    );
}

/// Held out: the sample article and its claims were written before the
/// lexicon, by hand; the suggester never saw them.
#[test]
fn precision_and_recall_on_the_sample_article_held_out() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::init(&tmp.path().join("n.dossier"), true).unwrap();
    let article = nb.articles().unwrap()[0].id.clone();
    let text = nb.article(&article).unwrap().text;
    let labels: Vec<(u32, u32, Vec<String>)> = nb
        .claims(Some(&article), None)
        .unwrap()
        .into_iter()
        .map(|c| (c.start, c.end, c.codes))
        .collect();
    let sc = dossier::suggest::score(&dossier::suggest::suggest_in(&text), &labels);
    println!("sample article (held out): {sc:?}");
    assert!(sc.recall >= 0.5, "{sc:?}");
    // The sample's claims do not label every relevant sentence: precision here is a floor.
    assert!(sc.precision >= 0.2, "{sc:?}");
}
