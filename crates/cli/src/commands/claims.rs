//! Claims and the relations between them.

use dossier::model::table::{ClaimColumn, ClaimFilter, ClaimQuery, ClaimRow, ClaimSort, Recode};
use dossier::model::{Claim, ClaimPatch, ClaimTarget, EntityKind, Location, NewClaim, Result};
use dossier::Notebook;

use super::{analyst_default, Reply};
use crate::args::{ClaimCmd, RelationCmd, TableArgs};
use crate::print;

pub fn run(nb: &Notebook, cmd: ClaimCmd) -> Result<Reply> {
    let claim = match cmd {
        ClaimCmd::Add {
            article,
            quote,
            region,
            occurrence,
            codes,
            stance,
            confidence,
            claimant,
            comment,
            analyst,
            hedging,
        } => nb.add_claim(NewClaim {
            article_id: article,
            target: match (quote, region) {
                (_, Some(region)) => parse_region(&region)?,
                (Some(exact), None) => ClaimTarget::Quote { exact, occurrence },
                (None, None) => unreachable!("clap requires --quote or --region"),
            },
            codes,
            stance,
            confidence,
            claimant,
            comment,
            analyst: analyst.or_else(analyst_default),
            hedging,
        })?,
        ClaimCmd::Edit {
            id,
            quote,
            occurrence,
            start,
            end,
            codes,
            clear_codes,
            stance,
            confidence,
            claimant,
            comment,
            analyst,
            hedging,
        } => {
            let patch = ClaimPatch {
                codes: if clear_codes {
                    Some(Vec::new())
                } else {
                    Some(codes).filter(|c| !c.is_empty())
                },
                stance,
                confidence,
                claimant,
                comment,
                analyst,
                hedging,
            };
            let target = match (quote, start, end) {
                (Some(exact), _, _) => Some(ClaimTarget::Quote { exact, occurrence }),
                (None, Some(start), Some(end)) => Some(ClaimTarget::Range { start, end }),
                _ => None,
            };
            let moved = target.map(|t| nb.edit_claim_span(&id, &t)).transpose()?;
            let analysis = patch.codes.is_some()
                || patch.stance.is_some()
                || patch.confidence.is_some()
                || patch.claimant.is_some()
                || patch.comment.is_some()
                || patch.analyst.is_some()
                || patch.hedging.is_some();
            match moved {
                Some(claim) if !analysis => claim,
                _ => nb.update_claim(&id, &patch)?,
            }
        }
        ClaimCmd::Verdict {
            id,
            verdict,
            note,
            evidence,
            analyst,
        } => {
            let evidence = evidence
                .iter()
                .map(|e| dossier::parse_evidence(e))
                .collect::<Result<Vec<_>>>()?;
            let analyst = analyst.or_else(analyst_default);
            nb.set_verdict(&id, verdict, analyst.as_deref(), note.as_deref(), &evidence)?
        }
        ClaimCmd::History { id } => {
            let history = serde_json::json!({
                "claim": nb.claim(&id)?,
                "verdicts": nb.verdict_history(&id)?,
                "relations": nb.relations(&id)?,
                "changes": nb.history(EntityKind::Claim, &id)?,
            });
            return Ok(Reply::value(history, print::history_text));
        }
        ClaimCmd::Orphans => return Ok(Reply::list(nb.orphaned_claims()?, print::claim_line)),
        ClaimCmd::Reattach {
            id,
            quote,
            occurrence,
        } => nb.reattach_claim(
            &id,
            &ClaimTarget::Quote {
                exact: quote,
                occurrence,
            },
        )?,
        ClaimCmd::Dismiss { id } => nb.dismiss_orphan(&id)?,
        ClaimCmd::Translate { id, lang, text, by } => {
            let by = by.or_else(analyst_default);
            nb.translate_claim(&id, &lang, &text, by.as_deref())?
        }
        ClaimCmd::Untranslate { translation } => nb.delete_translation(&translation)?,
        ClaimCmd::Delete { id } => {
            return Ok(Reply::value(nb.delete_claim(&id)?, |c| {
                format!("deleted claim {}", c.id)
            }))
        }
    };
    let location = nb.locate_claim(&claim)?;
    Ok(Reply::value(Located { claim, location }, |l| {
        match &l.location {
            Some(at) => format!("{}  p. {}", print::claim_line(&l.claim), at.page),
            None => print::claim_line(&l.claim),
        }
    }))
}

/// `PAGE:X0,Y0,X1,Y1` (points from the page's top-left corner).
fn parse_region(spec: &str) -> Result<ClaimTarget> {
    let bad = || {
        dossier::model::Error::invalid(format!(
            "a region is PAGE:X0,Y0,X1,Y1 (e.g. 2:72,100,300,250), not '{}'",
            dossier::model::limits::shorten(spec, 60)
        ))
    };
    let (page, corners) = spec.split_once(':').ok_or_else(bad)?;
    let page: u32 = page.trim().parse().map_err(|_| bad())?;
    let v: Vec<f32> = corners
        .split(',')
        .map(|x| x.trim().parse::<f32>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| bad())?;
    let [x0, y0, x1, y1] = v[..] else {
        return Err(bad());
    };
    Ok(ClaimTarget::Region {
        page,
        x0,
        y0,
        x1,
        y1,
    })
}

/// A claim with, in a PDF, its page and its rectangles on the pages
/// (points from the page's top-left corner): `page` and `rects` beside the
/// claim's own fields.
#[derive(serde::Serialize)]
struct Located {
    #[serde(flatten)]
    claim: Claim,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
}

/// Streamed: every claim of a code can be tens of thousands (written while the
/// next ones' codes are read).
pub fn list(
    nb: &Notebook,
    out: &print::Out,
    article: Option<&str>,
    code: Option<&str>,
) -> Result<Reply> {
    out.list_chunks(
        |each| nb.claims_each(article, code, each),
        print::claim_line,
    )?;
    Ok(Reply::printed())
}

fn table_query(args: &TableArgs) -> Result<ClaimQuery> {
    let (column, attribute) = match args.sort.trim().strip_prefix("attr:") {
        Some(name) => (ClaimColumn::Created, Some(name.trim().to_string())),
        None => (
            ClaimColumn::parse(&args.sort).ok_or_else(|| {
                dossier::model::Error::invalid(format!(
                    "cannot sort by '{}': use quote, article, codes, stance, hedging, verdict, confidence, claimant, analyst, created, updated or attr:NAME",
                    dossier::model::limits::shorten(&args.sort, 80)
                ))
            })?,
            None,
        ),
    };
    Ok(ClaimQuery {
        filter: ClaimFilter {
            code: args.code.clone(),
            stance: args.stance,
            hedging: args.hedging,
            verdict: args.verdict,
            analyst: args.analyst.clone(),
            text: args.text.clone(),
            articles: args.articles.clone(),
        },
        sort: ClaimSort {
            column,
            attribute,
            descending: args.desc,
        },
    })
}

fn row_line(r: &ClaimRow) -> String {
    let codes = if r.codes.is_empty() {
        String::new()
    } else {
        format!("  [{}]", r.codes.join(", "))
    };
    format!(
        "{}  {} · {} · {}  “{}”{}  — {}",
        r.id,
        r.stance.as_str(),
        r.hedging.as_str(),
        r.verdict.as_str(),
        dossier::model::limits::shorten(&r.exact, 80),
        codes,
        dossier::model::limits::shorten(&r.article_title, 60),
    )
}

/// `table`: a page of the table of claims, or all of it as CSV.
pub fn table(
    nb: &Notebook,
    args: &TableArgs,
    offset: u32,
    limit: u32,
    csv: Option<&std::path::Path>,
    force: bool,
) -> Result<Reply> {
    let query = table_query(args)?;
    if let Some(out) = csv {
        let view = nb.claim_table(&query, 0)?;
        let rows = nb.export_claim_view(view.view, out, force)?;
        let text = format!("wrote {rows} claims to {}", out.display());
        return Ok(Reply::value(
            serde_json::json!({ "total": view.total, "written": rows, "path": out }),
            move |_| text.clone(),
        ));
    }
    let view = nb.claim_table(&query, 0)?;
    let page = nb.claim_table_page(view.view, offset, limit)?;
    let total = view.total;
    Ok(Reply::value(
        serde_json::json!({ "total": total, "offset": offset, "rows": page.rows }),
        move |v| {
            let rows: Vec<ClaimRow> = serde_json::from_value(v["rows"].clone()).unwrap_or_default();
            let mut lines: Vec<String> = rows.iter().map(row_line).collect();
            lines.push(format!(
                "{} of {total} claims from {}",
                rows.len(),
                offset + 1
            ));
            lines.join("\n")
        },
    ))
}

/// `recode`: named claims, or every claim of a table's filter, changed at once.
pub fn recode(
    nb: &Notebook,
    ids: Vec<String>,
    table: Option<&TableArgs>,
    change: Recode,
) -> Result<Reply> {
    let ids = match table {
        Some(args) => {
            let view = nb.claim_table(&table_query(args)?, 0)?;
            nb.claim_table_ids(view.view)?
        }
        None => ids,
    };
    let outcome = nb.recode(&ids, &change)?;
    Ok(Reply::value(outcome, |o| {
        format!(
            "changed {} of {} claims (one undo step)",
            o.changed, o.claims
        )
    }))
}

pub fn relation(nb: &Notebook, cmd: RelationCmd) -> Result<Reply> {
    match cmd {
        RelationCmd::Add {
            from,
            to,
            kind,
            comment,
        } => {
            let analyst = analyst_default();
            let r = nb.add_relation(&from, &to, kind, comment.as_deref(), analyst.as_deref())?;
            Ok(Reply::value(r, print::relation_line))
        }
        RelationCmd::List { claim } => Ok(Reply::list(nb.relations(&claim)?, print::relation_line)),
        RelationCmd::Delete { id } => {
            nb.delete_relation(&id)?;
            let text = format!("deleted relation {id}");
            Ok(Reply::value(
                serde_json::json!({ "deleted": id }),
                move |_| text.clone(),
            ))
        }
    }
}
