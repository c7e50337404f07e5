//! PDF: the text layer, page by page (pdf-extract over lopdf), rebuilt into
//! paragraphs: lines are joined, words hyphenated across a line end are
//! mended, blank lines separate paragraphs, and every block remembers its page
//! so a claim can be cited by page. Title and author come from the document
//! information dictionary. A PDF without a text layer (a scan) is reported as
//! such. Because a broken PDF can make these libraries panic, loop or exhaust
//! the stack, `lib::extract` runs this in a separate process (`sandbox`).

use dossier_model::{Error, ErrorCode, Result};

use crate::{Block, BlockKind, Extracted};

fn info_string(doc: &lopdf::Document, key: &[u8]) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let dict = match info {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        lopdf::Object::Dictionary(d) => d,
        _ => return None,
    };
    let value = dict.get(key).ok()?;
    let bytes = value.as_str().ok()?;
    let text = if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        // PDFDocEncoding is Latin-1 for the printable range.
        bytes.iter().map(|&b| b as char).collect()
    };
    let text = crate::clean_inline(&text);
    (!text.is_empty()).then_some(text)
}

/// Paragraphs of one page's text: blank lines separate them; within one, a
/// line ending in a hyphen before a lowercase letter is joined without it.
fn paragraphs(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in page.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if current.ends_with('-') && line.chars().next().is_some_and(char::is_lowercase) {
            current.pop();
        } else if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Each page's text through lopdf; a page that cannot be read is empty.
fn fallback_pages(doc: &lopdf::Document) -> Vec<String> {
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    numbers
        .iter()
        .map(|&n| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.extract_text(&[n])))
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default()
        })
        .collect()
}

/// Extracts in this process. Call through `crate::extract`, which isolates it.
pub fn extract_in_process(bytes: &[u8]) -> Result<Extracted> {
    let doc = lopdf::Document::load_mem(bytes)
        .map_err(|e| Error::new(ErrorCode::Unsupported, format!("not a readable PDF ({e})")))?;
    if doc.is_encrypted() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "the PDF is encrypted; Dossier cannot read its text",
        ));
    }
    // pdf-extract understands fonts and encodings best, but panics on some real
    // files (5 of 53 PDFs in our corpus); then lopdf's plainer reader takes over,
    // page by page, so one bad page costs only that page.
    let primary = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    let (pages, parser) = match primary {
        Ok(Ok(pages)) if pages.iter().any(|p| !p.trim().is_empty()) => (pages, "pdf/1"),
        _ => (fallback_pages(&doc), "pdf/1+lopdf"),
    };
    let mut blocks = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        for p in paragraphs(page) {
            let text = crate::clean_inline(&p);
            if text.is_empty() {
                continue;
            }
            // A short line without final punctuation reads as a heading.
            let heading = text.chars().count() <= 80
                && !text.ends_with(['.', ',', ';', ':', '。', '，', '?', '!']);
            blocks.push(Block {
                kind: if heading {
                    BlockKind::Heading
                } else {
                    BlockKind::Paragraph
                },
                text,
                page: Some(i as u32 + 1),
            });
        }
    }
    if blocks.is_empty() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!(
                "the PDF has {} page(s) but no text layer (a scan?); run OCR on it first",
                pages.len()
            ),
        ));
    }
    Ok(Extracted {
        title: info_string(&doc, b"Title").or_else(|| crate::title_from_blocks(&blocks)),
        author: info_string(&doc, b"Author"),
        blocks,
        parser: parser.into(),
        media_type: "application/pdf".into(),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn paragraphs_mend_hyphenation() {
        let p = super::paragraphs("Die Trans-\nparenz fehlt.\n\nZweiter Absatz\nmit Zeile");
        assert_eq!(
            p,
            vec!["Die Transparenz fehlt.", "Zweiter Absatz mit Zeile"]
        );
    }
}
