//! Translations kept with claims, the glossary that search expands with, and
//! code memos — on a real notebook, with the real index: searched in their
//! language's analysis, undone, carried through a REFI-QDA round trip.

use dossier::model::{
    ClaimTarget, ErrorCode, ExportFormat, ExportScope, GlossaryTerm, Kind, NewClaim, SearchRequest,
    Stance,
};
use dossier::Notebook;

mod common;
use common::import;

fn claim(nb: &Notebook, article: &str, exact: &str) -> String {
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
    .id
}

fn claim_hits(nb: &Notebook, q: &str, expand: bool) -> Vec<String> {
    nb.flush_index().unwrap();
    nb.search(&SearchRequest {
        query: q.into(),
        kind: Some(Kind::Claim),
        limit: 50,
        expand,
        ..Default::default()
    })
    .unwrap()
    .hits
    .into_iter()
    .map(|h| h.id)
    .collect()
}

fn term(s: &str) -> GlossaryTerm {
    GlossaryTerm::parse(s).unwrap()
}

#[test]
fn a_translation_stays_with_its_claim_is_searched_in_its_language_and_undone() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = common::open(&tmp.path().join("nb"));
    let a = import(
        &nb,
        tmp.path(),
        "xinhua.txt",
        "开源模型推动透明度。数据完整性得到保障。",
    );
    let id = claim(&nb, &a, "数据完整性得到保障");
    let before = nb.claim(&id).unwrap();
    let c = nb
        .translate_claim(
            &id,
            "de",
            "Die Datenintegrität wird gewährleistet",
            Some("DeepL"),
        )
        .unwrap();
    assert_eq!(c.translations.len(), 1);
    assert_eq!(c.translations[0].language, "de");
    assert_eq!(c.translations[0].translator.as_deref(), Some("DeepL"));
    assert_eq!(
        (c.id.clone(), c.start, c.end),
        (before.id.clone(), before.start, before.end)
    );
    // Found by a German word, through the German analysis (a compound part and an inflection).
    assert_eq!(claim_hits(&nb, "Integrität", false), vec![id.clone()]);
    assert_eq!(claim_hits(&nb, "gewährleisten", false), vec![id.clone()]);
    nb.translate_claim(&id, "EN", "Data integrity is guaranteed", None)
        .unwrap();
    assert_eq!(claim_hits(&nb, "guaranteed", false), vec![id.clone()]);
    // `check` agrees with the index.
    assert!(nb.check().unwrap().ok, "{:?}", nb.check().unwrap());
    // Undo takes the English one off again; the German one stays.
    nb.undo().unwrap().unwrap();
    let c = nb.claim(&id).unwrap();
    assert_eq!(
        c.translations
            .iter()
            .map(|t| t.language.as_str())
            .collect::<Vec<_>>(),
        vec!["de"]
    );
    assert!(claim_hits(&nb, "guaranteed", false).is_empty());
    // Removing a translation, and undoing that.
    nb.delete_translation(&c.translations[0].id).unwrap();
    assert!(nb.claim(&id).unwrap().translations.is_empty());
    nb.undo().unwrap().unwrap();
    assert_eq!(nb.claim(&id).unwrap().translations.len(), 1);
    // A deleted claim comes back from the trash with its translation.
    nb.delete_claim(&id).unwrap();
    nb.undo().unwrap().unwrap();
    assert_eq!(
        nb.claim(&id).unwrap().translations[0].text,
        "Die Datenintegrität wird gewährleistet"
    );
    // Bad input changes nothing.
    let err = |r: dossier::model::Result<dossier::model::Claim>| r.unwrap_err().code;
    assert_eq!(
        err(nb.translate_claim(&id, "de", "   ", None)),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        err(nb.translate_claim(&id, "deutsch!", "x", None)),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        err(nb.translate_claim("nope", "de", "x", None)),
        ErrorCode::NotFound
    );
    assert_eq!(
        err(nb.translate_claim(&id, "de", &"x".repeat(20_001), None)),
        ErrorCode::InvalidInput
    );
    assert_eq!(err(nb.delete_translation("nope")), ErrorCode::NotFound);
    assert_eq!(nb.claim(&id).unwrap().translations.len(), 1);
}

#[test]
fn the_glossary_expands_a_search_across_languages_on_request() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = common::open(&tmp.path().join("nb"));
    let zh = import(&nb, tmp.path(), "zh.txt", "开源模型推动透明度。");
    let de = import(&nb, tmp.path(), "de.txt", "Mehr Transparenz bei Qwen.");
    let en = import(
        &nb,
        tmp.path(),
        "en.txt",
        "Transparency about training data stays limited.",
    );
    let ids = [
        claim(&nb, &zh, "开源模型推动透明度"),
        claim(&nb, &de, "Mehr Transparenz bei Qwen"),
        claim(&nb, &en, "Transparency about training data"),
    ];
    let g = nb
        .add_glossary_terms(&[term("zh:透明度"), term("de:Transparenz")])
        .unwrap();
    // A known term brings its concept: the English term joins it.
    let g2 = nb
        .add_glossary_terms(&[term("de:transparenz"), term("en:transparency")])
        .unwrap();
    assert_eq!(g.id, g2.id);
    assert_eq!(g2.terms.len(), 3);
    assert_eq!(nb.glossary().unwrap().len(), 1);
    // Without expansion one language; with it, all three.
    assert_eq!(claim_hits(&nb, "Transparenz", false), vec![ids[1].clone()]);
    let mut all = claim_hits(&nb, "Transparenz", true);
    all.sort();
    let mut want = ids.to_vec();
    want.sort();
    assert_eq!(all, want);
    assert_eq!(claim_hits(&nb, "透明度", true).len(), 3);
    // Expansion keeps the rest of the query: a word that must also match, an exclusion.
    assert_eq!(
        claim_hits(&nb, "transparency Qwen", true),
        vec![ids[1].clone()]
    );
    assert_eq!(claim_hits(&nb, "transparency -Qwen", true).len(), 2);
    // Terms of two concepts are not merged silently.
    nb.add_glossary_terms(&[term("en:trust"), term("de:Vertrauen")])
        .unwrap();
    assert_eq!(
        nb.add_glossary_terms(&[term("en:trust"), term("en:transparency")])
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
    assert_eq!(
        GlossaryTerm::parse("Transparenz").unwrap_err().code,
        ErrorCode::InvalidInput
    );
    // Removing a term, and undo.
    nb.remove_glossary_term(&term("en:transparency")).unwrap();
    assert_eq!(claim_hits(&nb, "Transparenz", true).len(), 2);
    nb.undo().unwrap().unwrap();
    assert_eq!(claim_hits(&nb, "Transparenz", true).len(), 3);
    assert_eq!(
        nb.remove_glossary_term(&term("fr:transparence"))
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
}

#[test]
fn code_memos_are_undoable_and_a_project_round_trip_keeps_memos_and_translations() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = common::open(&tmp.path().join("nb"));
    let a = import(
        &nb,
        tmp.path(),
        "zh.txt",
        "开源模型推动透明度。数据完整性得到保障。",
    );
    nb.add_code("Trust/Audits", None, "Claims about data")
        .unwrap();
    let memo = "**Definition:** claims that data are complete and unaltered.\n\n- Include: audits\n- Exclude: marketing";
    let code = nb.set_code_memo("Trust/Audits", memo).unwrap();
    assert_eq!(code.memo, memo);
    assert_eq!(code.description, "Claims about data");
    nb.set_code_memo("Trust/Audits", "changed").unwrap();
    nb.undo().unwrap().unwrap();
    let code = nb
        .codes()
        .unwrap()
        .into_iter()
        .find(|c| c.path == "Trust/Audits")
        .unwrap();
    assert_eq!(code.memo, memo);
    assert_eq!(
        nb.set_code_memo("Nope", "x").unwrap_err().code,
        ErrorCode::UnknownCode
    );
    let id = claim(&nb, &a, "数据完整性得到保障");
    nb.update_claim(
        &id,
        &dossier::model::ClaimPatch {
            codes: Some(vec!["Trust/Audits".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    nb.translate_claim(&id, "en", "Data integrity is guaranteed", Some("mia"))
        .unwrap();
    // Out as a REFI-QDA project, into an empty notebook.
    let qdpx = tmp.path().join("p.qdpx");
    nb.export(ExportFormat::Qdpx, &qdpx, &ExportScope::default(), false)
        .unwrap();
    let other = common::open(&tmp.path().join("other"));
    let out = other
        .import_paths(
            &[qdpx],
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(
        out[0].status,
        dossier::model::ImportStatus::Imported,
        "{:?}",
        out[0]
    );
    let code = other
        .codes()
        .unwrap()
        .into_iter()
        .find(|c| c.path == "Trust/Audits")
        .unwrap();
    assert_eq!(
        (code.description.as_str(), code.memo.as_str()),
        ("Claims about data", memo)
    );
    let back = other.claim(&id).unwrap();
    assert_eq!(back.translations.len(), 1);
    assert_eq!(
        (
            back.translations[0].language.as_str(),
            back.translations[0].text.as_str(),
            back.translations[0].translator.as_deref()
        ),
        ("en", "Data integrity is guaranteed", Some("mia"))
    );
    assert_eq!(back.comment, None);
}

#[test]
fn a_codebook_alone_merges_by_path_from_qdc_and_csv_and_undoes_as_one_step() {
    let tmp = tempfile::tempdir().unwrap();
    let a = common::open(&tmp.path().join("a"));
    a.add_code(
        "Governance/Export controls",
        Some("#aa3300"),
        "US rules on chips",
    )
    .unwrap();
    a.set_code_memo(
        "Governance/Export controls",
        "Include: BIS rules.\nExclude: tariffs.",
    )
    .unwrap();
    let qdc = tmp.path().join("book.qdc");
    a.export(ExportFormat::Qdc, &qdc, &ExportScope::default(), false)
        .unwrap();
    let b = common::open(&tmp.path().join("b"));
    let before = b.codes().unwrap().len();
    let r = b.import_codebook(&qdc).unwrap();
    assert!(r.added >= 2, "{r:?}");
    assert!(r.problems.is_empty(), "{r:?}");
    let code = b
        .codes()
        .unwrap()
        .into_iter()
        .find(|c| c.path == "Governance/Export controls")
        .unwrap();
    assert_eq!(
        (code.color.as_str(), code.description.as_str()),
        ("#aa3300", "US rules on chips")
    );
    assert_eq!(code.memo, "Include: BIS rules.\nExclude: tariffs.");
    // Again: nothing new.
    let again = b.import_codebook(&qdc).unwrap();
    assert_eq!((again.added, again.updated), (0, 0));
    // A CSV codebook: columns in any order, a bad path and a bad colour reported, the rest taken.
    let csv = tmp.path().join("book.csv");
    std::fs::write(
        &csv,
        "memo,path,description,color\n\
         \"New memo, with a comma\",Governance/Export controls,,\n\
         ,Trust/Provenance,Where data come from,#00aa00\n\
         ,Trust/Bad colour,,not-a-colour\n\
         ,a//b,,\n\
         ,,skipped: no path,\n",
    )
    .unwrap();
    let r = b.import_codebook(&csv).unwrap();
    assert_eq!((r.added, r.updated), (2, 1), "{r:?}");
    assert_eq!(r.problems.len(), 2, "{r:?}");
    let codes = b.codes().unwrap();
    let ec = codes
        .iter()
        .find(|c| c.path == "Governance/Export controls")
        .unwrap();
    assert_eq!(
        (ec.memo.as_str(), ec.description.as_str()),
        ("New memo, with a comma", "US rules on chips")
    );
    assert_eq!(
        codes
            .iter()
            .find(|c| c.path == "Trust/Bad colour")
            .unwrap()
            .color,
        "#7a7a7a"
    );
    // One undo takes the whole CSV import back.
    b.undo().unwrap().unwrap();
    let codes = b.codes().unwrap();
    assert!(!codes.iter().any(|c| c.path == "Trust/Provenance"));
    assert_eq!(
        codes
            .iter()
            .find(|c| c.path == "Governance/Export controls")
            .unwrap()
            .memo,
        "Include: BIS rules.\nExclude: tariffs."
    );
    // Not a codebook: a clear error, nothing changed.
    let bad = tmp.path().join("bad.qdc");
    std::fs::write(&bad, "<Project/>").unwrap();
    assert_eq!(
        b.import_codebook(&bad).unwrap_err().code,
        ErrorCode::Unsupported
    );
    let nocol = tmp.path().join("nocol.csv");
    std::fs::write(&nocol, "name,colour\nx,#000000\n").unwrap();
    assert_eq!(
        b.import_codebook(&nocol).unwrap_err().code,
        ErrorCode::Unsupported
    );
    let deep = tmp.path().join("deep.qdc");
    std::fs::write(
        &deep,
        format!(
            "<CodeBook><Codes>{}</Codes></CodeBook>",
            "<Code name=\"x\">".repeat(5_000)
        ),
    )
    .unwrap();
    assert!(b.import_codebook(&deep).is_err());
    assert_eq!(b.codes().unwrap().len(), before + 2);
}
