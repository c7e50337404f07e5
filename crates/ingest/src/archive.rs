//! Reading zip-based formats (DOCX, ODT, EPUB) from files nobody vouches for.
//!
//! Entry names are only ever looked up, never turned into paths, so a
//! traversal name (`../../x`) cannot write anywhere. Every read is bounded
//! twice — per entry and for the whole archive — by the bytes actually
//! inflated, not by the sizes the headers claim (a zip bomb's headers lie).

use std::io::{Cursor, Read};

use dossier_model::{Error, ErrorCode, Result};

pub const MAX_ENTRIES: usize = 20_000;
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
pub const MAX_TOTAL_BYTES: u64 = 256 << 20;

pub struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    what: String,
    budget: u64,
}

fn unsupported(msg: String) -> Error {
    Error::new(ErrorCode::Unsupported, msg)
}

impl<'a> Archive<'a> {
    /// `what` names the file in messages ("'report.docx'").
    pub fn open(bytes: &'a [u8], what: &str) -> Result<Archive<'a>> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| unsupported(format!("{what}: not a readable zip container ({e}); the file may be damaged or not what its name says")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(unsupported(format!(
                "{what}: the archive has {} entries (limit {MAX_ENTRIES})",
                zip.len()
            )));
        }
        Ok(Archive {
            zip,
            what: what.to_string(),
            budget: MAX_TOTAL_BYTES,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// The bytes of one entry, or an error that says what went wrong.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        let what = self.what.clone();
        let entry = self.zip.by_name(name).map_err(|e| {
            unsupported(format!("{what}: cannot read '{name}' in the archive ({e})"))
        })?;
        let limit = MAX_ENTRY_BYTES.min(self.budget);
        let mut out = Vec::new();
        entry.take(limit + 1).read_to_end(&mut out).map_err(|e| {
            unsupported(format!("{what}: '{name}' in the archive is damaged ({e})"))
        })?;
        if out.len() as u64 > limit {
            return Err(unsupported(format!(
                "{what}: '{name}' unpacks to more than {} MB — refused as a possible zip bomb",
                limit >> 20
            )));
        }
        self.budget -= out.len() as u64;
        Ok(out)
    }

    pub fn read_string(&mut self, name: &str) -> Result<String> {
        let bytes = self.read(name)?;
        // XML parts are UTF-8 or carry a BOM; anything else is read leniently.
        Ok(match encoding_rs::Encoding::for_bom(&bytes) {
            Some((enc, bom)) => enc
                .decode_without_bom_handling(&bytes[bom..])
                .0
                .into_owned(),
            None => String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

/// Parses XML without DTDs (so no entity expansion, "billion laughs" or
/// external entities) and with a node limit.
pub fn parse_xml<'x>(text: &'x str, what: &str) -> Result<roxmltree::Document<'x>> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 5_000_000,
    };
    roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| unsupported(format!("{what}: the XML inside is not valid ({e})")))
}

/// The concatenated text of the first descendant element with this local name.
pub fn first_text(doc: &roxmltree::Document<'_>, local: &str) -> Option<String> {
    doc.descendants()
        .find(|n| n.is_element() && n.tag_name().name() == local)
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
        })
        .map(|s| crate::clean_inline(&s))
        .filter(|s| !s.is_empty())
}
