//! Dossier patch: reading CIDs that a font's ToUnicode map does not cover.
//!
//! Chinese, Japanese and Korean PDFs often embed CID-keyed fonts without a
//! ToUnicode map (XeTeX with Fandol fonts, for one); their glyphs are CIDs of
//! an Adobe character collection, whose Unicode values Adobe publishes
//! (`<Collection>-UCS2` CMaps, BSD-3-Clause). `src/cid/*.bin` hold those
//! tables, one u32 per CID (see `cid-tables.py`). Fonts whose encoding is a
//! predefined Unicode CMap (`UniGB-UCS2-H`, `UniJIS-UTF16-H`, …) show UTF-16
//! code units, which are read as such.

use lopdf::{Dictionary, Document, Object};

static GB1: &[u8] = include_bytes!("cid/Adobe-GB1.bin");
static CNS1: &[u8] = include_bytes!("cid/Adobe-CNS1.bin");
static JAPAN1: &[u8] = include_bytes!("cid/Adobe-Japan1.bin");
static KOREA1: &[u8] = include_bytes!("cid/Adobe-Korea1.bin");

/// How to read a CID without a ToUnicode entry.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Fallback {
    None,
    /// The CID indexes this collection's table.
    Collection(&'static [u8]),
    /// The code is a UTF-16 code unit (a predefined `Uni…-UCS2`/`UTF16` CMap).
    Utf16,
}

/// Whether `name` is a predefined CMap whose codes are UTF-16 code units.
pub(crate) fn is_unicode_cmap(name: &str) -> bool {
    name.starts_with("Uni") && (name.contains("-UCS2-") || name.contains("-UTF16-"))
}

fn name_or_string(o: &Object) -> Option<String> {
    match o {
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        Object::String(s, _) => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

impl Fallback {
    pub(crate) fn for_font(doc: &Document, font: &Dictionary, cid_font: &Dictionary) -> Fallback {
        let encoding = font
            .get(b"Encoding")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(name_or_string);
        if encoding.as_deref().is_some_and(is_unicode_cmap) {
            return Fallback::Utf16;
        }
        let info = cid_font
            .get(b"CIDSystemInfo")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        let Some(info) = info else { return Fallback::None };
        let field = |k: &[u8]| info.get(k).ok().and_then(|o| deref(doc, o)).and_then(name_or_string);
        if field(b"Registry").as_deref() != Some("Adobe") {
            return Fallback::None;
        }
        match field(b"Ordering").as_deref() {
            Some("GB1") => Fallback::Collection(GB1),
            Some("CNS1") => Fallback::Collection(CNS1),
            Some("Japan1") => Fallback::Collection(JAPAN1),
            Some("Korea1") => Fallback::Collection(KOREA1),
            _ => Fallback::None,
        }
    }

    pub(crate) fn decode(&self, code: u32) -> Option<char> {
        let scalar = match self {
            Fallback::None => return None,
            Fallback::Utf16 => code,
            Fallback::Collection(table) => {
                let i = code as usize * 4;
                let b = table.get(i..i + 4)?;
                u32::from_le_bytes([b[0], b[1], b[2], b[3]])
            }
        };
        char::from_u32(scalar).filter(|c| *c != '\0')
    }
}
