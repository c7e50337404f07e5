//! Plain text: paragraphs are separated by blank lines.

use crate::{push_block, title_from_blocks, BlockKind, Extracted};

pub fn extract(text: &str) -> Extracted {
    let mut blocks = Vec::new();
    for para in text.split("\n\n") {
        push_block(&mut blocks, BlockKind::Paragraph, para);
    }
    Extracted {
        title: title_from_blocks(&blocks),
        blocks,
        parser: "text/1".into(),
        media_type: "text/plain".into(),
        ..Default::default()
    }
}
