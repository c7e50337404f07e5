//! Claims: anchoring a selection, validating the analysis, storing it.

use dossier_model::{
    Anchor, AnchorError, Claim, ClaimPatch, ClaimTarget, Error, ErrorCode, NewClaim, Note, Result,
};
use dossier_store::{articles, claims, codes, new_id, notes, now, Connection};

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
    let anchor = match &new.target {
        ClaimTarget::Quote { exact, occurrence } => {
            Anchor::from_quote(&article.text, exact, *occurrence)
        }
        ClaimTarget::Range { start, end } => Anchor::from_range(&article.text, *start, *end),
    }
    .map_err(anchor_error)?;
    let code_ids = resolve_codes(c, &new.codes)?;
    let claim = Claim {
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
        self.core.store.read(|c| {
            if let Some(a) = article_id {
                articles::get(c, a)?.ok_or_else(|| Error::not_found("article", a))?;
            }
            if let Some(p) = code {
                codes::require(c, p)?;
            }
            claims::list(c, article_id, code)
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
