//! The structure of an article's canonical text: its blocks (headings,
//! paragraphs, quotes, list items, tables, figures, code) as code-point spans
//! of the text, with a table's cells and a figure's image.
//!
//! The text stays the one thing claims are anchored in: a table's text is its
//! cells in reading order (a tab between the cells of a row, a line break
//! between rows), a figure's text its caption or alternative text. The blocks
//! say how to show that text; they never add text of their own.
//!
//! Stored compactly (`pack`/`unpack`): 13 bytes a block for kind, span and
//! page, and the few tables and figures as JSON beside it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::wire_enum! {
    /// What a block of an article's text is.
    #[derive(Default)]
    pub enum BlockKind {
        Heading = "heading",
        #[default]
        Paragraph = "paragraph",
        Quote = "quote",
        ListItem = "list_item",
        /// Rows of cells; its text is the cells, a tab between cells and a line break between rows.
        Table = "table",
        /// An image; its text is the caption or alternative text (empty when it has neither).
        Figure = "figure",
        /// Preformatted text (source code, a listing).
        Code = "code",
    }
}

impl BlockKind {
    fn code(self) -> u8 {
        match self {
            BlockKind::Heading => 1,
            BlockKind::Paragraph => 2,
            BlockKind::Quote => 3,
            BlockKind::ListItem => 4,
            BlockKind::Table => 5,
            BlockKind::Figure => 6,
            BlockKind::Code => 7,
        }
    }

    fn from_code(c: u8) -> Option<BlockKind> {
        Some(match c {
            1 => BlockKind::Heading,
            2 => BlockKind::Paragraph,
            3 => BlockKind::Quote,
            4 => BlockKind::ListItem,
            5 => BlockKind::Table,
            6 => BlockKind::Figure,
            7 => BlockKind::Code,
            _ => return None,
        })
    }
}

/// One cell of a table: its span of the canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Cell {
    pub start: u32,
    pub end: u32,
}

/// The image of a figure, kept under `sources/` by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FigureImage {
    pub sha256: String,
    /// `image/png`, `image/jpeg`, `image/gif` or `image/webp`.
    pub media_type: String,
    pub width: u32,
    pub height: u32,
}

/// A block of an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Block {
    pub kind: BlockKind,
    /// Code points of the canonical text, end exclusive.
    pub start: u32,
    pub end: u32,
    /// The page (1-based) it starts on, for paged sources.
    pub page: Option<u32>,
    /// A table's rows of cells (empty for other blocks).
    #[serde(default)]
    pub cells: Vec<Vec<Cell>>,
    /// A figure's image, when it could be kept (an image format Dossier
    /// shows, within the limits); `None` for a figure whose image was not.
    #[serde(default)]
    pub image: Option<FigureImage>,
}

/// Bytes a block takes in `pack`'s output.
const PACKED: usize = 13;

/// What `pack` keeps beside the fixed-size part: a table's cells or a figure's image.
#[derive(Serialize, Deserialize)]
struct Detail {
    block: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    cells: Vec<Vec<(u32, u32)>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image: Option<FigureImage>,
}

/// Blocks as stored: kind (1 byte), start, end and page (0 = none) as
/// little-endian u32, and the tables' and figures' details as JSON.
pub fn pack(blocks: &[Block]) -> (Vec<u8>, String) {
    let mut out = Vec::with_capacity(blocks.len() * PACKED);
    let mut details = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        out.push(b.kind.code());
        out.extend_from_slice(&b.start.to_le_bytes());
        out.extend_from_slice(&b.end.to_le_bytes());
        out.extend_from_slice(&b.page.unwrap_or(0).to_le_bytes());
        if !b.cells.is_empty() || b.image.is_some() {
            details.push(Detail {
                block: i,
                cells: b
                    .cells
                    .iter()
                    .map(|row| row.iter().map(|c| (c.start, c.end)).collect())
                    .collect(),
                image: b.image.clone(),
            });
        }
    }
    let json = serde_json::to_string(&details).unwrap_or_else(|_| "[]".into());
    (out, json)
}

/// The inverse of `pack`. Damaged input gives the blocks that can be read: a
/// truncated tail and details naming a block that is not there are dropped,
/// an unknown kind reads as a paragraph.
pub fn unpack(bytes: &[u8], details: &str) -> Vec<Block> {
    let u32_at = |c: &[u8], at: usize| u32::from_le_bytes([c[at], c[at + 1], c[at + 2], c[at + 3]]);
    let mut blocks: Vec<Block> = bytes
        .chunks_exact(PACKED)
        .map(|c| {
            let page = u32_at(c, 9);
            Block {
                kind: BlockKind::from_code(c[0]).unwrap_or_default(),
                start: u32_at(c, 1),
                end: u32_at(c, 5),
                page: (page > 0).then_some(page),
                cells: Vec::new(),
                image: None,
            }
        })
        .collect();
    let details: Vec<Detail> = serde_json::from_str(details).unwrap_or_default();
    for d in details {
        if let Some(b) = blocks.get_mut(d.block) {
            b.cells = d
                .cells
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|(start, end)| Cell { start, end })
                        .collect()
                })
                .collect();
            b.image = d.image.filter(|i| crate::limits::is_sha256_hex(&i.sha256));
        }
    }
    blocks
}

/// Blocks for a text whose structure was not recorded (imported before
/// blocks were): one paragraph per run of text between blank lines, on the
/// page `page_starts` puts it.
pub fn paragraphs(text: &str, page_starts: &[u32]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut at = 0u32;
    for part in text.split("\n\n") {
        let len = part.chars().count() as u32;
        if len > 0 {
            out.push(Block {
                kind: BlockKind::Paragraph,
                start: at,
                end: at + len,
                page: page_of(page_starts, at),
                cells: Vec::new(),
                image: None,
            });
        }
        at += len + 2;
    }
    out
}

/// The page (1-based) a code point is on, given where each page starts.
pub fn page_of(page_starts: &[u32], at: u32) -> Option<u32> {
    if page_starts.is_empty() {
        return None;
    }
    let n = page_starts.partition_point(|&s| s <= at);
    Some(n.max(1) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_survive_packing() {
        let blocks = vec![
            Block {
                kind: BlockKind::Heading,
                start: 0,
                end: 5,
                page: Some(1),
                cells: vec![],
                image: None,
            },
            Block {
                kind: BlockKind::Table,
                start: 7,
                end: 20,
                page: None,
                cells: vec![vec![Cell { start: 7, end: 9 }, Cell { start: 10, end: 12 }]],
                image: None,
            },
            Block {
                kind: BlockKind::Figure,
                start: 22,
                end: 30,
                page: Some(3),
                cells: vec![],
                image: Some(FigureImage {
                    sha256: "a".repeat(64),
                    media_type: "image/png".into(),
                    width: 4,
                    height: 3,
                }),
            },
        ];
        let (bytes, json) = pack(&blocks);
        assert_eq!(bytes.len(), 3 * PACKED);
        assert_eq!(unpack(&bytes, &json), blocks);
    }

    #[test]
    fn damaged_blocks_read_as_far_as_they_go() {
        let (mut bytes, _) = pack(&[Block {
            kind: BlockKind::Code,
            start: 1,
            end: 2,
            page: None,
            cells: vec![],
            image: None,
        }]);
        bytes[0] = 99;
        bytes.push(7);
        let json = r#"[{"block":5,"cells":[[[0,1]]]},{"block":0,"image":{"sha256":"../x","media_type":"image/png","width":1,"height":1}}]"#;
        let out = unpack(&bytes, json);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, BlockKind::Paragraph);
        assert!(
            out[0].image.is_none(),
            "an image that is not named by its hash is dropped"
        );
        assert!(unpack(&bytes, "not json").len() == 1);
    }

    #[test]
    fn paragraphs_of_an_old_text_sit_on_their_pages() {
        let text = "Eins.\n\nZwei.\n\n三。";
        let b = paragraphs(text, &[0, 7]);
        assert_eq!(
            b.iter()
                .map(|b| (b.start, b.end, b.page))
                .collect::<Vec<_>>(),
            vec![(0, 5, Some(1)), (7, 12, Some(2)), (14, 16, Some(2))]
        );
        assert!(paragraphs("", &[]).is_empty());
    }
}
