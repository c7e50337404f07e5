//! Relations between claims, hedging and verdicts with history, on a real notebook.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use dossier::model::{
    ClaimPatch, ClaimTarget, ErrorCode, Evidence, ExportFormat, ExportScope, Hedging, Kind,
    NewClaim, RelationKind, SearchRequest, Stance, Verdict,
};
use dossier::Notebook;

mod common;
use common::open;

fn article(nb: &Notebook, dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    nb.import_paths(&[p], &AtomicBool::new(false), &mut |_| {})
        .unwrap()[0]
        .id
        .clone()
        .unwrap()
}

fn claim(nb: &Notebook, article: &str, quote: &str, hedging: Hedging) -> String {
    nb.add_claim(NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Quote {
            exact: quote.into(),
            occurrence: 1,
        },
        codes: vec!["Transparency/Open weights".into()],
        stance: Stance::Supports,
        confidence: 3,
        claimant: None,
        comment: None,
        analyst: Some("mia".into()),
        hedging,
    })
    .unwrap()
    .id
}

fn search(nb: &Notebook, q: &str) -> Vec<String> {
    nb.flush_index().unwrap();
    nb.search(&SearchRequest {
        query: q.into(),
        kind: Some(Kind::Claim),
        limit: 50,
        ..Default::default()
    })
    .unwrap()
    .hits
    .into_iter()
    .map(|h| h.id)
    .collect()
}

#[test]
fn relations_hedging_and_verdicts() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = open(&tmp.path().join("n.dossier"));
    let a = article(
        &nb,
        tmp.path(),
        "a.txt",
        "Qwen veröffentlicht alle Gewichte offen. Ob die Daten sauber sind, bleibt abzuwarten.",
    );
    let b = article(
        &nb,
        tmp.path(),
        "b.txt",
        "Alibaba hält einige Gewichte zurück, sagen Insider.",
    );
    let open_claim = claim(
        &nb,
        &a,
        "Qwen veröffentlicht alle Gewichte offen",
        Hedging::Asserted,
    );
    let hedged = claim(
        &nb,
        &a,
        "Ob die Daten sauber sind, bleibt abzuwarten",
        Hedging::Hedged,
    );
    let insider = claim(
        &nb,
        &b,
        "Alibaba hält einige Gewichte zurück",
        Hedging::Speculative,
    );

    // A relation across articles, shown on both claims, searchable by its comment and kind.
    let r = nb
        .add_relation(
            &insider,
            &open_claim,
            RelationKind::Contradicts,
            Some("Insider widersprechen der Pressemitteilung"),
            Some("mia"),
        )
        .unwrap();
    assert_eq!(nb.relations(&open_claim).unwrap(), vec![r.clone()]);
    assert_eq!(nb.relations(&insider).unwrap(), vec![r.clone()]);
    let dup = nb
        .add_relation(&insider, &open_claim, RelationKind::Contradicts, None, None)
        .unwrap_err();
    assert_eq!(dup.code, ErrorCode::Conflict);
    assert!(nb
        .add_relation(&insider, &insider, RelationKind::Repeats, None, None)
        .is_err());
    assert!(nb
        .add_relation(&insider, "nope", RelationKind::Repeats, None, None)
        .is_err());
    let mut both = search(&nb, "Pressemitteilung");
    both.sort();
    let mut expected = vec![open_claim.clone(), insider.clone()];
    expected.sort();
    assert_eq!(both, expected, "the comment finds the claims at both ends");
    assert_eq!(search(&nb, "relation:contradicts").len(), 2);
    assert_eq!(search(&nb, "hedging:hedged"), vec![hedged.clone()]);
    assert_eq!(search(&nb, "hedging:speculative"), vec![insider.clone()]);

    // Verdicts keep their history with evidence.
    let note = nb
        .add_note("Quelle", "Pressemitteilung von Alibaba, 2024.", None)
        .unwrap();
    let v1 = nb
        .set_verdict(
            &open_claim,
            Verdict::Disputed,
            Some("mia"),
            Some("Insider sagen anderes"),
            &[Evidence {
                kind: "claim".into(),
                target: insider.clone(),
            }],
        )
        .unwrap();
    assert_eq!(v1.verdict, Verdict::Disputed);
    nb.set_verdict(
        &open_claim,
        Verdict::Refuted,
        Some("jonas"),
        None,
        &[
            Evidence {
                kind: "note".into(),
                target: note.id.clone(),
            },
            Evidence {
                kind: "url".into(),
                target: "https://example.org/qwen".into(),
            },
        ],
    )
    .unwrap();
    let history = nb.verdict_history(&open_claim).unwrap();
    assert_eq!(
        history.iter().map(|h| h.verdict).collect::<Vec<_>>(),
        vec![Verdict::Disputed, Verdict::Refuted]
    );
    assert_eq!(history[0].analyst.as_deref(), Some("mia"));
    assert_eq!(history[1].evidence.len(), 2);
    assert_eq!(search(&nb, "verdict:refuted"), vec![open_claim.clone()]);
    assert!(nb
        .set_verdict(
            &open_claim,
            Verdict::Supported,
            None,
            None,
            &[Evidence {
                kind: "claim".into(),
                target: "gone".into()
            }]
        )
        .is_err());
    assert!(nb
        .set_verdict(
            &open_claim,
            Verdict::Supported,
            None,
            None,
            &[Evidence {
                kind: "url".into(),
                target: "javascript:alert(1)".into()
            }]
        )
        .is_err());
    assert_eq!(
        nb.claim(&open_claim).unwrap().verdict,
        Verdict::Refuted,
        "a refused verdict changes nothing"
    );
    assert!(
        dossier::parse_evidence("claim:abc").is_ok() && dossier::parse_evidence("ftp://x").is_err()
    );

    // Hedging can be corrected.
    let h = nb
        .update_claim(
            &hedged,
            &ClaimPatch {
                hedging: Some(Hedging::Speculative),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(h.hedging, Hedging::Speculative);

    // Exported: CSV columns and Markdown lines.
    let csv = tmp.path().join("c.csv");
    nb.export(ExportFormat::Csv, &csv, &ExportScope::default(), false)
        .unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text
        .lines()
        .next()
        .unwrap()
        .ends_with("hedging,verdict,relations,translations,link"));
    assert!(
        text.contains(&format!("speculative,unverified,contradicts:{open_claim}")),
        "{text}"
    );
    assert!(text.contains("asserted,refuted,"));
    let md = tmp.path().join("m.md");
    nb.export(ExportFormat::Markdown, &md, &ExportScope::default(), false)
        .unwrap();
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains(&format!(
            "- **contradicts** claim `{open_claim}` — Insider widersprechen"
        )),
        "{md}"
    );
    assert!(md.contains("**Verdict:** refuted"));

    // Deleting a relation or a claim removes the relation from both ends.
    nb.delete_relation(&r.id).unwrap();
    assert!(nb.relations(&open_claim).unwrap().is_empty());
    assert!(search(&nb, "relation:contradicts").is_empty());
    nb.add_relation(&hedged, &open_claim, RelationKind::Qualifies, None, None)
        .unwrap();
    nb.delete_claim(&hedged).unwrap();
    assert!(nb.relations(&open_claim).unwrap().is_empty());
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
}
