//! The search index of a notebook: derived from SQLite, never the other way round.
//!
//! * `analysis` — one tokenizer for all languages: words for alphabetic scripts
//!   (then lower-casing, a per-language stemmer, accent folding), overlapping
//!   character bigrams plus unigrams for CJK so that every substring of two or
//!   more Han characters is findable without a dictionary.
//! * `schema` — fields; `document` — what each field of a document gets. The
//!   index version that forces a rebuild is a hash of these and `analysis`,
//!   computed by the build script.
//! * `index` — opening, the single writer, idempotent batches (delete by key,
//!   add) committed with the last applied outbox sequence as tantivy's commit
//!   payload, so "how far did we get" is atomic with the data.
//! * `query` — the user's query language, built into tantivy queries by hand so
//!   that a malformed query never fails (it is searched as plain words and
//!   the result says so); typos are tolerated when nothing matches exactly.
//! * `snippet` — the best passage of a hit with its matches marked; where the
//!   passage is, is read from the index's positions.
//! * `facets` — counts of kind, code, language and stance over all hits.

pub mod analysis;
mod document;
mod facets;
mod index;
mod prefix;
mod query;
mod schema;
mod snippet;
mod stem_cache;

pub use document::{key as doc_key, IndexDoc};
pub use index::{ArticleText, IndexOp, Rebuild, SearchIndex};
pub use query::{no_attributes, ArticleSets};
pub use schema::INDEX_VERSION;

/// Parses and compiles `query` exactly as a search would, without an index;
/// true when it was searched as plain words. For the fuzzer and limit tests.
pub fn compile_query(query: &str) -> bool {
    let (_, fields) = schema::build();
    let request = dossier_model::SearchRequest {
        query: query.to_string(),
        ..Default::default()
    };
    query::compile(&request, &fields, &query::no_attributes, false).plain_fallback
}
