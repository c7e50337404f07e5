//! The table of claims (views read a page at a time) and bulk recode.
//!
//! A view fixes which claims a table shows and in which order when it is made:
//! one query gives the ordered rowids (8 bytes a claim: 8 MB for a million),
//! kept here under a number; each page then reads its rows fresh by rowid, so
//! scrolling a million rows costs one small query per screenful, and an edit
//! shows on the next page read. The few newest views are kept; an older
//! number answers with a clear error and the window makes a new view.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;

use dossier_export::{csv, ArticleBundle};
use dossier_model::attributes::{ArticleFilter, AttributeFilter};
use dossier_model::table::{
    ClaimPage, ClaimQuery, ClaimView, Recode, RecodeOutcome, MAX_PAGE_ROWS, MAX_RECODE,
};
use dossier_model::{EntityKind, Error, ErrorCode, Result};
use dossier_store::{articles, claims, codes, relations, table};

use crate::exporting::{refuse_existing, write_atomically};
use crate::Notebook;

/// Views kept at once (a window has one or two; a CLI none for long).
const KEPT_VIEWS: usize = 8;

#[derive(Default)]
pub(crate) struct Views {
    next: u32,
    kept: VecDeque<(u32, Arc<Vec<i64>>)>,
}

impl Views {
    fn put(&mut self, rowids: Vec<i64>) -> (u32, Arc<Vec<i64>>) {
        self.next += 1;
        let ids = Arc::new(rowids);
        self.kept.push_back((self.next, ids.clone()));
        while self.kept.len() > KEPT_VIEWS {
            self.kept.pop_front();
        }
        (self.next, ids)
    }

    fn get(&self, view: u32) -> Result<Arc<Vec<i64>>> {
        self.kept
            .iter()
            .find(|(n, _)| *n == view)
            .map(|(_, ids)| ids.clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("the claims view {view} is no longer kept; open the table again"),
                )
            })
    }
}

/// `attr:…` or `set:…` as written in a table filter.
fn article_filter(s: &str) -> Result<ArticleFilter> {
    let s = s.trim();
    let bad = || {
        Error::invalid(format!(
            "'{}' is no article filter: use attr:NAME=VALUE (or <, <=, >, >=) or set:NAME",
            dossier_model::limits::shorten(s, 80)
        ))
    };
    if let Some(rest) = s.strip_prefix("attr:") {
        AttributeFilter::parse(rest)
            .map(ArticleFilter::Attribute)
            .ok_or_else(bad)
    } else if let Some(rest) = s.strip_prefix("set:") {
        Ok(ArticleFilter::Set(rest.trim().to_string()))
    } else {
        Err(bad())
    }
}

fn page_range(total: usize, offset: u32, limit: u32) -> std::ops::Range<usize> {
    let limit = limit.min(MAX_PAGE_ROWS) as usize;
    let from = (offset as usize).min(total);
    from..(from + limit).min(total)
}

impl Notebook {
    /// A kept view's ordered rowids.
    fn view(&self, view: u32) -> Result<Arc<Vec<i64>>> {
        self.core
            .views
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(view)
    }

    /// Makes a view of the table of claims and returns its first `limit` rows.
    pub fn claim_table(&self, query: &ClaimQuery, limit: u32) -> Result<ClaimView> {
        // Article filters are resolved to the articles they allow, all of them at once.
        let mut allowed: Option<Vec<String>> = None;
        for f in &query.filter.articles {
            let ids = self.articles_where(&article_filter(f)?)?;
            allowed = Some(match allowed {
                None => ids,
                Some(before) => {
                    let keep: std::collections::HashSet<String> = ids.into_iter().collect();
                    before.into_iter().filter(|id| keep.contains(id)).collect()
                }
            });
        }
        let rowids = self.core.store.read(|c| {
            if let Some(code) = &query.filter.code {
                codes::require(c, code)?;
            }
            if let Some(name) = &query.sort.attribute {
                if dossier_store::attributes::def(c, name)?.is_none() {
                    return Err(Error::new(
                        ErrorCode::NotFound,
                        format!(
                            "no attribute named '{}'",
                            dossier_model::limits::shorten(name, 80)
                        ),
                    ));
                }
            }
            table::ordered_ids(c, query, allowed.as_deref())
        })?;
        let (view, ids) = self
            .core
            .views
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .put(rowids);
        let range = page_range(ids.len(), 0, limit);
        let rows = self.core.store.read(|c| table::rows(c, &ids[range]))?;
        Ok(ClaimView {
            view,
            total: ids.len() as u32,
            rows,
        })
    }

    /// Rows `offset..offset + limit` of a view (at most 2 000).
    pub fn claim_table_page(&self, view: u32, offset: u32, limit: u32) -> Result<ClaimPage> {
        let ids = self.view(view)?;
        let range = page_range(ids.len(), offset, limit);
        let rows = self.core.store.read(|c| table::rows(c, &ids[range]))?;
        Ok(ClaimPage { view, offset, rows })
    }

    /// The ids of every claim in a view, in its order (to select them all).
    pub fn claim_table_ids(&self, view: u32) -> Result<Vec<String>> {
        let ids = self.view(view)?;
        self.core.store.read(|c| table::ids(c, &ids))
    }

    /// Writes the claims of a view, in its order, as CSV (the columns of the
    /// CSV export), streamed: one page of claims in memory at a time.
    pub fn export_claim_view(&self, view: u32, out: &Path, force: bool) -> Result<u32> {
        let ids = self.view(view)?;
        refuse_existing(out, force)?;
        let names: Vec<String> = self.attributes()?.into_iter().map(|a| a.name).collect();
        let mut written = 0u32;
        write_atomically(out, |writer| {
            let mut stream = csv::Stream::new(writer, &names)?;
            // What the rows need of an article (title, source, pages, attributes),
            // read once per article; its text is dropped.
            let mut seen: HashMap<String, ArticleBundle> = HashMap::new();
            for chunk in ids.chunks(1_000) {
                self.core.store.read(|c| {
                    for id in table::ids(c, chunk)? {
                        let Some(claim) = claims::get(c, &id)? else {
                            continue;
                        };
                        if !seen.contains_key(&claim.article_id) {
                            let Some(mut article) = articles::get(c, &claim.article_id)? else {
                                continue;
                            };
                            article.text = String::new();
                            let attributes = dossier_store::attributes::values_of(c, &article.id)?;
                            seen.insert(
                                article.id.clone(),
                                ArticleBundle {
                                    article,
                                    claims: Vec::new(),
                                    notes: Vec::new(),
                                    relations: Vec::new(),
                                    attributes,
                                    sets: Vec::new(),
                                    locations: Default::default(),
                                },
                            );
                        }
                        let bundle = seen.get_mut(&claim.article_id).expect("inserted above");
                        bundle.relations = relations::of_claim(c, &claim.id)?;
                        bundle.claims = vec![claim];
                        stream.push(bundle)?;
                        written += 1;
                    }
                    Ok(())
                })?;
            }
            stream.finish()
        })?;
        Ok(written)
    }

    /// Changes many claims at once — codes added or taken off, stance, hedging,
    /// verdict — as one undo step. All or nothing: an unknown code or claim
    /// changes nothing.
    pub fn recode(&self, ids: &[String], change: &Recode) -> Result<RecodeOutcome> {
        if change.is_empty() {
            return Err(Error::invalid(
                "nothing to change: name a code to add or remove, a stance, a hedging or a verdict",
            ));
        }
        if ids.is_empty() {
            return Err(Error::invalid("no claims named"));
        }
        if ids.len() > MAX_RECODE {
            return Err(Error::invalid(format!(
                "{} claims named; one change holds at most {MAX_RECODE} (each is kept for undo) — narrow the view",
                ids.len()
            )));
        }
        if let Some(p) = change
            .add_codes
            .iter()
            .find(|p| change.remove_codes.contains(p))
        {
            return Err(Error::invalid(format!(
                "code '{p}' is both added and removed"
            )));
        }
        let mut unique: Vec<&String> = ids.iter().collect();
        unique.sort();
        unique.dedup();
        let analyst = change
            .analyst
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty());
        let changed = self.logged_step("edit", |c, step| {
            let add: Vec<String> = change
                .add_codes
                .iter()
                .map(|p| codes::require(c, p).map(|k| k.id))
                .collect::<Result<_>>()?;
            let remove: Vec<String> = change
                .remove_codes
                .iter()
                .map(|p| codes::require(c, p).map(|k| k.id))
                .collect::<Result<_>>()?;
            let mut changed = 0u32;
            for id in &unique {
                let Some(claim) = claims::get(c, id)? else {
                    return Err(Error::not_found("claim", id));
                };
                step.will_change(EntityKind::Claim, id)?;
                let mut did = claims::recode(c, id, &add, &remove, change.stance, change.hedging)?;
                if let Some(v) = change.verdict.filter(|v| *v != claim.verdict) {
                    relations::set_verdict(c, id, v, analyst, Some("bulk recode"), &[])?;
                    did = true;
                }
                changed += u32::from(did);
            }
            Ok(changed)
        })?;
        self.nudge();
        Ok(RecodeOutcome {
            claims: unique.len() as u32,
            changed,
        })
    }
}
