//! Exporters. They take plain data gathered by the façade and write files; they
//! never read the notebook themselves, which keeps them testable with fixtures.
//!
//! Safety rules shared by every format: nothing is written outside the target
//! the caller chose, file names are valid on Windows, macOS and Linux
//! (`safe_file_name`), and spreadsheet cells cannot smuggle formulas (`csv`).
//! The readers for the formats Dossier also imports (W3C annotations,
//! REFI-QDA projects, references) live beside their writers.

pub mod chart;
pub mod csv;
mod guid;
pub mod markdown;
mod names;
pub mod obsidian;
pub mod qda;
pub mod references;
pub mod report;
pub mod w3c;
mod xml;

use dossier_model::{Article, Claim, Code, Note};

pub use guid::{as_guid, guid_from};

/// `url` when it may become a link: http or https only, everywhere an export
/// turns an address into something clickable (`javascript:`, `data:`, `file:`
/// and the rest stay text).
pub fn web_link(url: &str) -> Option<&str> {
    let u = url.trim();
    let scheme = u.split_once(':').map(|(s, _)| s)?;
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        .then_some(u)
        .filter(|u| {
            !u.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        })
}

/// A source address as a Markdown line: an autolink when it is a web address,
/// else inline code (never a link).
pub fn markdown_source(url: &str) -> String {
    match web_link(url) {
        Some(u) => format!("Source: <{u}>"),
        None => {
            let plain: String = url
                .chars()
                .filter(|c| !c.is_control() && *c != '`')
                .collect();
            format!("Source: `{plain}`")
        }
    }
}
pub use names::{id_suffix, safe_file_name};

/// One article with the claims and notes an export covers.
#[derive(Debug, Clone)]
pub struct ArticleBundle {
    pub article: Article,
    pub claims: Vec<Claim>,
    pub notes: Vec<Note>,
    /// Relations that start at one of `claims` (each relation is listed once,
    /// with the article of its first claim).
    pub relations: Vec<dossier_model::ClaimRelation>,
    /// The article's attribute values, in the attributes' order.
    pub attributes: Vec<dossier_model::AttributeValue>,
    /// The sets the article is in.
    pub sets: Vec<String>,
    /// For a PDF: each claim's page and rectangles, by claim id (claims no
    /// recorded word meets, and articles without pages, have none).
    pub locations: std::collections::HashMap<String, dossier_model::Location>,
}

/// Everything a whole-notebook export needs, gathered once by the façade.
#[derive(Debug, Clone)]
pub struct ExportData {
    /// The notebook's name, used as a project or report title.
    pub title: String,
    /// RFC 3339 UTC.
    pub generated_at: String,
    /// Dossier's version, recorded as the origin of interchange files.
    pub app_version: String,
    pub bundles: Vec<ArticleBundle>,
    pub codes: Vec<Code>,
    /// Every note in scope, each once (a bundle lists the notes of its article).
    pub notes: Vec<Note>,
    /// The attributes the notebook defines.
    pub attributes: Vec<dossier_model::AttributeDef>,
    /// The sets of articles.
    pub sets: Vec<dossier_model::ArticleSet>,
}

impl ExportData {
    pub fn claim_count(&self) -> usize {
        self.bundles.iter().map(|b| b.claims.len()).sum()
    }
}
