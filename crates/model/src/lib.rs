//! Dossier's domain vocabulary: articles, codes, claims, notes, search hits and
//! the one error type that crosses every boundary (CLI, IPC).
//!
//! This crate does no I/O. It also owns the anchoring logic (`anchor`), because
//! where a claim points in a text is a property of the text, not of storage.
//! Every type that the desktop front end sees derives `ts_rs::TS`; the
//! TypeScript bindings in `ui/src/lib/bindings/` are generated from here.

pub mod anchor;
pub mod attributes;
pub mod blocks;
pub mod dates;
pub mod error;
pub mod layout;
pub mod limits;
pub mod links;
pub mod matrix;
pub mod names;
pub mod script;
pub mod sync;
pub mod table;
pub mod types;

pub use anchor::{Anchor, AnchorError, TextIndex};
pub use attributes::{
    ArticleSet, AttributeDef, AttributeType, AttributeValue, GlossaryConcept, GlossaryTerm,
    SavedSearch,
};
pub use error::{Error, ErrorCode, Result};
pub use layout::{Location, PageGeometry, PageMark, PageRect, PageView, WordBox};
pub use types::*;
