//! Article attributes on a real notebook: typed values, search's `attr:`
//! filter over articles and their claims, undo of every change, and the trash.

use std::sync::atomic::AtomicBool;

use dossier::model::{
    AttributeType, ClaimTarget, ErrorCode, ImportStatus, Kind, NewClaim, SearchRequest, Stance,
};
use dossier::Notebook;

mod common;
use common::import;

fn hits(nb: &Notebook, q: &str) -> Vec<(Kind, String)> {
    nb.flush_index().unwrap();
    let mut v: Vec<_> = nb
        .search(&SearchRequest {
            query: q.into(),
            limit: 50,
            ..Default::default()
        })
        .unwrap()
        .hits
        .into_iter()
        .map(|h| (h.kind, h.id))
        .collect();
    v.sort();
    v
}

fn values(nb: &Notebook, article: &str) -> Vec<(String, String)> {
    nb.article_attributes(article)
        .unwrap()
        .into_iter()
        .map(|v| (v.name, v.value))
        .collect()
}

struct Corpus {
    _tmp: tempfile::TempDir,
    nb: Notebook,
    xinhua: String,
    alibaba: String,
    heise: String,
    claim: String,
}

fn corpus() -> Corpus {
    let tmp = tempfile::tempdir().unwrap();
    let nb = common::open(&tmp.path().join("nb"));
    let xinhua = import(
        &nb,
        tmp.path(),
        "xinhua.txt",
        "开源模型推动透明度。Open models and transparency, says the state agency.",
    );
    let alibaba = import(
        &nb,
        tmp.path(),
        "alibaba.md",
        "# Qwen\n\nQwen is released with open weights; transparency about training data stays limited.",
    );
    let heise = import(
        &nb,
        tmp.path(),
        "heise.txt",
        "Offene Gewichte, offene Fragen: Transparenz bei Qwen und ERNIE bleibt begrenzt.",
    );
    let claim = nb
        .add_claim(NewClaim {
            article_id: alibaba.clone(),
            target: ClaimTarget::Quote {
                exact: "transparency about training data stays limited".into(),
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
        .id;
    nb.define_attribute(
        "outlet_type",
        AttributeType::Choice,
        &["state media".into(), "company".into(), "press".into()],
    )
    .unwrap();
    nb.define_attribute("country", AttributeType::Text, &[])
        .unwrap();
    nb.define_attribute("published", AttributeType::Date, &[])
        .unwrap();
    nb.define_attribute("params_b", AttributeType::Number, &[])
        .unwrap();
    for (a, t, c, p) in [
        (&xinhua, "State Media", "CN", "2024年5月3日"),
        (&alibaba, "company", "CN", "2024-09"),
        (&heise, "press", "DE", "12.01.2025"),
    ] {
        nb.set_article_attribute(a, "outlet_type", Some(t)).unwrap();
        nb.set_article_attribute(a, "COUNTRY", Some(c)).unwrap();
        nb.set_article_attribute(a, "published", Some(p)).unwrap();
    }
    nb.set_article_attribute(&alibaba, "params_b", Some("72"))
        .unwrap();
    Corpus {
        _tmp: tmp,
        nb,
        xinhua,
        alibaba,
        heise,
        claim,
    }
}

#[test]
fn values_are_typed_normalised_and_listed_in_order() {
    let c = corpus();
    // One attribute's values over the library (its column), dates with where they start.
    let column = c.nb.attribute_values("published").unwrap();
    assert_eq!(column.len(), 3);
    let xinhua = column.iter().find(|v| v.article_id == c.xinhua).unwrap();
    assert_eq!(
        (xinhua.value.as_str(), xinhua.low),
        ("2024-05-03", Some(20240503.0))
    );
    assert_eq!(
        c.nb.attribute_values("nope").unwrap_err().code,
        dossier::model::ErrorCode::NotFound
    );
    assert_eq!(
        values(&c.nb, &c.xinhua),
        vec![
            ("outlet_type".into(), "state media".into()),
            ("country".into(), "CN".into()),
            ("published".into(), "2024-05-03".into()),
        ]
    );
    assert_eq!(values(&c.nb, &c.heise)[2].1, "2025-01-12");
    let defs = c.nb.attributes().unwrap();
    let names: Vec<_> = defs.iter().map(|d| (d.name.as_str(), d.used_by)).collect();
    assert_eq!(
        names,
        [
            ("outlet_type", 3),
            ("country", 3),
            ("published", 3),
            ("params_b", 1)
        ]
    );
    for (name, bad) in [
        ("outlet_type", "blog"),
        ("published", "Frühjahr 2024"),
        ("params_b", "many"),
    ] {
        let e =
            c.nb.set_article_attribute(&c.heise, name, Some(bad))
                .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{name}={bad}: {e:?}");
    }
    let e =
        c.nb.set_article_attribute(&c.heise, "nope", Some("x"))
            .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let e =
        c.nb.define_attribute("Country", AttributeType::Text, &[])
            .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    let e =
        c.nb.define_attribute("outlet type", AttributeType::Text, &[])
            .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    // Clearing a value.
    c.nb.set_article_attribute(&c.alibaba, "params_b", None)
        .unwrap();
    assert_eq!(values(&c.nb, &c.alibaba).len(), 3);
}

#[test]
fn attr_filters_select_articles_and_their_claims() {
    let c = corpus();
    let article = |id: &String| (Kind::Article, id.clone());
    assert_eq!(hits(&c.nb, "attr:country=cn"), {
        let mut v = vec![
            article(&c.xinhua),
            article(&c.alibaba),
            (Kind::Claim, c.claim.clone()),
        ];
        v.sort();
        v
    });
    assert_eq!(
        hits(&c.nb, r#"attr:"outlet_type=state media""#),
        vec![article(&c.xinhua)]
    );
    // Dates compare as the intervals they stand for.
    assert_eq!(hits(&c.nb, "kind:article attr:published>=2024-09").len(), 2);
    assert_eq!(
        hits(&c.nb, "kind:article attr:published>2024-09"),
        vec![article(&c.heise)]
    );
    assert_eq!(hits(&c.nb, "kind:article attr:published=2024"), {
        let mut v = vec![article(&c.xinhua), article(&c.alibaba)];
        v.sort();
        v
    });
    assert_eq!(
        hits(&c.nb, "kind:article attr:published<2024-05-04"),
        vec![article(&c.xinhua)]
    );
    assert_eq!(
        hits(&c.nb, "kind:article attr:params_b>=70"),
        vec![article(&c.alibaba)]
    );
    assert_eq!(
        hits(&c.nb, "kind:article attr:params_b"),
        vec![article(&c.alibaba)]
    );
    // With words, and excluded.
    assert_eq!(
        hits(&c.nb, "transparency attr:country=DE"),
        vec![article(&c.heise)]
    );
    assert_eq!(
        hits(&c.nb, "kind:article -attr:country=CN"),
        vec![article(&c.heise)]
    );
    // An unknown attribute or an unreadable operand is an error, not an empty result.
    let err = |q: &str| {
        c.nb.search(&SearchRequest {
            query: q.into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap_err()
    };
    assert_eq!(err("attr:nope=1").code, ErrorCode::NotFound);
    assert_eq!(err("attr:published>soon").code, ErrorCode::InvalidInput);
    assert_eq!(err("attr:country>CN").code, ErrorCode::InvalidInput);
}

#[test]
fn every_change_is_undone_and_redone() {
    let c = corpus();
    let before = values(&c.nb, &c.heise);
    c.nb.set_article_attribute(&c.heise, "country", Some("AT"))
        .unwrap();
    c.nb.undo().unwrap().unwrap();
    assert_eq!(values(&c.nb, &c.heise), before);
    c.nb.redo().unwrap().unwrap();
    assert_eq!(values(&c.nb, &c.heise)[1].1, "AT");

    // Removing an attribute takes every value; undo brings them back, in place.
    c.nb.delete_attribute("COUNTRY").unwrap();
    assert!(values(&c.nb, &c.xinhua).iter().all(|(n, _)| n != "country"));
    assert_eq!(
        c.nb.search(&SearchRequest {
            query: "attr:country=CN".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap_err()
        .code,
        ErrorCode::NotFound
    );
    c.nb.undo().unwrap().unwrap();
    let names: Vec<_> =
        c.nb.attributes()
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect();
    assert_eq!(names, ["outlet_type", "country", "published", "params_b"]);
    assert_eq!(values(&c.nb, &c.xinhua)[1], ("country".into(), "CN".into()));
    assert_eq!(hits(&c.nb, "kind:article attr:country=CN").len(), 2);

    // Defining is undone too.
    c.nb.define_attribute("model_family", AttributeType::Text, &[])
        .unwrap();
    c.nb.undo().unwrap().unwrap();
    assert_eq!(c.nb.attributes().unwrap().len(), 4);
}

#[test]
fn a_deleted_article_keeps_its_values_in_the_trash() {
    let c = corpus();
    let before = values(&c.nb, &c.alibaba);
    c.nb.delete_article(&c.alibaba).unwrap();
    assert!(hits(&c.nb, "attr:params_b").is_empty());
    let item =
        c.nb.trash()
            .unwrap()
            .into_iter()
            .find(|t| t.entity_id == c.alibaba)
            .unwrap();
    c.nb.restore_from_trash(&item.id).unwrap();
    assert_eq!(values(&c.nb, &c.alibaba), before);
    assert_eq!(
        hits(&c.nb, "kind:article attr:params_b=72"),
        vec![(Kind::Article, c.alibaba.clone())]
    );
    assert!(c.nb.check().unwrap().ok);
}

#[test]
fn sets_select_articles_and_every_change_is_undone() {
    let c = corpus();
    let made = c.nb.create_set("china_desk", "Chinese sources").unwrap();
    assert_eq!(made.size, 0);
    let e = c.nb.create_set("China_Desk", "").unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    let set =
        c.nb.put_in_set("china_desk", &[c.xinhua.clone(), c.alibaba.clone()], false)
            .unwrap();
    assert_eq!(set.size, 2);
    // Putting an article in twice changes nothing; an unknown id changes nothing at all.
    let e =
        c.nb.put_in_set("china_desk", &[c.heise.clone(), "nope".into()], false)
            .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(c.nb.set("china_desk").unwrap().size, 2);
    let article = |id: &String| (Kind::Article, id.clone());
    let mut both = vec![article(&c.xinhua), article(&c.alibaba)];
    both.sort();
    assert_eq!(hits(&c.nb, "kind:article set:china_desk"), both);
    assert_eq!(
        hits(&c.nb, "set:china_desk kind:claim"),
        vec![(Kind::Claim, c.claim.clone())]
    );
    assert_eq!(
        hits(
            &c.nb,
            "kind:article set:china_desk attr:outlet_type=company"
        ),
        vec![article(&c.alibaba)]
    );
    assert_eq!(c.nb.article_sets(&c.xinhua).unwrap(), ["china_desk"]);

    // Taking one out, undone; deleting the set, undone with its members.
    c.nb.put_in_set("china_desk", std::slice::from_ref(&c.xinhua), true)
        .unwrap();
    assert_eq!(
        c.nb.set_members("china_desk").unwrap(),
        std::slice::from_ref(&c.alibaba)
    );
    c.nb.undo().unwrap().unwrap();
    assert_eq!(c.nb.set("china_desk").unwrap().size, 2);
    c.nb.delete_set("china_desk").unwrap();
    let e =
        c.nb.search(&SearchRequest {
            query: "set:china_desk".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    c.nb.undo().unwrap().unwrap();
    assert_eq!(hits(&c.nb, "kind:article set:china_desk"), both);

    // A deleted article leaves its sets; restored from the trash, it is back in them.
    c.nb.delete_article(&c.xinhua).unwrap();
    assert_eq!(c.nb.set("china_desk").unwrap().size, 1);
    let item =
        c.nb.trash()
            .unwrap()
            .into_iter()
            .find(|t| t.entity_id == c.xinhua)
            .unwrap();
    c.nb.restore_from_trash(&item.id).unwrap();
    assert_eq!(c.nb.set("china_desk").unwrap().size, 2);
    c.nb.flush_index().unwrap();
    let report = c.nb.check().unwrap();
    assert!(report.ok, "{:?}", report.problems);
}

#[test]
fn saved_searches_keep_their_place_and_are_undone() {
    let c = corpus();
    c.nb.save_search("cn_companies", "attr:country=CN attr:outlet_type=company")
        .unwrap();
    c.nb.save_search("transparency", "transparency OR Transparenz OR 透明度")
        .unwrap();
    // Saving under a name in use (any case) replaces the query in place.
    let s = c.nb.save_search("CN_companies", "attr:country=CN").unwrap();
    assert_eq!(s.name, "cn_companies");
    let listed: Vec<_> =
        c.nb.saved_searches()
            .unwrap()
            .into_iter()
            .map(|s| (s.name, s.query))
            .collect();
    assert_eq!(
        listed,
        [
            ("cn_companies".to_string(), "attr:country=CN".to_string()),
            (
                "transparency".to_string(),
                "transparency OR Transparenz OR 透明度".to_string()
            )
        ]
    );
    c.nb.undo().unwrap().unwrap();
    assert_eq!(
        c.nb.saved_searches().unwrap()[0].query,
        "attr:country=CN attr:outlet_type=company"
    );
    c.nb.delete_saved_search("cn_companies").unwrap();
    assert_eq!(c.nb.saved_searches().unwrap().len(), 1);
    c.nb.undo().unwrap().unwrap();
    assert_eq!(c.nb.saved_searches().unwrap()[0].name, "cn_companies");
    assert_eq!(
        c.nb.delete_saved_search("nope").unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        c.nb.save_search("empty", "  ").unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

fn coded(
    nb: &Notebook,
    article: &str,
    quote: &str,
    codes: &[&str],
    stance: Stance,
    analyst: &str,
) -> String {
    nb.add_claim(NewClaim {
        article_id: article.into(),
        target: ClaimTarget::Quote {
            exact: quote.into(),
            occurrence: 1,
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

#[test]
fn matrices_count_claims_by_two_dimensions() {
    use dossier::model::matrix::Axis;
    let c = corpus();
    let trust = "Trust/Transparency";
    let data = "Trust/Data integrity";
    for p in [trust, data] {
        let _ = c.nb.add_code(p, None, "");
    }
    let x1 = coded(
        &c.nb,
        &c.xinhua,
        "开源模型推动透明度",
        &[trust],
        Stance::Supports,
        "mia",
    );
    let _x2 = coded(
        &c.nb,
        &c.xinhua,
        "Open models and transparency",
        &[trust, data],
        Stance::Contests,
        "li",
    );
    let _h1 = coded(
        &c.nb,
        &c.heise,
        "Transparenz bei Qwen und ERNIE bleibt begrenzt",
        &[trust],
        Stance::Contests,
        "mia",
    );
    c.nb.set_verdict(&x1, dossier::model::Verdict::Supported, None, None, &[])
        .unwrap();
    let m =
        c.nb.matrix(
            &Axis::parse("code").unwrap(),
            &Axis::parse("attr:country").unwrap(),
        )
        .unwrap();
    assert_eq!(m.row_labels, [data, trust]);
    assert_eq!(m.col_labels, ["CN", "DE"]);
    let at = |r: usize, col: usize| {
        m.cells
            .iter()
            .find(|x| x.row as usize == r && x.col as usize == col)
            .cloned()
    };
    // Transparency × CN: two claims, one supports, one contests; one verdict.
    let cell = at(1, 0).unwrap();
    assert_eq!(cell.count, 2);
    assert_eq!((cell.stance.supports, cell.stance.contests), (1, 1));
    assert_eq!((cell.verdict.supported, cell.verdict.unverified), (1, 1));
    assert_eq!(at(1, 1).unwrap().count, 1);
    assert_eq!(at(0, 0).unwrap().count, 1);
    assert!(at(0, 1).is_none());
    assert_eq!(m.row_totals, [1, 3]);
    assert_eq!(m.col_totals, [2, 1]);
    // The uncoded claim of the corpus is in no code row.
    assert_eq!(m.total, 3);

    // Co-occurrence: the diagonal counts a code's claims, off it the claims with both.
    let co =
        c.nb.matrix(&Axis::parse("code").unwrap(), &Axis::parse("code").unwrap())
            .unwrap();
    let both = co.cells.iter().find(|x| x.row == 0 && x.col == 1).unwrap();
    assert_eq!(both.count, 1);
    let diag = co.cells.iter().find(|x| x.row == 1 && x.col == 1).unwrap();
    assert_eq!(diag.count, 3);

    // Every claim by analyst × stance; a claim without an analyst has the empty label, last.
    let by =
        c.nb.matrix(
            &Axis::parse("analyst").unwrap(),
            &Axis::parse("stance").unwrap(),
        )
        .unwrap();
    assert_eq!(by.row_labels, ["li", "mia", ""]);
    assert_eq!(by.total, 4);

    // A cell lists its claims; an unknown attribute is an error.
    let claims =
        c.nb.matrix_cell(
            &Axis::parse("code").unwrap(),
            &Axis::parse("attr:country").unwrap(),
            trust,
            "CN",
        )
        .unwrap();
    assert_eq!(claims.len(), 2);
    assert!(claims.iter().all(|cl| cl.article_id == c.xinhua));
    assert_eq!(
        c.nb.matrix(
            &Axis::parse("code").unwrap(),
            &Axis::parse("attr:nope").unwrap()
        )
        .unwrap_err()
        .code,
        ErrorCode::NotFound
    );
    // Months come from the articles' dates; sets from their members.
    c.nb.create_set("desk", "").unwrap();
    c.nb.put_in_set("desk", std::slice::from_ref(&c.heise), false)
        .unwrap();
    let months =
        c.nb.matrix(&Axis::parse("set").unwrap(), &Axis::parse("month").unwrap())
            .unwrap();
    assert_eq!(months.row_labels, ["desk"]);
    assert_eq!(months.col_labels.len(), 1);
    assert_eq!(months.total, 1);
}

#[test]
fn a_refi_qda_project_carries_attributes_and_sets_and_its_import_is_undone_as_one() {
    let c = corpus();
    c.nb.create_set("china_desk", "Chinese sources").unwrap();
    c.nb.put_in_set("china_desk", &[c.xinhua.clone(), c.alibaba.clone()], false)
        .unwrap();
    let out = c._tmp.path().join("project.qdpx");
    c.nb.export(
        dossier::model::ExportFormat::Qdpx,
        &out,
        &Default::default(),
        false,
    )
    .unwrap();
    let other = common::open(&c._tmp.path().join("other"));
    let imported = other
        .import_paths(&[out], &AtomicBool::new(false), &mut |_| {})
        .unwrap();
    assert_eq!(
        imported[0].status,
        ImportStatus::Imported,
        "{:?}",
        imported[0]
    );
    let defs = other.attributes().unwrap();
    let typed: Vec<_> = defs.iter().map(|d| (d.name.as_str(), d.kind)).collect();
    assert_eq!(
        typed,
        [
            ("outlet_type", AttributeType::Choice),
            ("country", AttributeType::Text),
            ("published", AttributeType::Date),
            ("params_b", AttributeType::Number),
        ]
    );
    assert_eq!(defs[0].choices, ["state media", "company", "press"]);
    // The same ids (Dossier's GUIDs), the same values and sets.
    assert_eq!(values(&other, &c.xinhua), values(&c.nb, &c.xinhua));
    assert_eq!(values(&other, &c.alibaba), values(&c.nb, &c.alibaba));
    assert_eq!(other.set("china_desk").unwrap().size, 2);
    assert_eq!(
        other.set("china_desk").unwrap().description,
        "Chinese sources"
    );
    // Undo takes the project's attributes, values and sets back out (its articles stay).
    other.undo().unwrap().unwrap();
    assert!(other.attributes().unwrap().is_empty());
    assert!(other.sets().unwrap().is_empty());
    assert_eq!(other.articles().unwrap().len(), 3);
}

#[test]
fn a_claims_span_is_edited_without_losing_it() {
    let c = corpus();
    let _ = c.nb.add_code("Trust/Transparency", None, "");
    let before =
        c.nb.update_claim(
            &c.claim,
            &dossier::model::ClaimPatch {
                codes: Some(vec!["Trust/Transparency".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    c.nb.set_verdict(&c.claim, dossier::model::Verdict::Disputed, None, None, &[])
        .unwrap();
    let moved =
        c.nb.edit_claim_span(
            &c.claim,
            &ClaimTarget::Quote {
                exact: "Qwen is released with open weights".into(),
                occurrence: 1,
            },
        )
        .unwrap();
    assert_eq!(moved.id, before.id);
    assert_eq!(moved.exact, "Qwen is released with open weights");
    assert_eq!(moved.codes, before.codes);
    assert_eq!(moved.verdict, dossier::model::Verdict::Disputed);
    let text = c.nb.article(&c.alibaba).unwrap().text;
    let slice: String = text
        .chars()
        .skip(moved.start as usize)
        .take((moved.end - moved.start) as usize)
        .collect();
    assert_eq!(slice, moved.exact, "code-point offsets");
    // Search finds it by its new words.
    assert!(hits(&c.nb, "kind:claim released").contains(&(Kind::Claim, c.claim.clone())));
    // A quote the article does not hold changes nothing.
    let e =
        c.nb.edit_claim_span(
            &c.claim,
            &ClaimTarget::Quote {
                exact: "nicht im Text".into(),
                occurrence: 1,
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::QuoteNotFound);
    // Undo puts the old span back, with everything else.
    c.nb.undo().unwrap().unwrap();
    let back = c.nb.claim(&c.claim).unwrap();
    assert_eq!(
        (back.exact.as_str(), back.start, back.end),
        (before.exact.as_str(), before.start, before.end)
    );
    assert_eq!(back.verdict, dossier::model::Verdict::Disputed);
}
