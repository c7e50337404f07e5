//! Claims: anchoring a selection, validating the analysis, storing it.

use dossier_model::layout::region_span;
use dossier_model::{
    Anchor, AnchorError, Claim, ClaimPatch, ClaimTarget, Error, ErrorCode, NewClaim, Note,
    PageRect, Result,
};
use dossier_store::{articles, claims, codes, layout, new_id, notes, now, Connection};

use crate::Notebook;

fn resolve_codes(c: &Connection, paths: &[String]) -> Result<Vec<String>> {
    paths
        .iter()
        .map(|p| codes::require(c, p).map(|code| code.id))
        .collect()
}

fn check_confidence(n: u8) -> Result<()> {
    if (1..=5).contains(&n) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "confidence must be between 1 and 5, not {n}"
        )))
    }
}

fn anchor_error(e: AnchorError) -> Error {
    match e {
        AnchorError::QuoteNotFound | AnchorError::OccurrenceNotFound { .. } => {
            Error::new(ErrorCode::QuoteNotFound, e.to_string())
        }
        _ => Error::invalid(e.to_string()),
    }
}

fn insert_claim(c: &Connection, new: NewClaim) -> Result<Claim> {
    check_confidence(new.confidence)?;
    let article = articles::get(c, &new.article_id)?
        .ok_or_else(|| Error::not_found("article", &new.article_id))?;
    let mut region = None;
    let anchor = match &new.target {
        ClaimTarget::Quote { exact, occurrence } => {
            Anchor::from_quote(&article.text, exact, *occurrence)
        }
        ClaimTarget::Range { start, end } => Anchor::from_range(&article.text, *start, *end),
        ClaimTarget::Region {
            page,
            x0,
            y0,
            x1,
            y1,
        } => {
            let (rect, start, end) = region_anchor(c, &article, *page, [*x0, *y0, *x1, *y1])?;
            region = Some(rect);
            Anchor::from_range(&article.text, start, end)
        }
    }
    .map_err(anchor_error)?;
    let code_ids = resolve_codes(c, &new.codes)?;
    let claim = Claim {
        region,
        stance: new.stance,
        confidence: new.confidence,
        claimant: dossier_model::non_blank(new.claimant),
        comment: dossier_model::non_blank(new.comment),
        analyst: dossier_model::non_blank(new.analyst),
        hedging: new.hedging,
        ..Claim::new(new_id(), article.id, anchor, now())
    };
    claims::insert(c, &claim, &code_ids)?;
    claims::get(c, &claim.id)?.ok_or_else(|| Error::internal("claim vanished after insert"))
}

/// Smallest side of a region, in points: a click is not a region.
const MIN_REGION_SIDE: f32 = 4.0;

/// A rectangle drawn on page `page` of a PDF article, checked (on a page the
/// article has, within the page, not a mere click), with the text span it
/// stands for: the words inside it, else the nearest word on its page, else
/// the text nearest the page (the end of the page before, the start of the
/// one after).
pub(crate) fn region_anchor(
    c: &Connection,
    article: &dossier_model::Article,
    page: u32,
    [x0, y0, x1, y1]: [f32; 4],
) -> Result<(PageRect, u32, u32)> {
    let pages = article.page_starts.len() as u32;
    if article.media_type != "application/pdf" || pages == 0 {
        return Err(Error::invalid(format!(
            "'{}' is not a PDF: a region is drawn on a PDF's page",
            article.title
        )));
    }
    if page == 0 || page > pages {
        return Err(Error::invalid(format!(
            "page {page} is not in '{}' (pages 1–{pages})",
            article.title
        )));
    }
    let geometry = layout::page(c, &article.sha256, page)?;
    let (w, h) = geometry.as_ref().map_or((f32::MAX, f32::MAX), |g| {
        if g.width > 0.0 {
            (g.width, g.height)
        } else {
            (f32::MAX, f32::MAX)
        }
    });
    let coords = [x0, y0, x1, y1];
    if coords.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("a region's corners must be numbers"));
    }
    let rect = PageRect {
        page,
        x0: x0.min(x1).max(0.0),
        y0: y0.min(y1).max(0.0),
        x1: x0.max(x1).min(w),
        y1: y0.max(y1).min(h),
    };
    if rect.width() < MIN_REGION_SIDE || rect.height() < MIN_REGION_SIDE {
        return Err(Error::invalid(format!(
            "a region must be at least {MIN_REGION_SIDE} points wide and high, on the page"
        )));
    }
    if let Some((start, end)) = geometry.as_ref().and_then(|g| region_span(g, &rect)) {
        return Ok((rect, start, end));
    }
    // A page without placed words: the nearest text around it — the last
    // visible character before the page, or the first of the text when it is
    // the first page.
    let at = article.page_starts[page as usize - 1];
    let mut visible = article
        .text
        .chars()
        .enumerate()
        .filter(|(_, ch)| !ch.is_whitespace())
        .map(|(i, _)| i as u32);
    let near = if at > 0 {
        visible.take_while(|&i| i < at).last()
    } else {
        visible.next()
    };
    let start = near.unwrap_or(0);
    let end = start + 1;
    Ok((rect, start, end))
}

impl Notebook {
    pub fn add_claim(&self, new: NewClaim) -> Result<Claim> {
        let claim = self.logged_new(dossier_model::EntityKind::Claim, |c| {
            let claim = insert_claim(c, new)?;
            let id = claim.id.clone();
            Ok((claim, id))
        })?;
        self.nudge();
        Ok(claim)
    }

    /// Adds many claims in one transaction: all or none (an accepted batch of
    /// suggestions, a generated test notebook).
    pub fn add_claims(&self, batch: Vec<NewClaim>) -> Result<Vec<Claim>> {
        // Logged as one undo step, like a single claim's addition.
        let claims = self.logged_claims(&[], "add", |c| {
            let claims: Vec<Claim> = batch
                .into_iter()
                .map(|n| insert_claim(c, n))
                .collect::<Result<_>>()?;
            let ids = claims.iter().map(|c| c.id.clone()).collect();
            Ok((claims, ids))
        })?;
        self.nudge();
        Ok(claims)
    }

    pub fn claim(&self, id: &str) -> Result<Claim> {
        self.core
            .store
            .read(|c| claims::get(c, id))?
            .ok_or_else(|| Error::not_found("claim", id))
    }

    /// Claims of an article and/or with a code (or a code below it).
    pub fn claims(&self, article_id: Option<&str>, code: Option<&str>) -> Result<Vec<Claim>> {
        let mut all = Vec::new();
        self.claims_each(article_id, code, &mut |chunk| {
            all.extend(chunk);
            Ok(())
        })?;
        Ok(all)
    }

    /// `claims`, a chunk at a time in the same order, from one read of the
    /// notebook: for a caller that writes a long listing out as it comes.
    pub fn claims_each(
        &self,
        article_id: Option<&str>,
        code: Option<&str>,
        each: &mut dyn FnMut(Vec<Claim>) -> Result<()>,
    ) -> Result<()> {
        self.core.store.read(|c| {
            if let Some(a) = article_id {
                articles::get(c, a)?.ok_or_else(|| Error::not_found("article", a))?;
            }
            if let Some(p) = code {
                codes::require(c, p)?;
            }
            claims::list_each(c, article_id, code, each)
        })
    }

    /// Ids of the articles with at least one claim carrying `code` or a code below it.
    pub fn articles_with_code(&self, code: &str) -> Result<Vec<String>> {
        self.core.store.read(|c| {
            codes::require(c, code)?;
            claims::article_ids_with_code(c, code)
        })
    }

    pub fn update_claim(&self, id: &str, patch: &ClaimPatch) -> Result<Claim> {
        if let Some(n) = patch.confidence {
            check_confidence(n)?;
        }
        let claim = self.logged(dossier_model::EntityKind::Claim, id, "edit", |c| {
            let code_ids = patch
                .codes
                .as_deref()
                .map(|p| resolve_codes(c, p))
                .transpose()?;
            if !claims::update(c, id, patch, code_ids.as_deref())? {
                return Err(Error::not_found("claim", id));
            }
            claims::get(c, id)?.ok_or_else(|| Error::internal("claim vanished after update"))
        })?;
        self.nudge();
        Ok(claim)
    }

    /// Deletes a claim (into the trash) and returns it as it was.
    pub fn delete_claim(&self, id: &str) -> Result<Claim> {
        let claim = self.logged(dossier_model::EntityKind::Claim, id, "delete", |c| {
            let claim = claims::get(c, id)?.ok_or_else(|| Error::not_found("claim", id))?;
            claims::delete(c, id)?;
            Ok(claim)
        })?;
        self.nudge();
        Ok(claim)
    }

    /// Notes that link to a claim.
    pub fn claim_backlinks(&self, id: &str) -> Result<Vec<Note>> {
        self.core.store.read(|c| notes::linking_to_claim(c, id))
    }
}
