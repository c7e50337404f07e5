//! The table of claims on a real notebook: views filtered and sorted by every
//! column and by an article attribute, pages read by offset, a deleted claim
//! left out of its page, bulk recode as one undo step, all-or-nothing on bad
//! input, and the CSV of a view.

use dossier::model::table::{ClaimColumn, ClaimFilter, ClaimQuery, ClaimSort, Recode};
use dossier::model::{AttributeType, ClaimTarget, ErrorCode, Hedging, NewClaim, Stance, Verdict};
use dossier::Notebook;

mod common;
use common::import;

struct Corpus {
    tmp: tempfile::TempDir,
    nb: Notebook,
    /// Claim ids: xinhua's two, heise's one, alibaba's one.
    claims: Vec<String>,
}

fn claim(
    nb: &Notebook,
    article: &str,
    exact: &str,
    stance: Stance,
    codes: &[&str],
    analyst: &str,
) -> String {
    claim_nth(nb, article, exact, 1, stance, codes, analyst)
}

/// A claim on the `occurrence`-th `exact` of the article.
fn claim_nth(
    nb: &Notebook,
    article: &str,
    exact: &str,
    occurrence: u32,
    stance: Stance,
    codes: &[&str],
    analyst: &str,
) -> String {
    nb.add_claim(NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Quote {
            exact: exact.into(),
            occurrence,
        },
        codes: codes.iter().map(|c| c.to_string()).collect(),
        stance,
        confidence: 3,
        claimant: None,
        comment: None,
        analyst: Some(analyst.into()),
        hedging: Default::default(),
    })
    .unwrap()
    .id
}

fn corpus() -> Corpus {
    let tmp = tempfile::tempdir().unwrap();
    let nb = common::open(&tmp.path().join("nb"));
    let xinhua = import(
        &nb,
        tmp.path(),
        "xinhua.txt",
        "开源模型推动透明度。Open models build trust, says the agency.",
    );
    let heise = import(
        &nb,
        tmp.path(),
        "heise.txt",
        "Offene Gewichte, offene Fragen: Ärger über Transparenz bei Qwen bleibt.",
    );
    let alibaba = import(
        &nb,
        tmp.path(),
        "alibaba.txt",
        "Qwen is released with open weights; training data stays undisclosed.",
    );
    for code in ["trust", "trust/transparency", "export"] {
        nb.add_code(code, None, "").unwrap();
    }
    let claims = vec![
        claim(
            &nb,
            &xinhua,
            "开源模型推动透明度",
            Stance::Supports,
            &["trust/transparency"],
            "ana",
        ),
        claim(
            &nb,
            &xinhua,
            "Open models build trust",
            Stance::Neutral,
            &["trust"],
            "ben",
        ),
        claim(
            &nb,
            &heise,
            "Ärger über Transparenz bei Qwen bleibt",
            Stance::Contests,
            &["trust/transparency", "export"],
            "ana",
        ),
        claim(
            &nb,
            &alibaba,
            "training data stays undisclosed",
            Stance::Contests,
            &[],
            "ben",
        ),
    ];
    nb.define_attribute("country", AttributeType::Text, &[])
        .unwrap();
    nb.define_attribute("published", AttributeType::Date, &[])
        .unwrap();
    for (a, country, published) in [
        (&xinhua, "CN", "2024-05-03"),
        (&heise, "DE", "2025-01-12"),
        (&alibaba, "CN", "2023-11"),
    ] {
        nb.set_article_attribute(a, "country", Some(country))
            .unwrap();
        nb.set_article_attribute(a, "published", Some(published))
            .unwrap();
    }
    Corpus { tmp, nb, claims }
}

fn query(
    filter: ClaimFilter,
    column: ClaimColumn,
    attribute: Option<&str>,
    descending: bool,
) -> ClaimQuery {
    ClaimQuery {
        filter,
        sort: ClaimSort {
            column,
            attribute: attribute.map(str::to_string),
            descending,
        },
    }
}

fn quotes(nb: &Notebook, q: &ClaimQuery) -> Vec<String> {
    let view = nb.claim_table(q, 100).unwrap();
    assert_eq!(view.total as usize, view.rows.len());
    view.rows.into_iter().map(|r| r.exact).collect()
}

#[test]
fn every_claim_sorted_by_each_column_and_by_an_attribute() {
    let c = corpus();
    let all = ClaimFilter::default();
    // Created: in the order they were made; descending reverses it.
    let created = quotes(
        &c.nb,
        &query(all.clone(), ClaimColumn::Created, None, false),
    );
    assert_eq!(created.len(), 4);
    assert_eq!(created[0], "开源模型推动透明度");
    let mut reversed = quotes(&c.nb, &query(all.clone(), ClaimColumn::Created, None, true));
    reversed.reverse();
    assert_eq!(reversed, created);
    // Quote, without regard to case.
    let by_quote = quotes(&c.nb, &query(all.clone(), ClaimColumn::Quote, None, false));
    let mut expected = created.clone();
    expected.sort_by_key(|s| s.to_lowercase());
    assert_eq!(by_quote, expected);
    // Codes: the claim without codes comes last, in both directions.
    let by_code = quotes(&c.nb, &query(all.clone(), ClaimColumn::Codes, None, false));
    assert_eq!(by_code[0], "Ärger über Transparenz bei Qwen bleibt"); // export < trust…
    assert_eq!(by_code[3], "training data stays undisclosed");
    let by_code_desc = quotes(&c.nb, &query(all.clone(), ClaimColumn::Codes, None, true));
    assert_eq!(by_code_desc[3], "training data stays undisclosed");
    // By an article attribute: published (a date, compared as dates), then by country (text).
    let by_date = quotes(
        &c.nb,
        &query(all.clone(), ClaimColumn::Created, Some("published"), false),
    );
    assert_eq!(by_date[0], "training data stays undisclosed"); // 2023-11
    assert_eq!(by_date[3], "Ärger über Transparenz bei Qwen bleibt"); // 2025-01-12
    let by_country_desc = quotes(
        &c.nb,
        &query(all.clone(), ClaimColumn::Created, Some("country"), true),
    );
    assert_eq!(by_country_desc[0], "Ärger über Transparenz bei Qwen bleibt"); // DE after CN, reversed
                                                                              // Rows carry the article's title and attributes.
    let view =
        c.nb.claim_table(&query(all, ClaimColumn::Created, None, false), 1)
            .unwrap();
    assert_eq!(view.total, 4);
    assert_eq!(view.rows.len(), 1);
    let row = &view.rows[0];
    assert!(
        row.article_title.starts_with("开源模型推动透明度"),
        "{}",
        row.article_title
    );
    assert_eq!(row.codes, vec!["trust/transparency"]);
    assert_eq!(
        row.attributes
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect::<Vec<_>>(),
        vec![("country", "CN"), ("published", "2024-05-03")]
    );
}

#[test]
fn the_claims_of_a_code_are_its_subtree_once_each_in_article_order() {
    let c = corpus();
    // A claim carrying two codes of the subtree is listed once, with both.
    let both = claim(
        &c.nb,
        &c.nb.claims(None, None).unwrap()[0].article_id,
        "推动",
        Stance::Neutral,
        &["trust", "trust/transparency"],
        "ana",
    );
    let all = c.nb.claims(None, None).unwrap();
    let want: Vec<_> = all
        .iter()
        .filter(|k| {
            k.codes
                .iter()
                .any(|p| p == "trust" || p.starts_with("trust/"))
        })
        .cloned()
        .collect();
    let got = c.nb.claims(None, Some("trust")).unwrap();
    assert_eq!(got, want);
    assert_eq!(got.len(), 4);
    assert!(got.iter().any(
        |k| k.id == both && k.codes == ["trust".to_string(), "trust/transparency".to_string()]
    ));
    // The order is the listing's: by article, then position in it.
    let keys: Vec<_> = got
        .iter()
        .map(|k| (k.article_id.clone(), k.start))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // A claim's codes outside the subtree come along.
    assert!(got
        .iter()
        .any(|k| k.codes == ["export".to_string(), "trust/transparency".to_string()]));
}

#[test]
fn a_long_listing_comes_in_chunks_that_make_up_the_whole() {
    let c = corpus();
    let text = "Offenheit ".repeat(700);
    let long = import(&c.nb, c.tmp.path(), "long.txt", &text);
    for occurrence in 1..=600 {
        let code = if occurrence % 3 == 0 {
            "export"
        } else {
            "trust/transparency"
        };
        claim_nth(
            &c.nb,
            &long,
            "Offenheit",
            occurrence,
            Stance::Neutral,
            &[code],
            "ana",
        );
    }
    for (article, code) in [
        (None, Some("trust")),
        (None, None),
        (Some(long.as_str()), Some("export")),
        (Some(long.as_str()), None),
    ] {
        let mut chunks = Vec::new();
        c.nb.claims_each(article, code, &mut |chunk| {
            chunks.push(chunk);
            Ok(())
        })
        .unwrap();
        assert!(chunks.iter().all(|k| !k.is_empty() && k.len() <= 256));
        let count = chunks.len();
        let joined: Vec<_> = chunks.into_iter().flatten().collect();
        assert!(joined.len() >= 200, "{article:?} {code:?}");
        assert_eq!(count, joined.len().div_ceil(256), "{article:?} {code:?}");
        assert_eq!(joined, c.nb.claims(article, code).unwrap());
        // Every chunk got its codes (the long article's claims all have one).
        assert!(joined
            .iter()
            .filter(|k| k.article_id == long)
            .all(|k| k.codes.len() == 1));
    }
    // An unknown code fails before anything is handed on.
    let mut handed = 0;
    let err =
        c.nb.claims_each(None, Some("nope"), &mut |_| {
            handed += 1;
            Ok(())
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownCode);
    assert_eq!(handed, 0);
}

#[test]
fn filters_narrow_together_and_unknown_names_are_errors() {
    let c = corpus();
    let count = |f: ClaimFilter| {
        c.nb.claim_table(&query(f, ClaimColumn::Created, None, false), 10)
            .unwrap()
            .total
    };
    // A code includes the codes below it.
    assert_eq!(
        count(ClaimFilter {
            code: Some("trust".into()),
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        count(ClaimFilter {
            code: Some("trust/transparency".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        count(ClaimFilter {
            stance: Some(Stance::Contests),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        count(ClaimFilter {
            analyst: Some("ben".into()),
            ..Default::default()
        }),
        2
    );
    // Text: case-insensitive beyond ASCII (ä finds Ä).
    assert_eq!(
        count(ClaimFilter {
            text: Some("ärger".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(ClaimFilter {
            text: Some("透明".into()),
            ..Default::default()
        }),
        1
    );
    // Article filters: attributes and sets, together.
    assert_eq!(
        count(ClaimFilter {
            articles: vec!["attr:country=CN".into()],
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        count(ClaimFilter {
            articles: vec!["attr:country=CN".into(), "attr:published>=2024-01".into()],
            ..Default::default()
        }),
        2
    );
    c.nb.create_set("desk", "").unwrap();
    let heise = c.nb.claim(&c.claims[2]).unwrap().article_id;
    c.nb.put_in_set("desk", &[heise], false).unwrap();
    assert_eq!(
        count(ClaimFilter {
            articles: vec!["set:desk".into()],
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(ClaimFilter {
            articles: vec!["set:desk".into()],
            stance: Some(Stance::Supports),
            ..Default::default()
        }),
        0
    );
    // Unknown names are errors, not empty tables.
    let err = |f: ClaimFilter| {
        c.nb.claim_table(&query(f, ClaimColumn::Created, None, false), 10)
            .unwrap_err()
    };
    assert_eq!(
        err(ClaimFilter {
            code: Some("nope".into()),
            ..Default::default()
        })
        .code,
        ErrorCode::UnknownCode
    );
    assert_eq!(
        err(ClaimFilter {
            articles: vec!["set:nope".into()],
            ..Default::default()
        })
        .code,
        ErrorCode::NotFound
    );
    assert_eq!(
        err(ClaimFilter {
            articles: vec!["attr:nope=1".into()],
            ..Default::default()
        })
        .code,
        ErrorCode::NotFound
    );
    assert_eq!(
        err(ClaimFilter {
            articles: vec!["country=CN".into()],
            ..Default::default()
        })
        .code,
        ErrorCode::InvalidInput
    );
    let e =
        c.nb.claim_table(
            &query(
                ClaimFilter::default(),
                ClaimColumn::Created,
                Some("nope"),
                false,
            ),
            10,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn pages_follow_the_view_and_a_deleted_claim_drops_out() {
    let c = corpus();
    let view =
        c.nb.claim_table(
            &query(ClaimFilter::default(), ClaimColumn::Created, None, false),
            2,
        )
        .unwrap();
    assert_eq!((view.total, view.rows.len()), (4, 2));
    let page = c.nb.claim_table_page(view.view, 2, 10).unwrap();
    assert_eq!(
        page.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        c.claims[2..].to_vec()
    );
    // Past the end: empty, not an error.
    assert!(c
        .nb
        .claim_table_page(view.view, 99, 10)
        .unwrap()
        .rows
        .is_empty());
    // An edit shows on the next read; a deleted claim is left out.
    c.nb.delete_claim(&c.claims[3]).unwrap();
    let page = c.nb.claim_table_page(view.view, 2, 10).unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(
        c.nb.claim_table_ids(view.view).unwrap(),
        c.claims[..3].to_vec()
    );
    // A view not kept any more is a clear error.
    for _ in 0..10 {
        c.nb.claim_table(&ClaimQuery::default(), 1).unwrap();
    }
    assert_eq!(
        c.nb.claim_table_page(view.view, 0, 1).unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn bulk_recode_is_one_undo_step_and_all_or_nothing() {
    let c = corpus();
    let ids = c.claims.clone();
    let before: Vec<_> = ids.iter().map(|id| c.nb.claim(id).unwrap()).collect();
    let outcome =
        c.nb.recode(
            &ids,
            &Recode {
                add_codes: vec!["export".into()],
                remove_codes: vec!["trust".into()],
                stance: Some(Stance::Contests),
                hedging: Some(Hedging::Hedged),
                verdict: Some(Verdict::Disputed),
                analyst: Some("lead".into()),
            },
        )
        .unwrap();
    assert_eq!((outcome.claims, outcome.changed), (4, 4));
    for id in &ids {
        let cl = c.nb.claim(id).unwrap();
        assert!(cl.codes.contains(&"export".to_string()));
        assert!(!cl.codes.contains(&"trust".to_string()));
        assert_eq!(
            (cl.stance, cl.hedging, cl.verdict),
            (Stance::Contests, Hedging::Hedged, Verdict::Disputed)
        );
        let history = c.nb.verdict_history(id).unwrap();
        assert_eq!(history.last().unwrap().analyst.as_deref(), Some("lead"));
    }
    // Removing only the parent keeps the child code.
    assert!(c
        .nb
        .claim(&ids[0])
        .unwrap()
        .codes
        .contains(&"trust/transparency".to_string()));
    // The same change again changes nothing.
    let again =
        c.nb.recode(
            &ids,
            &Recode {
                add_codes: vec!["export".into()],
                stance: Some(Stance::Contests),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(again.changed, 0);
    // One undo restores all four claims, as they were.
    c.nb.undo().unwrap().unwrap();
    let after: Vec<_> = ids.iter().map(|id| c.nb.claim(id).unwrap()).collect();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (&b.codes, b.stance, b.hedging, b.verdict),
            (&a.codes, a.stance, a.hedging, a.verdict)
        );
    }
    // Bad input changes nothing.
    let unchanged = |nb: &Notebook| {
        ids.iter()
            .map(|id| nb.claim(id).unwrap())
            .collect::<Vec<_>>()
    };
    let snapshot = unchanged(&c.nb);
    let bad = [
        (
            ids.clone(),
            Recode {
                add_codes: vec!["nope".into()],
                ..Default::default()
            },
            ErrorCode::UnknownCode,
        ),
        (
            vec![ids[0].clone(), "no-such-claim".into()],
            Recode {
                stance: Some(Stance::Neutral),
                ..Default::default()
            },
            ErrorCode::NotFound,
        ),
        (ids.clone(), Recode::default(), ErrorCode::InvalidInput),
        (
            vec![],
            Recode {
                stance: Some(Stance::Neutral),
                ..Default::default()
            },
            ErrorCode::InvalidInput,
        ),
        (
            ids.clone(),
            Recode {
                add_codes: vec!["export".into()],
                remove_codes: vec!["export".into()],
                ..Default::default()
            },
            ErrorCode::InvalidInput,
        ),
    ];
    for (ids, change, code) in bad {
        assert_eq!(
            c.nb.recode(&ids, &change).unwrap_err().code,
            code,
            "{change:?}"
        );
    }
    assert_eq!(unchanged(&c.nb), snapshot);
}

#[test]
fn a_view_is_written_as_csv_in_its_order() {
    let c = corpus();
    let view =
        c.nb.claim_table(
            &query(ClaimFilter::default(), ClaimColumn::Quote, None, true),
            0,
        )
        .unwrap();
    let out = c.tmp.path().join("view.csv");
    assert_eq!(c.nb.export_claim_view(view.view, &out, false).unwrap(), 4);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let quote = headers.iter().position(|h| h == "quote").unwrap();
    let country = headers.iter().position(|h| h == "attr:country").unwrap();
    let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
    let quotes: Vec<_> = rows.iter().map(|r| r[quote].to_string()).collect();
    let mut expected = quotes.clone();
    expected.sort_by_key(|s| std::cmp::Reverse(s.to_lowercase()));
    assert_eq!(quotes, expected);
    assert_eq!(rows.iter().filter(|r| &r[country] == "CN").count(), 3);
    // An existing file is not overwritten without being asked.
    assert_eq!(
        c.nb.export_claim_view(view.view, &out, false)
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
}
