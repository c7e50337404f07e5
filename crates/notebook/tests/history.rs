//! Undo, redo, the trash and a claim's history, on a real notebook.

use std::sync::atomic::AtomicBool;

use dossier::model::{
    ClaimPatch, ClaimTarget, NewClaim, RelationKind, SearchRequest, Stance, Verdict,
};
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
        stance: Stance::Supports,
        confidence: 3,
        claimant: None,
        comment: Some("erste Fassung".into()),
        analyst: Some("mia".into()),
        hedging: Default::default(),
    })
    .unwrap()
    .id
}

/// Documents with every word of `q` (strict: no partial matches).
fn found(nb: &Notebook, q: &str) -> u32 {
    nb.flush_index().unwrap();
    nb.search(&SearchRequest {
        query: q.into(),
        limit: 10,
        all_words: true,
        ..Default::default()
    })
    .unwrap()
    .total
}

#[test]
fn undo_redo_trash_and_history_of_claims_notes_and_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = open(&tmp.path().join("n.dossier"));
    let file = tmp.path().join("a.txt");
    std::fs::write(
        &file,
        "Qwen veröffentlicht Gewichte 😀. Die Daten bleiben unklar 𠀋. Prüfungen fehlen.",
    )
    .unwrap();
    let article = nb
        .import_paths(&[file], &AtomicBool::new(false), &mut |_| {})
        .unwrap()[0]
        .id
        .clone()
        .unwrap();
    let a = claim(&nb, &article, "Qwen veröffentlicht Gewichte 😀");
    let b = claim(&nb, &article, "Die Daten bleiben unklar 𠀋");
    nb.add_relation(&b, &a, RelationKind::Qualifies, Some("teilweise"), None)
        .unwrap();
    nb.set_verdict(&a, Verdict::Disputed, Some("mia"), Some("Insider"), &[])
        .unwrap();

    // Edit, then undo restores the old comment and codes; redo brings the edit back.
    nb.update_claim(
        &a,
        &ClaimPatch {
            comment: Some("zweite Fassung".into()),
            codes: Some(vec!["Transparency".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    let undone = nb.undo().unwrap().unwrap();
    assert_eq!(
        (
            undone.entity.as_str(),
            undone.entity_id.as_str(),
            undone.action.as_str()
        ),
        ("claim", a.as_str(), "edit")
    );
    let back = nb.claim(&a).unwrap();
    assert_eq!(
        (back.comment.as_deref(), back.codes.clone()),
        (Some("erste Fassung"), vec!["Trust".to_string()])
    );
    assert_eq!(
        back.verdict,
        Verdict::Disputed,
        "the verdict survives the round trip"
    );
    assert_eq!(nb.relations(&a).unwrap().len(), 1, "so does the relation");
    nb.redo().unwrap().unwrap();
    assert_eq!(
        nb.claim(&a).unwrap().comment.as_deref(),
        Some("zweite Fassung")
    );
    assert!(nb.redo().unwrap().is_none(), "nothing left to redo");

    // Delete: into the trash; undo brings it back with relations and verdicts.
    nb.delete_claim(&a).unwrap();
    assert!(nb.claim(&a).is_err());
    assert!(nb.relations(&b).unwrap().is_empty());
    let trash = nb.trash().unwrap();
    assert_eq!(
        (
            trash.len(),
            trash[0].entity.as_str(),
            trash[0].entity_id.as_str()
        ),
        (1, "claim", a.as_str())
    );
    nb.undo().unwrap().unwrap();
    assert_eq!(nb.claim(&a).unwrap().id, a);
    assert_eq!(nb.relations(&b).unwrap().len(), 1);
    assert_eq!(nb.verdict_history(&a).unwrap().len(), 1);
    assert!(
        nb.trash().unwrap().is_empty(),
        "undoing a deletion empties its trash entry"
    );
    assert_eq!(found(&nb, "zweite Fassung"), 1, "the index follows undo");

    // A new change ends the redo chain.
    nb.undo().unwrap(); // the edit of a (before the delete) is undone…
    nb.update_claim(
        &b,
        &ClaimPatch {
            confidence: Some(5),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(nb.redo().unwrap().is_none(), "…and a new change forgets it");

    // Notes: add, edit, undo, delete, restore from the trash.
    let note = nb
        .add_note("Notiz", &format!("Siehe [[claim:{a}]]."), None)
        .unwrap();
    nb.update_note(&note.id, "Notiz", "Geändert.", None)
        .unwrap();
    nb.undo().unwrap();
    assert_eq!(
        nb.note(&note.id).unwrap().body,
        format!("Siehe [[claim:{a}]].")
    );
    nb.delete_note(&note.id).unwrap();
    let item = nb
        .trash()
        .unwrap()
        .into_iter()
        .find(|t| t.entity == dossier::model::EntityKind::Note)
        .unwrap();
    nb.restore_from_trash(&item.id).unwrap();
    let restored = nb.note(&note.id).unwrap();
    assert_eq!(
        restored.links.len(),
        1,
        "its link to the claim is resolved again"
    );
    assert!(nb.restore_from_trash(&item.id).is_err(), "restored once");

    // An article's corrected language is undone like any edit.
    nb.set_article_language(&article, "en").unwrap();
    nb.undo().unwrap();
    assert_eq!(nb.article(&article).unwrap().language, "de");

    // Articles: deleted with their claims, restored whole; the original file is kept.
    nb.delete_article(&article).unwrap();
    assert!(nb.claims(None, None).unwrap().is_empty());
    assert_eq!(
        nb.note(&note.id).unwrap().links.len(),
        0,
        "links to the deleted claim drop out"
    );
    let item = nb
        .trash()
        .unwrap()
        .into_iter()
        .find(|t| t.entity == dossier::model::EntityKind::Article)
        .unwrap();
    assert!(nb.repair().is_ok());
    nb.restore_from_trash(&item.id).unwrap();
    assert_eq!(nb.claims(Some(&article), None).unwrap().len(), 2);
    assert_eq!(nb.relations(&a).unwrap().len(), 1);
    assert_eq!(nb.note(&note.id).unwrap().links.len(), 1);
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);

    // The history of one claim: every change, oldest first.
    let h = nb.history(dossier::model::EntityKind::Claim, &a).unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(&actions[..3], &["add", "edit", "edit"], "{actions:?}");
    assert!(actions.contains(&"delete"));
}

/// Codebook changes are undone too: paths, colours and the claims' codes come back.
#[test]
fn codebook_changes_can_be_undone_and_redone() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = open(&tmp.path().join("n.dossier"));
    let file = tmp.path().join("a.txt");
    std::fs::write(
        &file,
        "Qwen veröffentlicht Gewichte 😀. Die Daten bleiben unklar 𠀋. Prüfungen fehlen.",
    )
    .unwrap();
    let article = nb
        .import_paths(&[file], &AtomicBool::new(false), &mut |_| {})
        .unwrap()[0]
        .id
        .clone()
        .unwrap();
    let a = claim(&nb, &article, "Qwen veröffentlicht Gewichte 😀");
    nb.update_claim(
        &a,
        &ClaimPatch {
            codes: Some(vec!["Trust/Security".into(), "Transparency".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    let codes_of = |id: &str| nb.claim(id).unwrap().codes;
    let paths = || {
        nb.codes()
            .unwrap()
            .into_iter()
            .map(|c| c.path)
            .collect::<Vec<_>>()
    };
    let before = paths();

    nb.rename_code("Trust", "Vertrauen").unwrap();
    assert_eq!(codes_of(&a), vec!["Transparency", "Vertrauen/Security"]);
    nb.undo().unwrap().unwrap();
    assert_eq!(codes_of(&a), vec!["Transparency", "Trust/Security"]);
    assert_eq!(paths(), before);
    assert_eq!(
        found(&nb, "code:Trust/Security"),
        1,
        "the index follows the undone rename"
    );
    nb.redo().unwrap().unwrap();
    assert_eq!(codes_of(&a), vec!["Transparency", "Vertrauen/Security"]);
    nb.undo().unwrap();

    nb.merge_code("Trust/Security", "Transparency").unwrap();
    assert_eq!(codes_of(&a), vec!["Transparency"]);
    nb.undo().unwrap();
    assert_eq!(codes_of(&a), vec!["Transparency", "Trust/Security"]);
    assert_eq!(paths(), before);

    nb.delete_code("Trust/Security", true).unwrap();
    assert_eq!(codes_of(&a), vec!["Transparency"]);
    nb.undo().unwrap();
    assert_eq!(codes_of(&a), vec!["Transparency", "Trust/Security"]);

    nb.add_code("Trust/Provenienz/Lieferkette", Some("#123456"), "neu")
        .unwrap();
    nb.update_code("Transparency", Some("#000000"), None)
        .unwrap();
    nb.undo().unwrap();
    nb.undo().unwrap();
    assert_eq!(paths(), before);
    assert_ne!(
        nb.codes()
            .unwrap()
            .iter()
            .find(|c| c.path == "Transparency")
            .unwrap()
            .color,
        "#000000"
    );
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
}
