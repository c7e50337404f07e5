//! New versions of an article on a real notebook: claims carried exactly,
//! re-anchored to changed text, or orphaned into the review queue; nothing lost.

use std::sync::atomic::AtomicBool;

use dossier::model::{AnchorStatus, ClaimTarget, ImportStatus, NewClaim, SearchRequest, Stance};
use dossier::Notebook;

mod common;
use common::open;

fn claim(nb: &Notebook, article: &str, quote: &str) -> String {
    nb.add_claim(NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Quote {
            exact: quote.into(),
            occurrence: 1,
        },
        codes: vec!["Trust".into()],
        stance: Stance::Contests,
        confidence: 4,
        claimant: Some("Tencent".into()),
        comment: Some("Version 1".into()),
        analyst: Some("mia".into()),
        hedging: Default::default(),
    })
    .unwrap()
    .id
}

const V1: &str = "<html><head><title>Hunyuan offen?</title><link rel=canonical href=\"https://example.org/hunyuan\"></head><body><article>\
<p>Tencent veröffentlicht Hunyuan mit offenen Gewichten 😀.</p>\
<p>Die Trainingsdaten bleiben unbekannt.</p>\
<p>Unabhängige Prüfungen fehlen bisher völlig.</p>\
<p>Der Exportkontrolle zum Trotz wächst die Rechenleistung 𠀋.</p></article></body></html>";

const V2: &str = "<html><head><title>Hunyuan offen? (aktualisiert)</title><link rel=canonical href=\"https://example.org/hunyuan\"></head><body><article>\
<p>Update: Tencent hat nachgebessert.</p>\
<p>Tencent veröffentlicht Hunyuan mit offenen Gewichten 😀.</p>\
<p>Die Trainingsdaten bleiben weitgehend unbekannt.</p>\
<p>Der Exportkontrolle zum Trotz wächst die Rechenleistung 𠀋.</p></article></body></html>";

#[test]
fn a_new_version_carries_claims_exact_changed_or_orphaned() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = open(&tmp.path().join("n.dossier"));
    let v1 = tmp.path().join("v1.html");
    std::fs::write(&v1, V1).unwrap();
    let old = nb
        .import_paths(&[v1], &AtomicBool::new(false), &mut |_| {})
        .unwrap()[0]
        .id
        .clone()
        .unwrap();
    let same = claim(&nb, &old, "offenen Gewichten 😀");
    let edited = claim(&nb, &old, "Die Trainingsdaten bleiben unbekannt");
    let gone = claim(&nb, &old, "Unabhängige Prüfungen fehlen bisher völlig");
    let moved = claim(&nb, &old, "wächst die Rechenleistung 𠀋");

    let v2 = tmp.path().join("v2.html");
    std::fs::write(&v2, V2).unwrap();
    let report = nb.import_new_version(&v2, &old).unwrap();
    assert_eq!(
        (report.exact, report.changed, report.orphaned),
        (2, 1, 1),
        "{report:?}"
    );
    let new = report.article_id.clone();
    assert_eq!(
        nb.article_versions(&old).unwrap(),
        vec![old.clone(), new.clone()]
    );
    assert_eq!(
        nb.article_versions(&new).unwrap(),
        vec![old.clone(), new.clone()]
    );

    let text = nb.article(&new).unwrap().text;
    let slice = |s: u32, e: u32| {
        text.chars()
            .skip(s as usize)
            .take((e - s) as usize)
            .collect::<String>()
    };
    for (id, status) in [
        (&same, AnchorStatus::Exact),
        (&moved, AnchorStatus::Exact),
        (&edited, AnchorStatus::Changed),
    ] {
        let c = nb.claim(id).unwrap();
        assert_eq!(c.article_id, new, "{id}");
        assert_eq!(c.anchor_status, status, "{id}");
        assert_eq!(
            slice(c.start, c.end),
            c.exact,
            "positions are code points in the new text"
        );
        assert_eq!(c.codes, vec!["Trust"], "attributes travel with the claim");
        assert_eq!(c.comment.as_deref(), Some("Version 1"));
    }
    let e = nb.claim(&edited).unwrap();
    assert_eq!(e.exact, "Die Trainingsdaten bleiben weitgehend unbekannt");
    assert_eq!(
        e.original_exact.as_deref(),
        Some("Die Trainingsdaten bleiben unbekannt")
    );

    // The orphan stays on the old version, in the review queue.
    let o = nb.claim(&gone).unwrap();
    assert_eq!(
        (o.article_id.as_str(), o.anchor_status),
        (old.as_str(), AnchorStatus::Orphaned)
    );
    assert_eq!(
        nb.orphaned_claims()
            .unwrap()
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        vec![gone.clone()]
    );
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);

    // Re-attach it to a passage of the new version.
    let r = nb
        .reattach_claim(
            &gone,
            &ClaimTarget::Quote {
                exact: "Tencent hat nachgebessert".into(),
                occurrence: 1,
            },
        )
        .unwrap();
    assert_eq!(
        (r.article_id.as_str(), r.anchor_status),
        (new.as_str(), AnchorStatus::Changed)
    );
    assert_eq!(
        r.original_exact.as_deref(),
        Some("Unabhängige Prüfungen fehlen bisher völlig")
    );
    assert!(nb.orphaned_claims().unwrap().is_empty());
    nb.flush_index().unwrap();
    let hits = nb
        .search(&SearchRequest {
            query: "nachgebessert".into(),
            kind: Some(dossier::model::Kind::Claim),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.hits[0].id, gone);
    assert_eq!(hits.hits[0].article_id.as_deref(), Some(new.as_str()));
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok);

    // Nothing was lost: four claims, the old article still there.
    assert_eq!(nb.claims(None, None).unwrap().len(), 4);
    nb.article(&old).unwrap();
    // A version cannot be replaced twice, nor an article replace itself.
    assert!(nb
        .import_new_version(&tmp.path().join("v2.html"), &old)
        .is_err());
    assert!(nb.carry_claims(&new, &new).is_err());
}

#[test]
fn orphans_can_be_dismissed_and_the_same_address_suggests_a_version() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = open(&tmp.path().join("n.dossier"));
    let v1 = tmp.path().join("v1.html");
    std::fs::write(&v1, V1).unwrap();
    let old = nb
        .import_paths(&[v1], &AtomicBool::new(false), &mut |_| {})
        .unwrap()[0]
        .id
        .clone()
        .unwrap();
    let gone = claim(&nb, &old, "Unabhängige Prüfungen fehlen bisher völlig");
    // Imported plainly, the new file is recognised by its address.
    let v2 = tmp.path().join("v2.html");
    std::fs::write(&v2, V2).unwrap();
    let out = nb
        .import_paths(&[v2], &AtomicBool::new(false), &mut |_| {})
        .unwrap();
    assert_eq!(out[0].status, ImportStatus::Imported);
    assert_eq!(out[0].replaces_candidate.as_deref(), Some(old.as_str()));
    let new = out[0].id.clone().unwrap();
    let report = nb.carry_claims(&old, &new).unwrap();
    assert_eq!(report.orphaned, 1);
    let d = nb.dismiss_orphan(&gone).unwrap();
    assert_eq!(
        (d.article_id.as_str(), d.anchor_status),
        (old.as_str(), AnchorStatus::Dismissed)
    );
    assert!(nb.orphaned_claims().unwrap().is_empty());
    assert!(
        nb.dismiss_orphan(&gone).is_err(),
        "only orphans can be dismissed"
    );
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
}
