//! From a file's bytes to an article's canonical text and metadata.
//!
//! The canonical text is the list of blocks (headings, paragraphs, quotes,
//! list items), each with its whitespace collapsed and NFC-normalised, joined
//! by one blank line. Claim offsets are counted over exactly this string, so it
//! must be deterministic: the same bytes always give the same text.

mod decode;
mod html;
mod language;
mod markdown;
mod text;

use dossier_model::{Error, ErrorCode, Result};
use unicode_normalization::UnicodeNormalization;

pub use html::sanitise as sanitise_html;
pub use language::detect_language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    Paragraph,
    Quote,
    ListItem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

/// What an extractor found in a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub title: Option<String>,
    pub author: Option<String>,
    pub source_url: Option<String>,
    pub published: Option<String>,
    /// A language the document declares (`<html lang>`, front matter); detection fills the gap.
    pub declared_language: Option<String>,
    pub blocks: Vec<Block>,
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
}

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Extracts `bytes`, choosing the extractor by the file name's extension.
pub fn extract(bytes: &[u8], file_name: &str) -> Result<Extracted> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let extracted = match ext.as_str() {
        "txt" | "text" => text::extract(&decode::to_string(bytes)?),
        "md" | "markdown" | "mdown" | "mkd" => markdown::extract(&decode::to_string(bytes)?),
        "html" | "htm" | "xhtml" => html::extract(&decode::html_to_string(bytes)?),
        _ => {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!("'{file_name}': unsupported file type (supported: .txt, .md, .html)"),
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
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.nfc().collect()
}

fn push_block(blocks: &mut Vec<Block>, kind: BlockKind, raw: &str) {
    let text = clean_inline(raw);
    if !text.is_empty() {
        blocks.push(Block { kind, text });
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
