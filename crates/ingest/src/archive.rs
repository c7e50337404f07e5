//! Reading zip containers nobody vouches for — DOCX, ODT, EPUB, REFI-QDA
//! projects and Dossier's own backups — through one reader with one set of
//! limits.
//!
//! Entry names are only ever looked up, never turned into paths, so a
//! traversal name (`../../x`) cannot write anywhere. Every read is bounded
//! twice — per entry and for the whole archive — by the bytes actually
//! inflated, not by the sizes the headers claim (a zip bomb's headers lie):
//! twenty sources that all point at one 60 MB entry spend the archive's
//! budget, they do not get 60 MB each.

use std::io::{Cursor, Read, Seek, Write};

use dossier_model::{Error, ErrorCode, Result};

/// What one archive may hold and unpack to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub entries: usize,
    pub entry_bytes: u64,
    pub total_bytes: u64,
}

/// Documents (DOCX, ODT, EPUB) and REFI-QDA projects.
pub const DOCUMENT_LIMITS: Limits = Limits {
    entries: 20_000,
    entry_bytes: 64 << 20,
    total_bytes: 256 << 20,
};

pub struct Archive<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    what: String,
    limits: Limits,
    budget: u64,
}

fn unsupported(msg: String) -> Error {
    Error::new(ErrorCode::Unsupported, msg)
}

impl<'a> Archive<Cursor<&'a [u8]>> {
    /// `what` names the file in messages ("'report.docx'").
    pub fn open(bytes: &'a [u8], what: &str) -> Result<Archive<Cursor<&'a [u8]>>> {
        Archive::open_with(Cursor::new(bytes), what, DOCUMENT_LIMITS)
    }
}

impl<R: Read + Seek> Archive<R> {
    pub fn open_with(reader: R, what: &str, limits: Limits) -> Result<Archive<R>> {
        let zip = zip::ZipArchive::new(reader)
            .map_err(|e| unsupported(format!("{what}: not a readable zip container ({e}); the file may be damaged or not what its name says")))?;
        if zip.len() > limits.entries {
            return Err(unsupported(format!(
                "{what}: the archive has {} entries (limit {})",
                zip.len(),
                limits.entries
            )));
        }
        Ok(Archive {
            zip,
            what: what.to_string(),
            limits,
            budget: limits.total_bytes,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Every entry's name, in the archive's order.
    pub fn names(&self) -> Vec<String> {
        (0..self.zip.len())
            .filter_map(|i| self.zip.name_for_index(i).map(str::to_string))
            .collect()
    }

    /// The bytes of one entry, or an error that says what went wrong.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        self.read_at_most(name, u64::MAX)
    }

    /// `read`, refusing an entry of more than `max` bytes (a manifest, say,
    /// in an archive whose other entries may be large).
    pub fn read_at_most(&mut self, name: &str, max: u64) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.copy_limited(name, &mut out, max)?;
        Ok(out)
    }

    /// Streams one entry into `out`, within the per-entry limit and what is left
    /// of the archive's budget; returns the bytes written. On an error `out` may
    /// hold part of the entry: the caller discards it.
    pub fn copy_to(&mut self, name: &str, out: &mut dyn Write) -> Result<u64> {
        self.copy_limited(name, out, u64::MAX)
    }

    fn copy_limited(&mut self, name: &str, out: &mut dyn Write, max: u64) -> Result<u64> {
        let what = self.what.clone();
        let entry = self.zip.by_name(name).map_err(|e| {
            unsupported(format!("{what}: cannot read '{name}' in the archive ({e})"))
        })?;
        let entry_limit = self.limits.entry_bytes.min(max);
        let limit = entry_limit.min(self.budget);
        let mut limited = entry.take(limit + 1);
        let mut buf = vec![0u8; 1 << 16];
        let mut written = 0u64;
        loop {
            let n = limited.read(&mut buf).map_err(|e| {
                unsupported(format!("{what}: '{name}' in the archive is damaged ({e})"))
            })?;
            if n == 0 {
                break;
            }
            written += n as u64;
            if written > limit {
                let (bytes, whole) = if limit < entry_limit {
                    (self.limits.total_bytes, "the whole archive unpacks")
                } else {
                    (entry_limit, "it unpacks")
                };
                return Err(unsupported(format!(
                    "{what}: refused at '{name}' as a possible zip bomb: {whole} to more than {} MB",
                    bytes >> 20
                )));
            }
            out.write_all(&buf[..n])
                .map_err(|e| Error::io(format!("{what}: unpacking '{name}'"), e))?;
        }
        self.budget -= written;
        Ok(written)
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

/// How every reader parses XML from outside: no DTDs and a node limit.
pub const XML_OPTIONS: roxmltree::ParsingOptions = roxmltree::ParsingOptions {
    allow_dtd: false,
    nodes_limit: 5_000_000,
};

/// Deepest element nesting any XML from outside may have. roxmltree's tokenizer
/// recurses once per level (200 000 nested elements in 14 KB overflowed the
/// stack), so depth is measured first, by a linear scan that recurses nowhere.
pub const MAX_XML_DEPTH: usize = 256;

/// Refuses XML whose elements nest deeper than `MAX_XML_DEPTH`.
pub fn check_xml_depth(text: &str, what: &str) -> Result<()> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let skip_to = |from: usize, pat: &str| {
        text[from..]
            .find(pat)
            .map_or(b.len(), |p| from + p + pat.len())
    };
    while let Some(rel) = text[i..].find('<') {
        let at = i + rel;
        let rest = &b[at..];
        if rest.starts_with(b"<!--") {
            i = skip_to(at + 4, "-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = skip_to(at + 9, "]]>");
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = skip_to(at + 2, ">");
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = skip_to(at + 2, ">");
        } else {
            // A start tag: find its end outside quoted attribute values.
            let mut j = at + 1;
            let mut quote = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'"' | b'\'') => quote = Some(b[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if j < b.len() && b[j - 1] != b'/' {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Err(unsupported(format!(
                        "{what}: the XML nests elements deeper than {MAX_XML_DEPTH} levels; refused"
                    )));
                }
            }
            i = j + 1;
        }
        if i >= b.len() {
            break;
        }
    }
    Ok(())
}

/// Parses XML without DTDs (so no entity expansion, "billion laughs" or
/// external entities) and with a node limit.
pub fn parse_xml<'x>(text: &'x str, what: &str) -> Result<roxmltree::Document<'x>> {
    check_xml_depth(text, what)?;
    let opts = XML_OPTIONS;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn one_entry_read_many_times_spends_the_archive_budget() {
        let big = vec![b'x'; 3 << 20];
        let bytes = zip_of(&[("a", &big)]);
        let limits = Limits {
            entries: 10,
            entry_bytes: 4 << 20,
            total_bytes: 10 << 20,
        };
        let mut a = Archive::open_with(Cursor::new(&bytes[..]), "'t.zip'", limits).unwrap();
        for _ in 0..3 {
            assert_eq!(a.read("a").unwrap().len(), 3 << 20);
        }
        let e = a.read("a").unwrap_err();
        assert!(e.message.contains("whole archive"), "{}", e.message);
    }

    #[test]
    fn deep_xml_is_refused_before_parsing() {
        let ok = format!(
            "<a x='>'>{}<![CDATA[<b>]]><!-- <c> --><d/></a>",
            "<e>t</e>".repeat(10)
        );
        assert!(parse_xml(&ok, "t").is_ok());
        let deep = format!("{}{}", "<a>".repeat(200_000), "</a>".repeat(200_000));
        let e = parse_xml(&deep, "'x.docx'").unwrap_err();
        assert!(e.message.contains("deeper than"), "{}", e.message);
        let flat = "<a/>".repeat(100_000);
        assert!(check_xml_depth(&flat, "t").is_ok());
    }

    #[test]
    fn an_entry_over_its_limit_is_refused() {
        let big = vec![0u8; 5 << 20];
        let bytes = zip_of(&[("a", &big)]);
        let limits = Limits {
            entries: 10,
            entry_bytes: 1 << 20,
            total_bytes: 10 << 20,
        };
        let mut a = Archive::open_with(Cursor::new(&bytes[..]), "'t.zip'", limits).unwrap();
        assert!(a.read("a").unwrap_err().message.contains("zip bomb"));
    }
}
