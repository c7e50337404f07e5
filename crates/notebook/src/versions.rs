//! New versions of an article, and carrying its claims over.
//!
//! A revised article is imported as a new article linked to the one it
//! replaces; the old one stays (its file and text are the evidence the claims
//! were made on). Each claim is carried in three steps:
//! 1. a character diff of the two texts maps positions: a claim whose every
//!    character survived, in one piece, is `exact` at its new place;
//! 2. else its quote is searched in the new text, scored by prefix, suffix and
//!    distance from where the diff puts it (as Hypothesis re-attaches
//!    annotations): found means `exact` (moved);
//! 3. else, when at least half of its characters survived, the claim spans what
//!    the diff maps its ends to: `changed`, the old quote kept beside it;
//!    otherwise `orphaned`: it stays on the old version, in the review queue.
//!
//! A claim is never deleted here.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use dossier_model::{
    Anchor, AnchorStatus, CarryReport, Claim, ClaimTarget, Error, ErrorCode, ImportStatus, Result,
    TextIndex,
};
use dossier_store::{articles, claims};
use similar::{Algorithm, DiffTag};

use crate::Notebook;

/// A diff gives up refining after this long and returns a coarser (still
/// correct) answer: a rewritten 1 MB article must not stall the import.
const DIFF_TIMEOUT: Duration = Duration::from_secs(2);

/// Old code-point positions mapped into the new text.
pub(crate) struct TextMap {
    /// For each old character, its new position when it survived unchanged.
    same: Vec<Option<u32>>,
    /// (old range, new range) of every edit, in order.
    edits: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    new_len: usize,
}

/// Words (runs of letters and digits) and single other characters, each CJK
/// character on its own, with the code-point offset where each starts. Diffing
/// these rather than characters keeps a changed word from being matched
/// letter by letter against some other word.
fn tokens(text: &str) -> (Vec<&str>, Vec<usize>) {
    let mut toks = Vec::new();
    let mut starts = Vec::new();
    let mut cp = 0usize;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let start_cp = cp;
        cp += 1;
        let mut end = i + c.len_utf8();
        let wordy = |c: char| c.is_alphanumeric() && !dossier_search::analysis::is_cjk(c);
        if wordy(c) {
            while let Some(&(j, d)) = iter.peek() {
                if !wordy(d) {
                    break;
                }
                end = j + d.len_utf8();
                cp += 1;
                iter.next();
            }
        }
        toks.push(&text[i..end]);
        starts.push(start_cp);
    }
    starts.push(cp);
    (toks, starts)
}

impl TextMap {
    pub fn new(old: &str, new: &str) -> TextMap {
        let (old_toks, old_at) = tokens(old);
        let (new_toks, new_at) = tokens(new);
        let deadline = std::time::Instant::now() + DIFF_TIMEOUT;
        let ops = similar::capture_diff_slices_deadline(
            Algorithm::Patience,
            &old_toks,
            &new_toks,
            Some(deadline),
        );
        let old_len = *old_at.last().unwrap_or(&0);
        let mut same = vec![None; old_len];
        let mut edits = Vec::new();
        for op in ops {
            let (tag, o, n) = op.as_tag_tuple();
            // Token ranges to code-point ranges.
            let (oc, nc) = (
                old_at[o.start]..old_at[o.end],
                new_at[n.start]..new_at[n.end],
            );
            if tag == DiffTag::Equal {
                for (k, i) in oc.enumerate() {
                    same[i] = Some((nc.start + k) as u32);
                }
            } else {
                edits.push((oc, nc));
            }
        }
        TextMap {
            same,
            edits,
            new_len: *new_at.last().unwrap_or(&0),
        }
    }

    /// Where old position `s` starts in the new text (an edited character maps
    /// to the start of what replaced it).
    fn start(&self, s: usize) -> usize {
        if let Some(Some(n)) = self.same.get(s) {
            return *n as usize;
        }
        self.edits_near(s)
            .find(|(o, _)| o.contains(&s) || (o.is_empty() && o.start == s))
            .map_or(self.new_len, |(_, n)| n.start)
    }

    /// The edits that may contain old position `s` (edits are sorted and disjoint:
    /// a binary search, not a scan — many claims on a much-edited text stay fast).
    fn edits_near(
        &self,
        s: usize,
    ) -> impl Iterator<Item = &(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let first = self.edits.partition_point(|(o, _)| o.end < s);
        self.edits[first..]
            .iter()
            .take_while(move |(o, _)| o.start <= s)
    }

    /// An old code-point range in the new text (for a position hint).
    pub(crate) fn map_range(&self, s: usize, e: usize) -> (u32, u32) {
        let (ns, ne) = (self.start(s), self.end(e));
        (ns as u32, ne.max(ns) as u32)
    }

    /// Where old exclusive end `e` ends in the new text.
    fn end(&self, e: usize) -> usize {
        if e == 0 {
            return 0;
        }
        if let Some(Some(n)) = self.same.get(e - 1) {
            return *n as usize + 1;
        }
        self.edits_near(e - 1)
            .find(|(o, _)| o.contains(&(e - 1)))
            .map_or(self.new_len, |(_, n)| n.end)
    }
}

/// The outcome for one claim.
#[derive(Debug, PartialEq)]
pub(crate) enum Carried {
    Exact(Anchor),
    Changed(Anchor),
    Orphaned,
}

#[cfg(test)]
pub(crate) fn carry(map: &TextMap, new_text: &str, claim: &Claim) -> Carried {
    carry_in(map, &TextIndex::new(new_text), claim)
}

/// `carry` over a new text indexed once (for carrying many claims).
pub(crate) fn carry_in(map: &TextMap, idx: &TextIndex<'_>, claim: &Claim) -> Carried {
    let (s, e) = (claim.start as usize, claim.end as usize);
    let len = e.saturating_sub(s);
    if len == 0 || e > map.same.len() {
        return Carried::Orphaned;
    }
    // 1. Every character survived, in one piece.
    if let (Some(Some(a)), Some(Some(b))) = (map.same.get(s), map.same.get(e - 1)) {
        let whole = (s..e).all(|i| map.same[i].is_some());
        if whole && (*b as usize) - (*a as usize) == len - 1 {
            if let Ok(anchor) = Anchor::from_range_in(idx, *a, *b + 1) {
                if anchor.exact == claim.exact {
                    return Carried::Exact(anchor);
                }
            }
        }
    }
    // 2. The same quote elsewhere (a moved paragraph), best by context.
    let hint_start = map.start(s) as u32;
    if let Some(anchor) = Anchor::relocate_in(
        idx,
        &claim.exact,
        &claim.prefix,
        &claim.suffix,
        Some((hint_start, hint_start + len as u32)),
    ) {
        return Carried::Exact(anchor);
    }
    // 3. Most of it survived, with edits inside: span what its ends map to.
    let survived = (s..e).filter(|&i| map.same[i].is_some()).count();
    let (ns, ne) = (map.start(s), map.end(e));
    if survived * 2 >= len && ne > ns && ne - ns <= 2 * len + 20 {
        if let Ok(anchor) = Anchor::from_range_in(idx, ns as u32, ne as u32) {
            if !anchor.exact.trim().is_empty() {
                return Carried::Changed(anchor);
            }
        }
    }
    Carried::Orphaned
}

impl Notebook {
    /// Imports `path` as a new version of `replaces` and carries every claim
    /// of `replaces` over (see the module comment).
    pub fn import_new_version(&self, path: &Path, replaces: &str) -> Result<CarryReport> {
        self.article(replaces)?;
        if let Some(newer) = self
            .core
            .store
            .read(|c| articles::replaced_by(c, replaces))?
        {
            return Err(Error::invalid(format!(
                "article {replaces} already has a newer version ({newer}); import over that one"
            )));
        }
        let outcome = self
            .import_paths(&[path.to_path_buf()], &AtomicBool::new(false), &mut |_| {})?
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("import returned nothing"))?;
        let new_id = match (outcome.status, outcome.id) {
            (ImportStatus::Imported, Some(id)) => id,
            (ImportStatus::Duplicate, Some(id)) if id == replaces => {
                return Err(Error::invalid(
                    "this file is the version already in the notebook: nothing changed",
                ))
            }
            (ImportStatus::Duplicate, Some(id)) => {
                return Err(Error::new(
                    ErrorCode::Conflict,
                    format!("this file is already in the notebook as article {id}"),
                ))
            }
            _ => {
                return Err(Error::invalid(
                    outcome
                        .error
                        .unwrap_or_else(|| "the file could not be imported".into()),
                ))
            }
        };
        self.carry_claims(replaces, &new_id)
    }

    /// Links `to` as the new version of `from` and carries `from`'s claims to it,
    /// all in one transaction.
    pub fn carry_claims(&self, from: &str, to: &str) -> Result<CarryReport> {
        if from == to {
            return Err(Error::invalid("an article cannot replace itself"));
        }
        let old = self.article(from)?;
        let new = self.article(to)?;
        let (newer, older) = self
            .core
            .store
            .read(|c| Ok((articles::replaced_by(c, from)?, articles::replaces(c, to)?)))?;
        if let Some(n) = newer {
            return Err(Error::invalid(format!(
                "article {from} already has a newer version ({n})"
            )));
        }
        if let Some(o) = older {
            return Err(Error::invalid(format!(
                "article {to} already replaces another article ({o})"
            )));
        }
        let map = TextMap::new(&old.text, &new.text);
        let new_idx = TextIndex::new(&new.text);
        let mut report = CarryReport {
            article_id: to.to_string(),
            replaces: from.to_string(),
            ..Default::default()
        };
        // Every carried claim is logged, and the carry is one undo step.
        let carried: Vec<String> = self
            .core
            .store
            .read(|c| claims::list(c, Some(from), None))?
            .into_iter()
            .map(|c| c.id)
            .collect();
        self.logged_claims(&carried, "carry", |c| {
            articles::set_replaces(c, to, from)?;
            for claim in claims::list(c, Some(from), None)? {
                if claim.anchor_status == AnchorStatus::Dismissed {
                    continue;
                }
                match carry_in(&map, &new_idx, &claim) {
                    Carried::Exact(a) => {
                        report.exact += 1;
                        claims::reanchor(c, &claim.id, to, &a, AnchorStatus::Exact, None)?;
                    }
                    Carried::Changed(a) => {
                        report.changed += 1;
                        let original = claim.original_exact.as_deref().unwrap_or(&claim.exact);
                        claims::reanchor(
                            c,
                            &claim.id,
                            to,
                            &a,
                            AnchorStatus::Changed,
                            Some(original),
                        )?;
                    }
                    Carried::Orphaned => {
                        report.orphaned += 1;
                        claims::set_anchor_status(c, &claim.id, AnchorStatus::Orphaned)?;
                    }
                }
            }
            Ok(((), Vec::new()))
        })?;
        self.nudge();
        Ok(report)
    }

    /// The review queue: claims not found in a newer version of their article.
    pub fn orphaned_claims(&self) -> Result<Vec<Claim>> {
        self.core.store.read(claims::orphans)
    }

    /// Attaches an orphan to the newest version of its article at `target`;
    /// its old quote is kept as `original_exact`.
    pub fn reattach_claim(&self, id: &str, target: &ClaimTarget) -> Result<Claim> {
        let claim = self.claim(id)?;
        let mut latest = claim.article_id.clone();
        while let Some(next) = self
            .core
            .store
            .read(|c| articles::replaced_by(c, &latest))?
        {
            latest = next;
        }
        if latest == claim.article_id {
            return Err(Error::invalid(
                "this claim's article has no newer version to attach it to",
            ));
        }
        let text = self.article(&latest)?.text;
        let anchor = match target {
            ClaimTarget::Quote { exact, occurrence } => {
                Anchor::from_quote(&text, exact, *occurrence)
            }
            ClaimTarget::Range { start, end } => Anchor::from_range(&text, *start, *end),
            ClaimTarget::Region { .. } => {
                return Err(Error::invalid(
                    "an orphan is placed on a passage of the new version's text",
                ))
            }
        }
        .map_err(|e| Error::new(ErrorCode::QuoteNotFound, e.to_string()))?;
        let original = claim.original_exact.clone().unwrap_or(claim.exact.clone());
        self.logged(dossier_model::EntityKind::Claim, id, "reattach", |c| {
            claims::reanchor(
                c,
                id,
                &latest,
                &anchor,
                AnchorStatus::Changed,
                Some(&original),
            )
        })?;
        self.nudge();
        self.claim(id)
    }

    /// Moves a claim to another span of its own article (a quote with its
    /// occurrence, or a code-point range). Its id, codes, relations, verdicts
    /// and history stay; undo puts the old span back. The analyst has placed it,
    /// so it is anchored exactly.
    pub fn edit_claim_span(&self, id: &str, target: &ClaimTarget) -> Result<Claim> {
        let claim = self.claim(id)?;
        let text = self.article(&claim.article_id)?.text;
        let anchor = match target {
            ClaimTarget::Quote { exact, occurrence } => {
                Anchor::from_quote(&text, exact, *occurrence)
            }
            ClaimTarget::Range { start, end } => Anchor::from_range(&text, *start, *end),
            ClaimTarget::Region { .. } => {
                return Err(Error::invalid(
                    "a claim's span is moved by selecting text; draw a new region instead",
                ))
            }
        }
        .map_err(|e| Error::new(ErrorCode::QuoteNotFound, e.to_string()))?;
        // Chosen anew as text: a region claim becomes a claim on that text.
        self.logged(dossier_model::EntityKind::Claim, id, "edit", |c| {
            claims::reanchor(c, id, &claim.article_id, &anchor, AnchorStatus::Exact, None)?;
            claims::clear_region(c, id)
        })?;
        self.nudge();
        self.claim(id)
    }

    /// Leaves an orphan on its old version and takes it out of the review queue.
    pub fn dismiss_orphan(&self, id: &str) -> Result<Claim> {
        let claim = self.claim(id)?;
        if claim.anchor_status != AnchorStatus::Orphaned {
            return Err(Error::invalid("only orphaned claims can be dismissed"));
        }
        self.logged(dossier_model::EntityKind::Claim, id, "dismiss", |c| {
            claims::set_anchor_status(c, id, AnchorStatus::Dismissed)
        })?;
        self.nudge();
        self.claim(id)
    }

    /// The chain of versions `id` belongs to, oldest first.
    pub fn article_versions(&self, id: &str) -> Result<Vec<String>> {
        self.article(id)?;
        self.core.store.read(|c| {
            let mut first = id.to_string();
            while let Some(prev) = articles::replaces(c, &first)? {
                first = prev;
            }
            let mut chain = vec![first.clone()];
            while let Some(next) = articles::replaced_by(c, chain.last().expect("one"))? {
                chain.push(next);
            }
            Ok(chain)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim_at(text: &str, quote: &str) -> Claim {
        let a = Anchor::from_quote(text, quote, 1).unwrap();
        Claim::new("c".into(), "a".into(), a, String::new())
    }

    #[test]
    fn unchanged_moved_edited_and_deleted_quotes() {
        let old = "Einleitung 😀.\n\nQwen veröffentlicht Gewichte.\n\nDie Datenintegrität bleibt unklar.\n\n𠀋 Schluss.";
        let new = "Neuer Absatz 𠀋 vorne.\n\nEinleitung 😀.\n\nQwen veröffentlicht alle Gewichte.\n\n𠀋 Schluss.";
        let map = TextMap::new(old, new);
        let moved = carry(&map, new, &claim_at(old, "Einleitung 😀"));
        match moved {
            Carried::Exact(a) => assert_eq!(a.exact, "Einleitung 😀"),
            other => panic!("{other:?}"),
        }
        match carry(&map, new, &claim_at(old, "Qwen veröffentlicht Gewichte")) {
            Carried::Changed(a) => assert_eq!(a.exact, "Qwen veröffentlicht alle Gewichte"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            carry(
                &map,
                new,
                &claim_at(old, "Die Datenintegrität bleibt unklar")
            ),
            Carried::Orphaned
        );
        match carry(&map, new, &claim_at(old, "𠀋 Schluss")) {
            Carried::Exact(a) => {
                assert_eq!(a.exact, "𠀋 Schluss");
                assert_eq!(
                    new.chars()
                        .skip(a.start as usize)
                        .take(2)
                        .collect::<String>(),
                    "𠀋 "
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_paragraph_moved_elsewhere_keeps_its_claims_exact() {
        let old =
            "A erster Absatz über Vertrauen.\n\nB zweiter Absatz über Transparenz.\n\nC dritter.";
        let new =
            "C dritter.\n\nB zweiter Absatz über Transparenz.\n\nA erster Absatz über Vertrauen.";
        let map = TextMap::new(old, new);
        for q in [
            "erster Absatz über Vertrauen",
            "zweiter Absatz über Transparenz",
        ] {
            match carry(&map, new, &claim_at(old, q)) {
                Carried::Exact(a) => assert_eq!(a.exact, q),
                other => panic!("{q}: {other:?}"),
            }
        }
    }
}
