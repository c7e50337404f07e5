//! The façade end to end, on a real notebook folder: SQLite file, tantivy index, sources.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use dossier::model::{
    ClaimPatch, ClaimTarget, ErrorCode, ExportFormat, ExportScope, ImportStatus, Kind, LinkKind,
    NewClaim, SearchRequest, Stance,
};
use dossier::{Notebook, OpenOptions};

fn import(nb: &Notebook, dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    let out = nb
        .import_paths(&[path], &AtomicBool::new(false), &mut |_| {})
        .unwrap();
    assert_eq!(out[0].status, ImportStatus::Imported, "{:?}", out[0]);
    out[0].id.clone().unwrap()
}

/// Polls `cond` for up to 10 s: for what a background thread does "soon".
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !cond() {
        assert!(std::time::Instant::now() < deadline, "timed out: {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn search(nb: &Notebook, q: &str) -> Vec<(Kind, String)> {
    nb.flush_index().unwrap();
    let r = nb
        .search(&SearchRequest {
            query: q.into(),
            limit: 50,
            ..Default::default()
        })
        .unwrap();
    r.hits.into_iter().map(|h| (h.kind, h.id)).collect()
}

fn claim(nb: &Notebook, article: &str, quote: &str, codes: &[&str]) -> dossier::model::Claim {
    nb.add_claim(NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Quote {
            exact: quote.into(),
            occurrence: 1,
        },
        codes: codes.iter().map(|c| c.to_string()).collect(),
        stance: Stance::Supports,
        confidence: 4,
        claimant: Some("Alibaba".into()),
        comment: Some("zu prüfen".into()),
        analyst: Some("ana".into()),
        hedging: Default::default(),
    })
    .unwrap()
}

const DE_ARTICLE: &str = "# Offene Modelle im Test\n\nDie neuen Modelle von Qwen sind frei verfügbar.\n\nDie Datenintegrität der Trainingsdaten bleibt unklar.";
const EN_ARTICLE: &str = "# Auditing open models\n\nIndependent auditors audit the weights of ERNIE.\n\nTrust requires documentation.";
const ZH_ARTICLE: &str = "# 开源模型的透明度\n\n开源模型的透明度仍然有限，用户对数据完整性缺乏信任。\n\n腾讯混元模型公开了权重。";

#[test]
fn import_claim_note_search_export_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let id = import(&nb, tmp.path(), "de.md", DE_ARTICLE);
    let article = nb.article(&id).unwrap();
    assert_eq!(article.language, "de");
    assert_eq!(article.title, "Offene Modelle im Test");
    // The original bytes are kept under their hash.
    let kept = std::fs::read(tmp.path().join("n.dossier/sources").join(&article.sha256)).unwrap();
    assert_eq!(kept, DE_ARTICLE.as_bytes());

    let c = claim(
        &nb,
        &id,
        "Die Datenintegrität der Trainingsdaten bleibt unklar.",
        &["Trust/Data integrity"],
    );
    assert_eq!(c.codes, vec!["Trust/Data integrity"]);
    assert_eq!(
        &article
            .text
            .chars()
            .skip(c.start as usize)
            .take((c.end - c.start) as usize)
            .collect::<String>(),
        &c.exact
    );

    let note = nb
        .add_note(
            "Beobachtung",
            &format!("Siehe [[claim:{}]] und [[Offene Modelle im Test]].", c.id),
            None,
        )
        .unwrap();
    let kinds: Vec<LinkKind> = note.links.iter().map(|l| l.kind).collect();
    assert!(
        kinds.contains(&LinkKind::Claim) && kinds.contains(&LinkKind::Article),
        "{:?}",
        note.links
    );
    assert_eq!(nb.claim_backlinks(&c.id).unwrap().len(), 1);
    assert_eq!(
        nb.notes(Some(&id)).unwrap().len(),
        1,
        "a note linking to the article belongs to it"
    );

    let hits = search(&nb, "Datenintegrität");
    assert!(hits.contains(&(Kind::Article, id.clone())));
    assert!(hits.contains(&(Kind::Claim, c.id.clone())));
    assert!(search(&nb, "Beobachtung").contains(&(Kind::Note, note.id.clone())));
    // A claim is found by its code and its comment.
    assert!(search(&nb, "integrity").contains(&(Kind::Claim, c.id.clone())));
    assert!(search(&nb, "prüfen").contains(&(Kind::Claim, c.id.clone())));

    let out = tmp.path().join("export");
    let files = nb
        .export(ExportFormat::Markdown, &out, &ExportScope::default(), false)
        .unwrap();
    assert_eq!(files.len(), 1);
    let md = std::fs::read_to_string(&files[0]).unwrap();
    assert!(md.starts_with("---\ntitle: \"Offene Modelle im Test\"\n"));
    assert!(md.contains(&format!("sha256: \"{}\"", article.sha256)));
    assert!(md.contains("> Die Datenintegrität der Trainingsdaten bleibt unklar."));
    assert!(
        md.contains("`Trust/Data integrity`")
            && md.contains("**Stance:** supports · **Confidence:** 4/5")
    );
    assert!(
        md.contains("### Beobachtung"),
        "linked notes are exported with the article"
    );
    // Never overwrite without being told.
    let err = nb
        .export(ExportFormat::Markdown, &out, &ExportScope::default(), false)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    nb.export(ExportFormat::Markdown, &out, &ExportScope::default(), true)
        .unwrap();

    let csv_path = tmp.path().join("claims.csv");
    nb.export(
        ExportFormat::Csv,
        &csv_path,
        &ExportScope {
            code: Some("Trust".into()),
            article_id: None,
        },
        false,
    )
    .unwrap();
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 2, "header + one claim: {csv}");
    assert!(lines[0]
        .starts_with("article_id,article_title,source,claim_id,quote,start,end,page,region,codes"));
    assert!(lines[1].contains(&format!(",{},{},", c.start, c.end)));

    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
}

#[test]
fn csv_neutralises_formulas() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let id = import(
        &nb,
        tmp.path(),
        "f.txt",
        "=HYPERLINK(\"http://evil\") steht hier.\n\nZweiter Absatz.",
    );
    let c = nb
        .add_claim(NewClaim {
            article_id: id,
            target: ClaimTarget::Quote {
                exact: "=HYPERLINK(\"http://evil\")".into(),
                occurrence: 1,
            },
            codes: vec![],
            stance: Stance::Neutral,
            confidence: 1,
            claimant: Some("@attacker".into()),
            comment: Some("-1+1".into()),
            analyst: None,
            hedging: Default::default(),
        })
        .unwrap();
    let p = tmp.path().join("x.csv");
    nb.export(ExportFormat::Csv, &p, &ExportScope::default(), false)
        .unwrap();
    let csv = std::fs::read_to_string(&p).unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{csv}"
    );
    assert!(csv.contains(",'@attacker,'-1+1,"), "{csv}");
    assert!(!csv.contains(",=") && !csv.contains(",@") && !csv.contains(",-1"));
    assert_eq!(c.confidence, 1);
}

#[test]
fn search_in_german_english_and_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let de = import(&nb, tmp.path(), "de.md", DE_ARTICLE);
    let en = import(&nb, tmp.path(), "en.md", EN_ARTICLE);
    let zh = import(&nb, tmp.path(), "zh.md", ZH_ARTICLE);
    assert_eq!(nb.article(&en).unwrap().language, "en");
    assert_eq!(nb.article(&zh).unwrap().language, "zh");

    // German stemming: the singular finds the plural; umlaut folding both ways.
    assert!(search(&nb, "Modell").contains(&(Kind::Article, de.clone())));
    assert!(search(&nb, "Datenintegritat").contains(&(Kind::Article, de.clone())));
    // English stemming.
    assert!(search(&nb, "audit").contains(&(Kind::Article, en.clone())));
    assert!(search(&nb, "auditing").contains(&(Kind::Article, en.clone())));
    // Chinese: two-character words inside running text, and a single character.
    for word in ["透明", "信任", "完整性", "混元", "权"] {
        assert!(
            search(&nb, word).contains(&(Kind::Article, zh.clone())),
            "{word}"
        );
    }
    assert!(
        !search(&nb, "透信").contains(&(Kind::Article, zh.clone())),
        "characters must be adjacent"
    );
    // Filters and query syntax.
    nb.flush_index().unwrap();
    let only_en = nb
        .search(&SearchRequest {
            query: "models".into(),
            language: Some("en".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(only_en.hits.iter().all(|h| h.id == en));
    assert_eq!(search(&nb, "Qwen -Modelle"), vec![]);
    assert_eq!(
        search(&nb, "\"Independent auditors\""),
        vec![(Kind::Article, en.clone())]
    );
    assert_eq!(search(&nb, "\"auditors Independent\""), vec![]);
    let either = search(&nb, "Qwen OR ERNIE");
    assert!(
        either.contains(&(Kind::Article, de.clone()))
            && either.contains(&(Kind::Article, en.clone()))
    );
    // Malformed queries do not fail.
    for q in ["\"unclosed", "-", "OR", "code:", "((", "kind:nonsense"] {
        nb.search(&SearchRequest {
            query: q.into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    }
    // Snippets mark the match.
    let r = nb
        .search(&SearchRequest {
            query: "信任".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert!(
        r.hits[0].snippet.contains("<mark>信任</mark>"),
        "{}",
        r.hits[0].snippet
    );
    assert_eq!(r.hits[0].title, "开源模型的透明度");
}

#[test]
fn offsets_count_code_points_with_emoji_and_cjk_beyond_the_bmp() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let text = "Einleitung 😀🇩🇪 und 𠀋𡈽 stehen davor.\n\nQwen veröffentlicht Gewichte.";
    let id = import(&nb, tmp.path(), "emoji.txt", text);
    let c = claim(&nb, &id, "Qwen veröffentlicht Gewichte.", &[]);
    let canonical = nb.article(&id).unwrap().text;
    let expected = canonical[..canonical.find("Qwen").unwrap()].chars().count() as u32;
    assert_eq!(c.start, expected);
    assert_eq!(c.end, expected + 29);
    assert!(c.prefix.contains("𡈽"));
    // The same claim by explicit range.
    let r = nb
        .add_claim(NewClaim {
            article_id: id.clone(),
            target: ClaimTarget::Range {
                start: c.start,
                end: c.end,
            },
            codes: vec![],
            stance: Stance::Unclear,
            confidence: 3,
            claimant: None,
            comment: None,
            analyst: None,
            hedging: Default::default(),
        })
        .unwrap();
    assert_eq!(
        (r.exact.as_str(), r.prefix.as_str(), r.suffix.as_str()),
        (c.exact.as_str(), c.prefix.as_str(), c.suffix.as_str())
    );
    let hits = nb.search(&SearchRequest {
        query: "Gewichte".into(),
        kind: Some(Kind::Article),
        limit: 1,
        ..Default::default()
    });
    nb.flush_index().unwrap();
    let hits = hits
        .and_then(|_| {
            nb.search(&SearchRequest {
                query: "Gewichte".into(),
                kind: Some(Kind::Article),
                limit: 1,
                ..Default::default()
            })
        })
        .unwrap();
    assert_eq!(
        hits.hits[0].position,
        Some(expected + 20),
        "search positions are code points too"
    );
}

#[test]
fn duplicate_import_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let id = import(&nb, tmp.path(), "a.md", DE_ARTICLE);
    std::fs::write(tmp.path().join("copy.md"), DE_ARTICLE).unwrap();
    let before = nb.info().unwrap();
    let out = nb
        .import_paths(
            &[tmp.path().join("copy.md")],
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(out[0].status, ImportStatus::Duplicate);
    assert_eq!(out[0].id.as_deref(), Some(id.as_str()));
    assert_eq!(nb.info().unwrap(), before);
}

#[test]
fn folders_import_recursively_and_bad_files_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("in");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("a.md"), DE_ARTICLE).unwrap();
    std::fs::write(
        src.join("sub/b.html"),
        "<html><head><title>B</title></head><body><p>Trust and transparency.</p></body></html>",
    )
    .unwrap();
    std::fs::write(src.join("sub/c.bin"), [0u8, 1, 2]).unwrap();
    std::fs::write(src.join(".hidden.md"), "ignored").unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let out = nb
        .import_paths(
            &[src.clone(), tmp.path().join("missing.txt")],
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    let statuses: Vec<(String, ImportStatus)> = out
        .iter()
        .map(|o| {
            (
                Path::new(&o.path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                o.status,
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("missing.txt".into(), ImportStatus::Failed),
            ("a.md".into(), ImportStatus::Imported),
            ("b.html".into(), ImportStatus::Imported),
            ("c.bin".into(), ImportStatus::Failed)
        ]
    );
    assert!(out[3].error.as_deref().unwrap().contains("unsupported"));
    assert_eq!(nb.articles().unwrap().len(), 2);
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
}

#[test]
fn bad_input_is_refused_and_nothing_is_half_written() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let id = import(&nb, tmp.path(), "a.md", DE_ARTICLE);
    let mk = |article: &str, quote: &str, codes: Vec<String>, confidence: u8| NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Quote {
            exact: quote.into(),
            occurrence: 1,
        },
        codes,
        stance: Stance::Neutral,
        confidence,
        claimant: None,
        comment: None,
        analyst: None,
        hedging: Default::default(),
    };
    let before = nb.info().unwrap();
    assert_eq!(
        nb.add_claim(mk("nope", "Qwen", vec![], 3))
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    assert_eq!(
        nb.add_claim(mk(&id, "ERNIE", vec![], 3)).unwrap_err().code,
        ErrorCode::QuoteNotFound
    );
    assert_eq!(
        nb.add_claim(mk(&id, "Qwen", vec!["No/Such".into()], 3))
            .unwrap_err()
            .code,
        ErrorCode::UnknownCode
    );
    assert_eq!(
        nb.add_claim(mk(&id, "Qwen", vec![], 9)).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        nb.update_claim("nope", &ClaimPatch::default())
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    assert_eq!(
        nb.add_note(" ", "x", None).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        nb.add_note("t", "x", Some("nope")).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        nb.add_code("Trust", None, "").unwrap_err().code,
        ErrorCode::Conflict
    );
    assert_eq!(
        nb.add_code("a//b", None, "").unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        nb.add_code("Neu", Some("red"), "").unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        nb.rename_code("Nope", "x").unwrap_err().code,
        ErrorCode::UnknownCode
    );
    assert_eq!(nb.article("nope").unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(
        nb.delete_claim("nope").unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(nb.info().unwrap(), before);
}

#[test]
fn code_changes_reach_the_claims_in_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let id = import(&nb, tmp.path(), "a.md", DE_ARTICLE);
    let c = claim(&nb, &id, "Qwen", &["Trust/Security"]);
    let by_code = |code: &str| {
        nb.flush_index().unwrap();
        nb.search(&SearchRequest {
            query: String::new(),
            code: Some(code.into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .hits
        .len()
    };
    assert_eq!(
        by_code("Trust"),
        1,
        "a parent code filter includes its children"
    );
    nb.rename_code("Trust/Security", "Sicherheit").unwrap();
    assert_eq!(by_code("Trust/Sicherheit"), 1);
    assert_eq!(by_code("Trust/Security"), 0);
    assert_eq!(nb.claim(&c.id).unwrap().codes, vec!["Trust/Sicherheit"]);
    assert_eq!(
        nb.delete_code("Trust/Sicherheit", false).unwrap_err().code,
        ErrorCode::Conflict
    );
    nb.delete_code("Trust/Sicherheit", true).unwrap();
    assert!(
        nb.claim(&c.id).unwrap().codes.is_empty(),
        "the claim stays, without the code"
    );
    assert_eq!(by_code("Trust"), 0);
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
}

#[test]
fn the_library_filter_by_code_lists_each_article_once_including_codes_below() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let a = import(&nb, tmp.path(), "a.md", DE_ARTICLE);
    let b = import(
        &nb,
        tmp.path(),
        "b.md",
        "# B\n\nQwen und Vertrauen, zweiter Text.",
    );
    import(&nb, tmp.path(), "c.md", "# C\n\nQwen ohne Behauptungen.");
    nb.add_code("Trust/Security/Backdoors", None, "").unwrap();
    claim(&nb, &a, "Qwen", &["Trust/Security"]);
    claim(&nb, &a, "Datenintegrität", &["Trust/Security/Backdoors"]);
    claim(&nb, &b, "Vertrauen", &["Trust/Security/Backdoors"]);
    let with = |code: &str| {
        let mut ids = nb.articles_with_code(code).unwrap();
        ids.sort();
        ids
    };
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(
        with("Trust/Security"),
        both,
        "descendants count, each article once"
    );
    assert_eq!(with("Trust/Security/Backdoors"), both);
    assert_eq!(with("Trust"), both);
    assert!(with("Transparency").is_empty());
    assert_eq!(
        nb.articles_with_code("Nope").unwrap_err().code,
        ErrorCode::UnknownCode
    );
}

#[test]
fn merging_codes_moves_claims_and_sub_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::open(&tmp.path().join("n.dossier")).unwrap();
    let id = import(&nb, tmp.path(), "a.md", DE_ARTICLE);
    nb.add_code("Trust/Security/Backdoors", None, "").unwrap();
    let a = claim(&nb, &id, "Qwen", &["Trust/Security"]);
    let b = claim(
        &nb,
        &id,
        "Datenintegrität",
        &["Trust/Security", "Trust/Data integrity"],
    );
    let merged = nb
        .merge_code("Trust/Security", "Trust/Data integrity")
        .unwrap();
    assert_eq!(merged.claim_count, 2);
    assert_eq!(nb.claim(&a.id).unwrap().codes, vec!["Trust/Data integrity"]);
    assert_eq!(
        nb.claim(&b.id).unwrap().codes,
        vec!["Trust/Data integrity"],
        "no duplicate code on a claim"
    );
    let paths: Vec<String> = nb.codes().unwrap().into_iter().map(|c| c.path).collect();
    assert!(
        paths.contains(&"Trust/Data integrity/Backdoors".to_string()),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.starts_with("Trust/Security")));
    assert_eq!(
        nb.merge_code("Trust", "Trust/Data integrity")
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
}

#[test]
fn the_index_catches_up_after_the_indexer_stopped_before_committing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("n.dossier");
    let (id, claim_id) = {
        let nb = Notebook::open_with(
            &dir,
            OpenOptions {
                background_indexer: false,
                ..Default::default()
            },
        )
        .unwrap();
        nb.flush_index().unwrap();
        // Writes reach SQLite and the outbox, but the indexer never runs: as if the
        // process died between the database commit and the index commit.
        let id = import(&nb, tmp.path(), "zh.md", ZH_ARTICLE);
        let c = claim(
            &nb,
            &id,
            "腾讯混元模型公开了权重",
            &["Transparency/Open weights"],
        );
        (id, c.id)
    };
    {
        let nb = Notebook::open_with(
            &dir,
            OpenOptions {
                background_indexer: false,
                ..Default::default()
            },
        )
        .unwrap();
        let report = nb.check().unwrap();
        assert!(!report.ok);
        assert!(
            report.problems.iter().any(|p| p.contains("behind")),
            "{:?}",
            report.problems
        );
        let r = nb
            .search(&SearchRequest {
                query: "混元".into(),
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(r.total, 0, "nothing was indexed yet");
    }
    // The next normal open catches up by itself (the worker starts with a catch-up).
    let nb = Notebook::open(&dir).unwrap();
    eventually("the index catches up", || {
        let r = nb
            .search(&SearchRequest {
                query: "混元".into(),
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        let ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
        r.total == 2 && ids.contains(&id.as_str()) && ids.contains(&claim_id.as_str())
    });
    assert!(nb.check().unwrap().ok);
}

#[test]
fn a_second_process_searches_read_only_and_takes_over_indexing_when_the_first_exits() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("n.dossier");
    let first = Notebook::open(&dir).unwrap();
    // Same process, second handle: tantivy's writer lock behaves as across processes.
    let second = Notebook::open(&dir).unwrap();
    assert!(first.info().unwrap().index_writable);
    assert!(
        !second.info().unwrap().index_writable,
        "only one writer per index"
    );
    let id = import(&second, tmp.path(), "zh.md", ZH_ARTICLE);
    // The owner's worker picks up the outbox rows written by the other handle.
    let found = |nb: &Notebook| {
        nb.search(&SearchRequest {
            query: "混元".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap()
        .total
    };
    eventually("the owner indexes the other handle's write", || {
        found(&second) > 0
    });
    drop(first);
    let c = claim(&second, &id, "腾讯混元模型公开了权重", &[]);
    eventually("the second handle takes over indexing", || {
        let r = second
            .search(&SearchRequest {
                query: "腾讯".into(),
                kind: Some(Kind::Claim),
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        r.hits.iter().any(|h| h.id == c.id)
    });
    assert!(second.info().unwrap().index_writable);
}

#[test]
fn check_finds_a_removed_index_document_and_reindex_repairs_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("n.dossier");
    let nb = Notebook::init(&dir, true).unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
    let claim = nb.claims(None, None).unwrap().remove(0);
    nb.corrupt_index_for_test(Kind::Claim, &claim.id).unwrap();
    let report = nb.check().unwrap();
    assert_eq!(
        report.problems,
        vec![format!(
            "claim {} is missing from the search index",
            claim.id
        )]
    );
    let n = nb.reindex(&mut |_, _| {}).unwrap();
    assert_eq!(
        n,
        1 + 4 + 1,
        "the sample has one article, four claims, one note"
    );
    assert!(nb.check().unwrap().ok);
    // A missing source file is reported too.
    let article = nb.articles().unwrap().remove(0);
    let sha = nb.article(&article.id).unwrap().sha256;
    std::fs::remove_file(dir.join("sources").join(&sha)).unwrap();
    assert!(nb.check().unwrap().problems[0].contains("missing"));
}

#[test]
fn an_index_of_another_version_or_damaged_is_rebuilt_on_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("n.dossier");
    drop(Notebook::init(&dir, true).unwrap());
    std::fs::write(dir.join("index/dossier-index-version"), "dossier-index-0").unwrap();
    let nb = Notebook::open(&dir).unwrap();
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap().problems);
    drop(nb);
    // The rebuild went into a new folder, named live beside it.
    let live = std::fs::read_to_string(dir.join("index.live")).unwrap();
    assert_eq!(live, "index-1\n");
    std::fs::write(dir.join(live.trim()).join("meta.json"), "{ not json").unwrap();
    let nb = Notebook::open(&dir).unwrap();
    assert!(nb.check().unwrap().ok);
    assert_eq!(search(&nb, "Exportkontrollen").len(), 1);
}

#[test]
fn a_notebook_from_a_newer_version_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("n.dossier");
    drop(Notebook::init(&dir, false).unwrap());
    let conn = rusqlite::Connection::open(dir.join("notebook.sqlite")).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let err = Notebook::open(&dir).err().unwrap();
    assert_eq!(err.code, ErrorCode::NotebookTooNew);
    assert!(err.message.contains("newer version of Dossier"));
}

#[test]
fn an_emptied_codebook_is_not_seeded_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("n.dossier");
    {
        let nb = Notebook::open(&dir).unwrap();
        for top in ["Transparency", "Trust", "Policy"] {
            nb.delete_code(top, true).unwrap();
        }
        assert_eq!(nb.info().unwrap().codes, 0);
    }
    assert_eq!(Notebook::open(&dir).unwrap().info().unwrap().codes, 0);
}

#[test]
fn the_sample_notebook_has_an_article_claims_and_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = Notebook::init(&tmp.path().join("n.dossier"), true).unwrap();
    let info = nb.info().unwrap();
    assert_eq!((info.articles, info.claims, info.notes), (1, 4, 1));
    assert_eq!(info.codes as usize, dossier::DEFAULT_CODEBOOK.len());
    let note = nb.notes(None).unwrap().remove(0);
    assert_eq!(note.links.len(), 3);
    // init --sample twice adds nothing.
    drop(nb);
    let nb = Notebook::init(&tmp.path().join("n.dossier"), true).unwrap();
    assert_eq!(nb.info().unwrap().claims, 4);
}
