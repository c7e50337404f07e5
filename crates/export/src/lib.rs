//! Exporters. They take plain data gathered by the façade and write files; they
//! never read the notebook themselves, which keeps them testable with fixtures.
//!
//! Safety rules shared by every format: nothing is written outside the target
//! the caller chose, file names are valid on Windows, macOS and Linux
//! (`safe_file_name`), and spreadsheet cells cannot smuggle formulas (`csv`).

pub mod csv;
pub mod markdown;
mod names;

use dossier_model::{Article, Claim, Note};

pub use names::safe_file_name;

/// One article with the claims and notes an export covers.
#[derive(Debug, Clone)]
pub struct ArticleBundle {
    pub article: Article,
    pub claims: Vec<Claim>,
    pub notes: Vec<Note>,
}
