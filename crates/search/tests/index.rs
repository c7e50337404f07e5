//! The search crate on its own: a real tantivy index in a temporary folder,
//! filled with documents in German, English and Chinese, asked what an analyst
//! asks. `cargo test -p dossier-search` checks a change here without the
//! notebook; the façade's search tests and scripts/search-check.sh stay too.

use std::collections::HashMap;

use dossier_model::{Kind, Result, SearchRequest};
use dossier_search::{IndexDoc, IndexOp, SearchIndex};

struct Fixture {
    index: SearchIndex,
    texts: HashMap<String, String>,
    _dir: tempfile::TempDir,
}

fn article(id: &str, lang: &str, title: &str, body: &str, date: &str) -> IndexDoc {
    IndexDoc {
        article_id: Some(id.into()),
        date: Some(date.into()),
        ..IndexDoc::new(
            Kind::Article,
            id.into(),
            title.into(),
            body.into(),
            lang.into(),
        )
    }
}

fn claim(id: &str, article_id: &str, lang: &str, quote: &str, codes: &[&str]) -> IndexDoc {
    IndexDoc {
        article_id: Some(article_id.into()),
        codes: codes.iter().map(|c| c.to_string()).collect(),
        stance: Some("contests".into()),
        start: Some(0),
        analyst: Some("Mia".into()),
        verdict: Some("unverified".into()),
        hedging: Some("hedged".into()),
        ..IndexDoc::new(
            Kind::Claim,
            id.into(),
            "Quelle".into(),
            quote.into(),
            lang.into(),
        )
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(&dir.path().join("index")).unwrap();
    let docs = vec![
        article(
            "de1",
            "de",
            "Exportkontrollen und offene Modelle",
            "Die Exportkontrollen der Vereinigten Staaten treffen Chinas Rechenzentren. \
             Offene Gewichte von Qwen und ERNIE bleiben dennoch verfügbar.",
            "2024-05-03",
        ),
        article(
            "en1",
            "en",
            "Transparency of open-weight models",
            "Hunyuan publishes weights, but the training data remains undisclosed; \
             transparency about data integrity is limited.",
            "2023-11-20",
        ),
        article(
            "zh1",
            "zh",
            "开源模型的数据完整性",
            "阿里巴巴表示，通义千问的数据完整性得到保障。出口管制影响算力。",
            "2025-01-15",
        ),
        claim(
            "c1",
            "de1",
            "de",
            "Offene Gewichte von Qwen bleiben verfügbar",
            &["Transparency/Open weights"],
        ),
        claim(
            "c2",
            "zh1",
            "zh",
            "数据完整性得到保障",
            &["Trust/Data integrity"],
        ),
    ];
    let texts = docs
        .iter()
        .filter(|d| d.kind == Kind::Article)
        .map(|d| (d.id.clone(), d.body.clone()))
        .collect();
    let ops = docs
        .into_iter()
        .map(|d| IndexOp::Upsert(Box::new(d)))
        .collect();
    index.apply(ops, 5).unwrap();
    Fixture {
        index,
        texts,
        _dir: dir,
    }
}

impl Fixture {
    fn search(&self, query: &str, kind: Option<Kind>, code: Option<&str>) -> Vec<String> {
        let req = SearchRequest {
            query: query.into(),
            kind,
            code: code.map(str::to_string),
            limit: 10,
            ..Default::default()
        };
        let text = |id: &str, _: Option<(u32, u32)>| -> Result<Option<String>> {
            Ok(self.texts.get(id).cloned())
        };
        let results = self
            .index
            .search(&req, &text, &dossier_search::no_attributes)
            .unwrap();
        results.hits.into_iter().map(|h| h.id).collect()
    }
}

#[test]
fn known_items_are_found_in_three_languages() {
    let f = fixture();
    // German compounds and inflections, by their stems and parts.
    assert_eq!(
        f.search("Exportkontrolle", Some(Kind::Article), None)[0],
        "de1"
    );
    assert_eq!(f.search("Kontrollen", Some(Kind::Article), None)[0], "de1");
    // English stemming.
    assert_eq!(
        f.search("disclosed transparent", Some(Kind::Article), None)[0],
        "en1"
    );
    // Chinese without spaces: any run of characters in the text.
    assert_eq!(f.search("数据完整性", Some(Kind::Article), None)[0], "zh1");
    assert_eq!(f.search("出口管制", None, None), vec!["zh1"]);
}

#[test]
fn phrases_codes_and_dates_narrow_the_hits() {
    let f = fixture();
    assert_eq!(
        f.search("\"offene Gewichte\"", Some(Kind::Article), None),
        vec!["de1"]
    );
    assert!(f
        .search("\"Gewichte offene\"", Some(Kind::Article), None)
        .is_empty());
    // A code filter includes the codes below it.
    assert_eq!(f.search("", Some(Kind::Claim), Some("Trust")), vec!["c2"]);
    assert_eq!(f.search("code:Transparency", None, None), vec!["c1"]);
    let in_2024 = f.search("date:2024", Some(Kind::Article), None);
    assert_eq!(in_2024, vec!["de1"]);
    assert_eq!(
        f.search("date:2023..2024-06", Some(Kind::Article), None)
            .len(),
        2
    );
    assert_eq!(f.search("analyst:mia hedging:hedged", None, None).len(), 2);
}

#[test]
fn batches_are_idempotent_and_stamps_name_the_indexed_version() {
    let f = fixture();
    assert_eq!(f.index.applied_seq().unwrap(), 5);
    let changed = claim("c1", "de1", "de", "Offene Gewichte bleiben", &[]);
    let stamp = changed.stamp();
    // Applying the same batch twice (a crash before the payload was read) changes nothing.
    for _ in 0..2 {
        f.index
            .apply(vec![IndexOp::Upsert(Box::new(changed.clone()))], 6)
            .unwrap();
    }
    let stamps = f.index.stamps().unwrap();
    assert_eq!(stamps.len(), 5, "one document per key: {stamps:?}");
    assert_eq!(stamps["claim:c1"], stamp);
    f.index
        .apply(
            vec![IndexOp::Delete {
                kind: Kind::Claim,
                id: "c2".into(),
            }],
            7,
        )
        .unwrap();
    assert!(f.search("数据完整性", Some(Kind::Claim), None).is_empty());
    assert_eq!(f.index.applied_seq().unwrap(), 7);
}

#[test]
fn a_stamp_changes_with_any_field() {
    let a = claim("c1", "de1", "de", "Offene Gewichte", &["A"]);
    let mut b = a.clone();
    b.verdict = Some("supported".into());
    let mut c = a.clone();
    c.relations = vec!["supports".into()];
    assert_ne!(a.stamp(), b.stamp());
    assert_ne!(a.stamp(), c.stamp());
    assert_eq!(a.stamp(), a.clone().stamp());
}

#[test]
fn a_malformed_query_is_searched_as_words() {
    let f = fixture();
    let hits = f.search("Qwen AND (", None, None);
    assert!(hits.contains(&"de1".to_string()), "{hits:?}");
}
