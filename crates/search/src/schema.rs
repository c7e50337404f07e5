//! The index schema. [`INDEX_VERSION`] is derived from this file, `document.rs`,
//! `analysis.rs` and the versions of tantivy and jieba (see `build.rs`): an index
//! with another version is rebuilt from SQLite.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use crate::analysis::{CjkChars, CjkWords, Family, ReversedGerman, FAMILIES};

/// Version of schema + analysis; stored beside the index and in its commit payload.
pub const INDEX_VERSION: &str = concat!("dossier-index-", env!("DOSSIER_INDEX_HASH"));

#[derive(Clone)]
pub struct Fields {
    /// `kind:id`, unique per document: the term deletes go by.
    pub key: Field,
    /// The next four are fast fields too: facets count them.
    pub kind: Field,
    pub lang: Field,
    /// Every code path of a claim and all their ancestors (for hierarchical filters).
    pub code: Field,
    pub stance: Field,
    pub id: Field,
    pub article_id: Field,
    /// Lower-cased analyst name of a claim (`analyst:`).
    pub analyst: Field,
    /// Who makes a claim, analysed like the `Other` family (`claimant:`).
    pub claimant: Field,
    /// `yyyymmdd`: an article's publication date (else the day it was added),
    /// a claim's article's, a note's creation day (`date:2024..2025`).
    pub date: Field,
    /// The entity's content hash when indexed: lets `check` spot stale documents.
    pub stamp: Field,
    /// Code-point offset of a claim in its article.
    pub start: Field,
    /// Stored, not indexed: shown in results and snippets (the body of claims
    /// and notes only; an article's text is read from SQLite).
    pub title_stored: Field,
    pub body_stored: Field,
    /// An article's [`crate::analysis::slot_marks`], little-endian u32s.
    pub slot_marks: Field,
    /// Indexed per analysis family (`title_de`, `body_en`, `body_xx`…), not stored.
    pub title: [Field; FAMILIES],
    pub body: [Field; FAMILIES],
    /// German title and body terms written backwards: compound heads.
    pub reversed_de: Field,
    pub codes_text: Field,
    /// Every CJK character of title and body: one-character queries.
    pub cjk_chars: Field,
    /// Chinese words (jieba) of title and body, for ranking a CJK query's words.
    pub cjk_words: Field,
    pub verdict: Field,
    pub hedging: Field,
    /// Kinds of a claim's relations, either direction.
    pub relation: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let key = b.add_text_field("key", STRING | STORED);
    let kind = b.add_text_field("kind", STRING | STORED | FAST);
    let lang = b.add_text_field("lang", STRING | STORED | FAST);
    let code = b.add_text_field("code", STRING | FAST);
    let stance = b.add_text_field("stance", STRING | FAST);
    let id = b.add_text_field("id", STRING | STORED);
    let article_id = b.add_text_field("article_id", STRING | STORED);
    let analyst = b.add_text_field("analyst", STRING);
    let verdict = b.add_text_field("verdict", STRING);
    let hedging = b.add_text_field("hedging", STRING);
    let relation = b.add_text_field("relation", STRING);
    let stamp = b.add_text_field("stamp", STRING | STORED);
    let start = b.add_u64_field("start", STORED | INDEXED | FAST);
    let date = b.add_u64_field("date", INDEXED | FAST);
    let title_stored = b.add_text_field("title_stored", STORED);
    let body_stored = b.add_text_field("body_stored", STORED);
    let slot_marks = b.add_bytes_field("slot_marks", STORED);
    let analysed = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let text = |family: Family| {
        analysed(
            &family.tokenizer_name(),
            IndexRecordOption::WithFreqsAndPositions,
        )
    };
    let title = Family::ALL.map(|f| b.add_text_field(&format!("title_{}", f.suffix()), text(f)));
    let body = Family::ALL.map(|f| b.add_text_field(&format!("body_{}", f.suffix()), text(f)));
    let reversed_de = b.add_text_field(
        "reversed_de",
        analysed(ReversedGerman::NAME, IndexRecordOption::Basic),
    );
    let codes_text = b.add_text_field("codes_xx", text(Family::Other));
    let claimant = b.add_text_field("claimant_xx", text(Family::Other));
    let cjk_chars = b.add_text_field(
        "cjk_chars",
        analysed(CjkChars::NAME, IndexRecordOption::WithFreqs),
    );
    let cjk_words = b.add_text_field(
        "cjk_words",
        analysed(CjkWords::NAME, IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        key,
        kind,
        lang,
        code,
        stance,
        id,
        article_id,
        analyst,
        claimant,
        date,
        stamp,
        start,
        title_stored,
        body_stored,
        slot_marks,
        title,
        body,
        reversed_de,
        codes_text,
        cjk_chars,
        cjk_words,
        verdict,
        hedging,
        relation,
    };
    (b.build(), fields)
}
