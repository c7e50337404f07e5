//! What goes into the index: the document the notebook builds for an article,
//! a claim or a note, its stamp, and how its fields map onto the schema.
//!
//! This file, `schema.rs` and `analysis.rs` define the index: the build script
//! hashes them into [`INDEX_VERSION`](crate::INDEX_VERSION), so any change to
//! them rebuilds existing indexes (no version to bump by hand).

use dossier_model::dates::PartialDate;
use dossier_model::Kind;
use sha2::{Digest, Sha256};
use tantivy::{doc, TantivyDocument};

use crate::analysis::{slot_marks, Family};
use crate::schema::Fields;

/// What the indexer knows about one entity, gathered from SQLite by the caller.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndexDoc {
    pub kind: Kind,
    pub id: String,
    pub article_id: Option<String>,
    pub title: String,
    pub body: String,
    /// BCP 47; picks the analysis family.
    pub lang: String,
    /// Code paths (claims only).
    pub codes: Vec<String>,
    pub stance: Option<String>,
    /// Code-point offset of a claim in its article.
    pub start: Option<u32>,
    /// Who makes a claim.
    pub claimant: Option<String>,
    /// Who coded a claim.
    pub analyst: Option<String>,
    /// ISO 8601 date (or a prefix of one) that `date:` filters on.
    pub date: Option<String>,
    /// A claim's verdict, hedging, and the kinds of its relations (`verdict:`,
    /// `hedging:`, `relation:`).
    pub verdict: Option<String>,
    pub hedging: Option<String>,
    pub relations: Vec<String>,
    /// A claim's translations, `(language, text)`: each is analysed in its
    /// own language's family and shown in the claim's snippet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<(String, String)>,
}

impl IndexDoc {
    /// A document with the fields every kind has; the builder sets the rest.
    pub fn new(kind: Kind, id: String, title: String, body: String, lang: String) -> IndexDoc {
        IndexDoc {
            kind,
            id,
            article_id: None,
            title,
            body,
            lang,
            codes: Vec::new(),
            stance: None,
            start: None,
            claimant: None,
            analyst: None,
            date: None,
            verdict: None,
            hedging: None,
            relations: Vec::new(),
            translations: Vec::new(),
        }
    }

    pub fn key(&self) -> String {
        key(self.kind, &self.id)
    }

    /// A hash of everything the document holds, stored with it: `check` compares
    /// the stamp in the index with the one of the document SQLite gives now. It is
    /// taken over the serialised document, so a field added to `IndexDoc` is in
    /// the stamp without anyone listing it.
    pub fn stamp(&self) -> String {
        /// Feeds the serialised document to the hash without building it in memory.
        struct Hashing(Sha256);
        impl std::io::Write for Hashing {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.update(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut h = Hashing(Sha256::new());
        serde_json::to_writer(&mut h, self).expect("an IndexDoc always serialises");
        hex::encode(&h.0.finalize()[..12])
    }
}

pub fn key(kind: Kind, id: &str) -> String {
    format!("{}:{id}", kind.as_str())
}

/// The tantivy document of `d`: which field gets what, analysed how.
pub(crate) fn to_document(f: &Fields, d: &IndexDoc) -> TantivyDocument {
    let fam = Family::for_language(&d.lang);
    let mut doc = doc!(
        f.key => d.key(),
        f.kind => d.kind.as_str(),
        f.id => d.id.clone(),
        f.article_id => d.article_id.clone().unwrap_or_default(),
        f.lang => primary_language(&d.lang),
        f.stamp => d.stamp(),
        f.title_stored => d.title.clone(),
        f.body[fam.index()] => d.body.clone(),
    );
    // The CJK fields' analysers read only CJK characters: a text without any
    // gives them nothing, so it is not copied into them (a rebuild queues
    // thousands of documents; an article's text was copied three times).
    let has_cjk = |t: &str| t.chars().any(dossier_model::script::is_cjk);
    if has_cjk(&d.body) {
        doc.add_text(f.cjk_chars, &d.body);
        doc.add_text(f.cjk_words, &d.body);
    }
    if d.kind == Kind::Article {
        let marks: Vec<u8> = slot_marks(&d.body)
            .into_iter()
            .flat_map(u32::to_le_bytes)
            .collect();
        doc.add_bytes(f.slot_marks, &marks);
    } else if d.translations.is_empty() {
        doc.add_text(f.body_stored, &d.body);
    } else {
        let mut stored = d.body.clone();
        for (_, text) in &d.translations {
            stored.push_str("\n\n");
            stored.push_str(text);
        }
        doc.add_text(f.body_stored, &stored);
    }
    for (lang, text) in &d.translations {
        let family = Family::for_language(lang);
        doc.add_text(f.body[family.index()], text);
        if has_cjk(text) {
            doc.add_text(f.cjk_chars, text);
            doc.add_text(f.cjk_words, text);
        }
        if family == Family::German {
            doc.add_text(f.reversed_de, text);
        }
    }
    if fam == Family::German {
        doc.add_text(f.reversed_de, &d.body);
        if d.kind != Kind::Claim {
            doc.add_text(f.reversed_de, &d.title);
        }
    }
    if let Some(c) = d.claimant.as_deref().filter(|c| !c.trim().is_empty()) {
        doc.add_text(f.claimant, c);
    }
    if let Some(a) = d.analyst.as_deref().filter(|a| !a.trim().is_empty()) {
        doc.add_text(f.analyst, a.trim().to_lowercase());
    }
    if let Some(day) = d.date.as_deref().and_then(PartialDate::parse) {
        doc.add_u64(f.date, day.first_day());
    }
    if let Some(v) = &d.verdict {
        doc.add_text(f.verdict, v);
    }
    if let Some(h) = &d.hedging {
        doc.add_text(f.hedging, h);
    }
    for r in &d.relations {
        doc.add_text(f.relation, r);
    }
    // A claim shows its article's title but is not found by it: a search for a
    // word of the title should not return every claim of that article.
    if d.kind != Kind::Claim {
        doc.add_text(f.title[fam.index()], &d.title);
        doc.add_text(f.cjk_chars, &d.title);
        doc.add_text(f.cjk_words, &d.title);
    }
    if let Some(s) = &d.stance {
        doc.add_text(f.stance, s);
    }
    if let Some(start) = d.start {
        doc.add_u64(f.start, u64::from(start));
    }
    let mut code_terms: Vec<String> = Vec::new();
    for path in &d.codes {
        doc.add_text(f.codes_text, path);
        // The code and each ancestor, so a filter on `Trust` finds `Trust/Security`.
        let mut prefix = String::new();
        for part in path.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            code_terms.push(prefix.clone());
        }
    }
    code_terms.sort();
    code_terms.dedup();
    for c in code_terms {
        doc.add_text(f.code, c);
    }
    doc
}

/// `de-AT` -> `de`: filters and analysis go by the primary subtag.
pub fn primary_language(bcp47: &str) -> String {
    bcp47
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}
