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
mod images;
mod language;
mod markdown;
mod mhtml;
mod nesting;
mod odt;
mod pdf;
pub mod render;
mod rtf;
pub mod sandbox;
mod text;

use dossier_model::{Error, ErrorCode, Result};
use unicode_normalization::UnicodeNormalization;

pub use html::sanitise as sanitise_html;
pub use language::{detect_language, detect_mix, language_for, languages_for, LanguageMix};

pub use dossier_model::blocks::BlockKind;
pub use images::{Image, Images};

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Whitespace collapsed, NFC; for a table its cells (a tab between the
    /// cells of a row, a line break between rows); for a figure its caption or
    /// alternative text, possibly empty.
    pub text: String,
    /// The page (1-based) the block is on, for paged formats (PDF).
    pub page: Option<u32>,
    /// A table's rows of cells, each cell's text as it stands in `text`.
    #[serde(default)]
    pub cells: Vec<Vec<String>>,
    /// A figure's image: the SHA-256 of one of `Extracted::images`.
    #[serde(default)]
    pub image: Option<String>,
}

impl Block {
    pub fn new(kind: BlockKind, text: String, page: Option<u32>) -> Block {
        Block {
            kind,
            text,
            page,
            ..Block::default()
        }
    }

    /// A table from its rows of raw cell texts: each cell cleaned, empty rows
    /// dropped, rows cut to `MAX_TABLE_COLUMNS` cells and the table to
    /// `MAX_TABLE_ROWS` rows. `None` when no cell has text.
    pub fn table(rows: Vec<Vec<String>>) -> Option<Block> {
        let cells: Vec<Vec<String>> = rows
            .into_iter()
            .map(|row| {
                row.iter()
                    .take(MAX_TABLE_COLUMNS)
                    .map(|c| clean_inline(c))
                    .collect::<Vec<_>>()
            })
            .filter(|row| row.iter().any(|c| !c.is_empty()))
            .take(MAX_TABLE_ROWS)
            .collect();
        if cells.is_empty() {
            return None;
        }
        let text = cells
            .iter()
            .map(|row| row.join("\t"))
            .collect::<Vec<_>>()
            .join("\n");
        Some(Block {
            kind: BlockKind::Table,
            text,
            page: None,
            cells,
            image: None,
        })
    }

    /// A figure: its image (if it was kept) and its caption or alternative text.
    pub fn figure(image: Option<String>, caption: &str) -> Block {
        Block {
            kind: BlockKind::Figure,
            text: clean_inline(caption),
            image,
            ..Block::default()
        }
    }
}

/// A figure block for an image (kept or not) with its caption or alternative
/// text; nothing when there is neither an image nor text to show.
fn push_figure(blocks: &mut Vec<Block>, image: Option<String>, text: &str) {
    if image.is_some() || !text.trim().is_empty() {
        blocks.push(Block::figure(image, text));
    }
}

/// Rows of one table beyond this are not read (a data dump, not an article's table).
pub const MAX_TABLE_ROWS: usize = 5_000;
/// Cells of one row beyond this are not read.
pub const MAX_TABLE_COLUMNS: usize = 200;

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
    /// The images of the document's figures, checked (`images`), by SHA-256.
    #[serde(default)]
    pub images: Vec<Image>,
    /// What could not be kept (an image in a format Dossier does not show, or
    /// beyond a limit), said to the analyst at import.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Extractor name and version, e.g. `html/1`.
    pub parser: String,
    pub media_type: String,
}

impl Extracted {
    /// Blocks joined by blank lines: the text claims are anchored in. A
    /// figure without caption has no text and adds no blank line.
    pub fn canonical_text(&self) -> String {
        self.blocks
            .iter()
            .map(|b| b.text.as_str())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The blocks as spans of `canonical_text`, with tables' cells and
    /// figures' images: what the reader lays out and `show --json` reports.
    /// A figure without caption is an empty span where the next text starts.
    pub fn structure(&self) -> Vec<dossier_model::blocks::Block> {
        use dossier_model::blocks::{Block as Span, Cell, FigureImage};
        let mut out = Vec::with_capacity(self.blocks.len());
        let mut at = 0u32;
        let mut first = true;
        for b in &self.blocks {
            let len = b.text.chars().count() as u32;
            if len > 0 && !first {
                at += 2; // the blank line between blocks
            }
            let mut cells = Vec::new();
            if b.kind == BlockKind::Table {
                let mut c = at;
                for row in &b.cells {
                    let mut out_row = Vec::with_capacity(row.len());
                    for cell in row {
                        let n = cell.chars().count() as u32;
                        out_row.push(Cell {
                            start: c,
                            end: c + n,
                        });
                        c += n + 1; // the tab or line break after it
                    }
                    cells.push(out_row);
                }
            }
            let image = b.image.as_ref().and_then(|sha| {
                self.images
                    .iter()
                    .find(|i| &i.sha256 == sha)
                    .map(|i| FigureImage {
                        sha256: i.sha256.clone(),
                        media_type: i.media_type.clone(),
                        width: i.width,
                        height: i.height,
                    })
            });
            out.push(Span {
                kind: b.kind,
                start: at,
                end: at + len,
                page: b.page,
                cells,
                image,
            });
            if len > 0 {
                at += len;
                first = false;
            }
        }
        out
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
        for (i, b) in self
            .blocks
            .iter()
            .filter(|b| !b.text.is_empty())
            .enumerate()
        {
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

/// `extract` for a file read from `path`: a saved web page's images are
/// read from the files below its folder (as a browser's "save complete page"
/// leaves them), never from the network.
pub fn extract_file(bytes: &[u8], path: &std::path::Path) -> Result<Extracted> {
    let name = path.display().to_string();
    if !matches!(extension(&name).as_str(), "html" | "htm" | "xhtml") {
        return extract(bytes, &name);
    }
    let folder = path.parent().map(std::path::Path::to_path_buf);
    let mut fetch = |src: &str| images::beside(folder.as_deref()?, src);
    let mut images = Images::default();
    let mut x = html::extract_into(&decode::html_to_string(bytes)?, &mut fetch, &mut images);
    (x.images, x.notes) = images.into_parts();
    require_text(x, &name)
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
    require_text(extracted, file_name)
}

fn require_text(extracted: Extracted, file_name: &str) -> Result<Extracted> {
    if extracted.blocks.iter().all(|b| b.text.is_empty()) {
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
        blocks.push(Block::new(kind, text, None));
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
