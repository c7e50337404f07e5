//! Relations between claims, hedging and verdicts (with their history).

use dossier_model::{
    Claim, ClaimRelation, Error, ErrorCode, Evidence, RelationKind, Result, Verdict, VerdictChange,
};
use dossier_store::{claims, notes, relations};

use crate::Notebook;

impl Notebook {
    /// Links two claims (also across articles): `from` supports, contradicts,
    /// qualifies or repeats `to`. Both claims show it and are re-indexed.
    pub fn add_relation(
        &self,
        from: &str,
        to: &str,
        kind: RelationKind,
        comment: Option<&str>,
        analyst: Option<&str>,
    ) -> Result<ClaimRelation> {
        if from == to {
            return Err(Error::invalid("a claim cannot be related to itself"));
        }
        self.claim(from)?;
        self.claim(to)?;
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        let added = self.logged(dossier_model::EntityKind::Claim, from, "edit", |c| {
            relations::add(c, from, to, kind, comment, analyst)
        })?;
        self.nudge();
        added.ok_or_else(|| {
            Error::new(
                ErrorCode::Conflict,
                format!("claim {from} already {} claim {to}", kind.as_str()),
            )
        })
    }

    /// Every relation with `claim_id` at either end.
    pub fn relations(&self, claim_id: &str) -> Result<Vec<ClaimRelation>> {
        self.claim(claim_id)?;
        self.core.store.read(|c| relations::of_claim(c, claim_id))
    }

    pub fn delete_relation(&self, id: &str) -> Result<()> {
        let from = self
            .core
            .store
            .read(|c| relations::get(c, id))?
            .map(|r| r.from_id)
            .ok_or_else(|| Error::not_found("relation", id))?;
        let deleted = self.logged(dossier_model::EntityKind::Claim, &from, "edit", |c| {
            relations::delete(c, id)
        })?;
        self.nudge();
        if deleted {
            Ok(())
        } else {
            Err(Error::not_found("relation", id))
        }
    }

    /// Records a verdict (unverified → supported / disputed / refuted, or back)
    /// with who, why and the evidence; earlier verdicts stay in the history.
    /// Evidence must exist: a claim or note of this notebook, or an http(s) address.
    pub fn set_verdict(
        &self,
        claim_id: &str,
        verdict: Verdict,
        analyst: Option<&str>,
        note: Option<&str>,
        evidence: &[Evidence],
    ) -> Result<Claim> {
        self.claim(claim_id)?;
        self.core.store.read(|c| {
            for e in evidence {
                let ok = match e.kind.as_str() {
                    "claim" => claims::get(c, &e.target)?.is_some(),
                    "note" => notes::get(c, &e.target)?.is_some(),
                    "url" => e.target.starts_with("https://") || e.target.starts_with("http://"),
                    _ => false,
                };
                if !ok {
                    return Err(Error::invalid(format!(
                        "evidence '{}:{}' is neither a claim, a note of this notebook nor a web address",
                        e.kind, e.target
                    )));
                }
            }
            Ok(())
        })?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        self.logged(dossier_model::EntityKind::Claim, claim_id, "edit", |c| {
            relations::set_verdict(c, claim_id, verdict, analyst, note, evidence)
        })?;
        self.nudge();
        self.claim(claim_id)
    }

    /// A claim's verdicts, oldest first.
    pub fn verdict_history(&self, claim_id: &str) -> Result<Vec<VerdictChange>> {
        self.claim(claim_id)?;
        self.core.store.read(|c| relations::verdicts(c, claim_id))
    }
}

/// `claim:ID`, `note:ID` or a web address, as typed on the command line.
pub fn parse_evidence(s: &str) -> Result<Evidence> {
    let s = s.trim();
    if s.starts_with("http://") || s.starts_with("https://") {
        return Ok(Evidence {
            kind: "url".into(),
            target: s.into(),
        });
    }
    match s.split_once(':') {
        Some((kind @ ("claim" | "note" | "url"), target)) if !target.is_empty() => Ok(Evidence {
            kind: kind.into(),
            target: target.into(),
        }),
        _ => Err(Error::invalid(format!(
            "evidence '{s}': use claim:ID, note:ID or an http(s) address"
        ))),
    }
}
