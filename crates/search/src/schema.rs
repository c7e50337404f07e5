//! The index schema. Any change here or in `analysis` must bump
//! [`INDEX_VERSION`]: an index with another version is rebuilt from SQLite.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use crate::analysis::Family;

/// Version of schema + analysis; stored beside the index and in its commit payload.
pub const INDEX_VERSION: &str = "dossier-index-4";

#[derive(Clone)]
pub struct Fields {
    /// `kind:id`, unique per document: the term deletes go by.
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub article_id: Field,
    pub lang: Field,
    /// Every code path of a claim and all their ancestors (for hierarchical filters).
    pub code: Field,
    pub stance: Field,
    /// The entity's `updated_at` (or text hash) when indexed: lets `check` spot stale documents.
    pub stamp: Field,
    /// Code-point offset of a claim in its article.
    pub start: Field,
    /// Stored, not indexed: shown in results and snippets.
    pub title_stored: Field,
    pub body_stored: Field,
    /// Indexed per analysis family (`title_de`, `body_en`, `codes_xx`…), not stored.
    pub title: [Field; 3],
    pub body: [Field; 3],
    pub codes_text: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let key = b.add_text_field("key", STRING | STORED);
    let kind = b.add_text_field("kind", STRING | STORED);
    let id = b.add_text_field("id", STRING | STORED);
    let article_id = b.add_text_field("article_id", STRING | STORED);
    let lang = b.add_text_field("lang", STRING | STORED);
    let code = b.add_text_field("code", STRING);
    let stance = b.add_text_field("stance", STRING);
    let stamp = b.add_text_field("stamp", STRING | STORED);
    let start = b.add_u64_field("start", STORED | INDEXED | FAST);
    let title_stored = b.add_text_field("title_stored", STORED);
    let body_stored = b.add_text_field("body_stored", STORED);
    let text = |family: Family| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&family.tokenizer_name())
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let title = Family::ALL.map(|f| b.add_text_field(&format!("title_{}", f.suffix()), text(f)));
    let body = Family::ALL.map(|f| b.add_text_field(&format!("body_{}", f.suffix()), text(f)));
    let codes_text = b.add_text_field("codes_xx", text(Family::Other));
    let fields = Fields {
        key,
        kind,
        id,
        article_id,
        lang,
        code,
        stance,
        stamp,
        start,
        title_stored,
        body_stored,
        title,
        body,
        codes_text,
    };
    (b.build(), fields)
}

pub fn family_index(f: Family) -> usize {
    match f {
        Family::German => 0,
        Family::English => 1,
        Family::Other => 2,
    }
}
