//! EPUB e-books: the package document (found through
//! `META-INF/container.xml`) gives the metadata and the reading order (spine);
//! each chapter is XHTML and goes through the HTML extractor, so it is
//! sanitised the same way as a saved web page.

use std::collections::HashMap;

use dossier_model::{Error, ErrorCode, Result};

use crate::archive::{first_text, parse_xml, Archive};
use crate::{html, Extracted};

/// Chapters beyond this are not read (an e-book has dozens, not thousands).
const MAX_CHAPTERS: usize = 2_000;

/// Resolves `href` against the folder of `base` inside the archive; `None`
/// when it would climb above the archive's root.
pub(crate) fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.split('#').next().unwrap_or(href);
    let decoded = percent_decode(href);
    let mut parts: Vec<&str> = base
        .rsplit_once('/')
        .map(|(dir, _)| dir.split('/').collect())
        .unwrap_or_default();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `%xx` escapes of an address undone (also for a saved page's image addresses).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn damaged(what: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::Unsupported,
        format!("{what}: not a usable EPUB ({why})"),
    )
}

pub fn extract(bytes: &[u8], what: &str) -> Result<Extracted> {
    let mut zip = Archive::open(bytes, what)?;
    let container = zip.read_string("META-INF/container.xml")?;
    let container = parse_xml(&container, what)?;
    let opf_path = container
        .descendants()
        .find(|n| n.tag_name().name() == "rootfile")
        .and_then(|n| n.attribute("full-path"))
        .ok_or_else(|| damaged(what, "no rootfile in META-INF/container.xml"))?
        .to_string();
    let opf_text = zip.read_string(&opf_path)?;
    let opf = parse_xml(&opf_text, what)?;
    let manifest: HashMap<&str, &str> = opf
        .descendants()
        .filter(|n| n.tag_name().name() == "item")
        .filter_map(|n| Some((n.attribute("id")?, n.attribute("href")?)))
        .collect();
    let spine: Vec<&str> = opf
        .descendants()
        .filter(|n| n.tag_name().name() == "itemref")
        .filter(|n| n.attribute("linear") != Some("no"))
        .filter_map(|n| n.attribute("idref"))
        .take(MAX_CHAPTERS)
        .collect();
    if spine.is_empty() {
        return Err(damaged(what, "the reading order (spine) is empty"));
    }
    let mut blocks = Vec::new();
    let mut images = crate::Images::default();
    for idref in spine {
        let Some(path) = manifest
            .get(idref)
            .and_then(|href| resolve(&opf_path, href))
        else {
            continue;
        };
        if !zip.has(&path) {
            continue;
        }
        let chapter = zip.read(&path)?;
        let Ok(text) = crate::decode::html_to_string(&chapter) else {
            continue;
        };
        // A chapter's images are parts of the book, found from the chapter's folder.
        images.next_part();
        let mut fetch = |src: &str| {
            let part = resolve(&path, src)?;
            zip.read_at_most(&part, crate::images::MAX_IMAGE_BYTES as u64)
                .ok()
        };
        blocks.extend(html::extract_into(&text, &mut fetch, &mut images).blocks);
    }
    let (images, notes) = images.into_parts();
    Ok(Extracted {
        title: first_text(&opf, "title").or_else(|| crate::title_from_blocks(&blocks)),
        author: first_text(&opf, "creator"),
        published: first_text(&opf, "date"),
        declared_language: first_text(&opf, "language"),
        source_url: None,
        blocks,
        pages: Vec::new(),
        geometry: Vec::new(),
        images,
        notes,
        parser: "epub/2".into(),
        media_type: "application/epub+zip".into(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_stay_inside_the_archive() {
        assert_eq!(
            super::resolve("OEBPS/content.opf", "text/ch%201.xhtml#x").as_deref(),
            Some("OEBPS/text/ch 1.xhtml")
        );
        assert_eq!(super::resolve("content.opf", "../../etc/passwd"), None);
        assert_eq!(
            super::resolve("a/b.opf", "../c.xhtml").as_deref(),
            Some("c.xhtml")
        );
    }
}
