//! From a file's bytes to an article's canonical text and metadata.
//!
//! The canonical text is the list of blocks (headings, paragraphs, quotes,
//! list items), each with its whitespace collapsed and NFC-normalised, joined
//! by one blank line. Claim offsets are counted over exactly this string, so it
//! must be deterministic: the same bytes always give the same text.

pub mod archive;
mod decode;
mod docx;
mod epub;
mod html;
mod language;
mod markdown;
mod mhtml;
mod nesting;
mod odt;
mod pdf;
mod rtf;
pub mod sandbox;
mod text;

use dossier_model::{Error, ErrorCode, Result};
use unicode_normalization::UnicodeNormalization;

pub use html::sanitise as sanitise_html;
pub use language::{detect_language, detect_mix, language_for, languages_for, LanguageMix};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BlockKind {
    Heading,
    Paragraph,
    Quote,
    ListItem,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// The page (1-based) the block is on, for paged formats (PDF).
    pub page: Option<u32>,
}

/// What an extractor found in a file.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Extracted {
    pub title: Option<String>,
    pub author: Option<String>,
    pub source_url: Option<String>,
    pub published: Option<String>,
    /// A language the document declares (`<html lang>`, front matter); detection fills the gap.
    pub declared_language: Option<String>,
    pub blocks: Vec<Block>,
    /// For paged formats (PDF): how completely each page was read.
    pub pages: Vec<dossier_model::PageReading>,
    /// For PDF: each page's size and where its words sit, with their spans in
    /// the canonical text.
    #[serde(default)]
    pub geometry: Vec<dossier_model::PageGeometry>,
    /// Extractor name and version, e.g. `html/1`.
    pub parser: String,
    pub media_type: String,
}

impl Extracted {
    /// Blocks joined by blank lines: the text claims are anchored in.
    pub fn canonical_text(&self) -> String {
        self.blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// For paged formats, the code-point offset in `canonical_text` where each
    /// page's text starts (index 0 = page 1); empty when the format has no pages.
    /// A page without text starts where the next text does, and the pages after
    /// the last text (a scanned appendix) at the end of the text: every page the
    /// document has is counted, so each can be cited and marked.
    pub fn page_starts(&self) -> Vec<u32> {
        let pages = self
            .blocks
            .iter()
            .filter_map(|b| b.page)
            .chain(self.pages.iter().map(|p| p.page))
            .max()
            .unwrap_or(0);
        let mut starts = vec![None; pages as usize];
        let mut offset = 0u32;
        for (i, b) in self.blocks.iter().enumerate() {
            if i > 0 {
                offset += 2; // the blank line between blocks
            }
            if let Some(p) = b.page {
                let slot = &mut starts[p as usize - 1];
                if slot.is_none() {
                    *slot = Some(offset);
                }
            }
            offset += b.text.chars().count() as u32;
        }
        let mut next = offset;
        let mut out = vec![0; starts.len()];
        for i in (0..starts.len()).rev() {
            next = starts[i].unwrap_or(next);
            out[i] = next;
        }
        out
    }
}

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The extensions `extract` reads.
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "mdown", "mkd", "html", "htm", "xhtml", "mhtml", "mht", "pdf",
    "docx", "odt", "epub", "rtf",
];

fn extension(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Extracts `bytes`, choosing the extractor by the file name's extension.
/// Formats whose parsers are not ours to harden (PDF) run in a child process
/// (`sandbox`), so a hostile file cannot take the caller down.
pub fn extract(bytes: &[u8], file_name: &str) -> Result<Extracted> {
    if extension(file_name) == "pdf" {
        return sandbox::extract_isolated(bytes, file_name);
    }
    extract_unisolated(bytes, file_name)
}

/// `extract` without the child process: what the child itself runs.
pub fn extract_unisolated(bytes: &[u8], file_name: &str) -> Result<Extracted> {
    let what = format!("'{file_name}'");
    let extracted = match extension(file_name).as_str() {
        "txt" | "text" => text::extract(&decode::to_string(bytes)?),
        "md" | "markdown" | "mdown" | "mkd" => markdown::extract(&decode::to_string(bytes)?),
        "html" | "htm" | "xhtml" => html::extract(&decode::html_to_string(bytes)?),
        "mhtml" | "mht" => mhtml::extract(bytes)?,
        "pdf" => pdf::extract_in_process(bytes)?,
        "docx" => docx::extract(bytes, &what)?,
        "odt" => odt::extract(bytes, &what)?,
        "epub" => epub::extract(bytes, &what)?,
        "rtf" => rtf::extract(bytes)?,
        _ => {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!(
                    "'{file_name}': unsupported file type (supported: {})",
                    SUPPORTED_EXTENSIONS
                        .iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ))
        }
    };
    if extracted.blocks.is_empty() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!("'{file_name}': no text found in the file"),
        ));
    }
    Ok(extracted)
}

/// Collapses runs of whitespace into one space, trims, and normalises to NFC.
pub fn clean_inline(s: &str) -> String {
    let mut collapsed = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    // Almost all text is NFC already: the quick check settles it without rebuilding the string.
    if unicode_normalization::is_nfc_quick(collapsed.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        return collapsed;
    }
    collapsed.nfc().collect()
}

fn push_block(blocks: &mut Vec<Block>, kind: BlockKind, raw: &str) {
    let text = clean_inline(raw);
    if !text.is_empty() {
        blocks.push(Block {
            kind,
            text,
            page: None,
        });
    }
}

/// A title: the first heading, else the first short block.
fn title_from_blocks(blocks: &[Block]) -> Option<String> {
    blocks
        .iter()
        .find(|b| b.kind == BlockKind::Heading)
        .or_else(|| blocks.first().filter(|b| b.text.chars().count() <= 160))
        .map(|b| b.text.clone())
}
