//! Translations kept with claims, and the glossary of terms across languages
//! that search expands on request.

use dossier_model::limits::{
    MAX_CONCEPTS, MAX_CONCEPT_TERMS, MAX_TRANSLATIONS, MAX_TRANSLATION_CHARS,
};
use dossier_model::{
    Claim, EntityKind, Error, ErrorCode, GlossaryConcept, GlossaryTerm, Result, Translation,
};
use dossier_store::{claims, glossary, new_id, now};

use crate::Notebook;

impl Notebook {
    /// Adds a translation of a claim's quote (in `language`, made by
    /// `translator`: an analyst or a tool). The claim's id, codes and history
    /// stay; undo takes the translation off again.
    pub fn translate_claim(
        &self,
        claim_id: &str,
        language: &str,
        text: &str,
        translator: Option<&str>,
    ) -> Result<Claim> {
        let language = dossier_model::valid_language(language)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::invalid("a translation needs its text"));
        }
        if text.chars().count() > MAX_TRANSLATION_CHARS {
            return Err(Error::invalid(format!(
                "a translation holds at most {MAX_TRANSLATION_CHARS} characters"
            )));
        }
        let translator = translator.map(str::trim).filter(|t| !t.is_empty());
        let claim = self.logged(EntityKind::Claim, claim_id, "edit", |c| {
            let claim =
                claims::get(c, claim_id)?.ok_or_else(|| Error::not_found("claim", claim_id))?;
            if claim.translations.len() >= MAX_TRANSLATIONS {
                return Err(Error::invalid(format!(
                    "a claim holds at most {MAX_TRANSLATIONS} translations"
                )));
            }
            claims::add_translation(
                c,
                claim_id,
                &Translation {
                    id: new_id(),
                    language,
                    text: text.to_string(),
                    translator: translator.map(str::to_string),
                    created_at: now(),
                },
            )?;
            claims::touch(c, claim_id)?;
            claims::get(c, claim_id)?.ok_or_else(|| Error::internal("claim vanished"))
        })?;
        self.nudge();
        Ok(claim)
    }

    /// Removes one translation (undoable); returns its claim.
    pub fn delete_translation(&self, translation_id: &str) -> Result<Claim> {
        let claim_id = self
            .core
            .store
            .read(|c| claims::translation_claim(c, translation_id))?
            .ok_or_else(|| Error::not_found("translation", translation_id))?;
        let claim = self.logged(EntityKind::Claim, &claim_id, "edit", |c| {
            claims::delete_translation(c, translation_id)?;
            claims::touch(c, &claim_id)?;
            claims::get(c, &claim_id)?.ok_or_else(|| Error::internal("claim vanished"))
        })?;
        self.nudge();
        Ok(claim)
    }

    /// Every concept of the glossary.
    pub fn glossary(&self) -> Result<Vec<GlossaryConcept>> {
        self.core.store.read(glossary::list)
    }

    /// Adds terms that name one concept (`de:Transparenz en:transparency
    /// zh:透明度`). A term already in the glossary brings its concept: the new
    /// terms join it. Terms of two different concepts are refused (merge them
    /// by removing one first). Undoable.
    pub fn add_glossary_terms(&self, terms: &[GlossaryTerm]) -> Result<GlossaryConcept> {
        if terms.is_empty() {
            return Err(Error::invalid("name the terms: LANG:TERM …"));
        }
        let terms: Vec<GlossaryTerm> = terms
            .iter()
            .map(|t| GlossaryTerm::new(&t.language, &t.term))
            .collect::<Result<_>>()?;
        let (existing, known) = self.core.store.read(|c| {
            let mut found: Vec<String> = Vec::new();
            for t in &terms {
                if let Some(id) = glossary::concept_of(c, t)? {
                    if !found.contains(&id) {
                        found.push(id);
                    }
                }
            }
            Ok((found, glossary::count(c)?))
        })?;
        if existing.len() > 1 {
            return Err(Error::new(
                ErrorCode::Conflict,
                "these terms already belong to two different concepts of the glossary; remove one concept first",
            ));
        }
        if existing.is_empty() && known >= MAX_CONCEPTS {
            return Err(Error::invalid(format!(
                "the glossary holds at most {MAX_CONCEPTS} concepts"
            )));
        }
        let id = existing.into_iter().next().unwrap_or_else(new_id);
        let concept = self.logged(EntityKind::Glossary, &id, "edit", |c| {
            let mut concept = glossary::get(c, &id)?.unwrap_or(GlossaryConcept {
                id: id.clone(),
                terms: Vec::new(),
            });
            for t in terms {
                let same = |x: &GlossaryTerm| {
                    x.language == t.language && x.term.to_lowercase() == t.term.to_lowercase()
                };
                if !concept.terms.iter().any(same) {
                    concept.terms.push(t);
                }
            }
            if concept.terms.len() > MAX_CONCEPT_TERMS {
                return Err(Error::invalid(format!(
                    "a concept of the glossary holds at most {MAX_CONCEPT_TERMS} terms"
                )));
            }
            glossary::put(c, &concept)?;
            Ok(concept)
        })?;
        Ok(concept)
    }

    /// Removes one term; a concept left with no terms goes. Undoable.
    pub fn remove_glossary_term(&self, term: &GlossaryTerm) -> Result<()> {
        let term = GlossaryTerm::new(&term.language, &term.term)?;
        let id = self
            .core
            .store
            .read(|c| glossary::concept_of(c, &term))?
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("'{}:{}' is not in the glossary", term.language, term.term),
                )
            })?;
        self.logged(EntityKind::Glossary, &id, "edit", |c| {
            let Some(mut concept) = glossary::get(c, &id)? else {
                return Ok(());
            };
            concept.terms.retain(|x| {
                !(x.language == term.language && x.term.to_lowercase() == term.term.to_lowercase())
            });
            if concept.terms.is_empty() {
                glossary::delete(c, &id)?;
            } else {
                glossary::put(c, &concept)?;
            }
            Ok(())
        })
    }

    /// The groups of equivalent terms search expands a query with.
    pub(crate) fn synonyms(&self) -> Result<Vec<Vec<String>>> {
        Ok(self
            .glossary()?
            .into_iter()
            .map(|g| g.terms.into_iter().map(|t| t.term).collect())
            .collect())
    }
}
