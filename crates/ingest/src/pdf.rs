//! PDF: the text layer, read page by page, rebuilt into paragraphs: lines are
//! joined, words hyphenated across a line end are mended, blank lines separate
//! paragraphs, and every block remembers its page so a claim can be cited by
//! page. Title and author come from the document information dictionary.
//!
//! The file is parsed once (lopdf). Each page is read by pdf-extract, which
//! understands fonts and encodings best, while counting the glyphs the page
//! draws and how many of them decode to text. A page pdf-extract cannot read
//! whole (it fails, panics, or leaves glyphs undecoded) is read again by
//! lopdf's plainer reader, and the better reading of that page wins; one bad
//! page never costs the others. What could not be read is measured per page
//! (`PageReading`) and reported, never hidden.
//!
//! Because a broken PDF can make these libraries panic, loop or exhaust the
//! stack, `lib::extract` runs this in a separate process (`sandbox`).

use std::panic::{catch_unwind, AssertUnwindSafe};

use dossier_model::script::{is_cjk, is_cjk_punctuation};
use dossier_model::{Error, ErrorCode, PageGeometry, PageReading, Result, WordBox};
use lopdf::{Dictionary, Document, Object, ObjectId};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use unicode_normalization::UnicodeNormalization;

use crate::{Block, BlockKind, Extracted};

/// The parser tag stored with each article: bump when extraction changes the text.
const PARSER: &str = "pdf/2";

/// Form XObjects nest; the glyph count follows them this deep.
const MAX_FORM_DEPTH: usize = 8;
/// Content-stream operations the glyph count reads for one page, forms
/// included: a form drawn many times, each drawing another many times, would
/// otherwise multiply the work with every level.
const MAX_COUNTED_OPERATIONS: usize = 1_000_000;

fn info_string(doc: &Document, key: &[u8]) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let dict = match info {
        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
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

/// The date of a PDF date string (`D:YYYYMMDDHHmmSS…`, PDF 32000 §7.9.4) as
/// ISO 8601, to the precision it gives: `2024-05-03`, `2024-05` or `2024`.
/// The document's own date (its Info `CreationDate`) is the best date an
/// undated PDF offers; the analyst corrects it where it is not the
/// publication date.
fn pdf_date(raw: &str) -> Option<String> {
    let digits: String = raw
        .strip_prefix("D:")
        .unwrap_or(raw)
        .chars()
        .take_while(char::is_ascii_digit)
        .take(8)
        .collect();
    let year: u32 = digits.get(0..4)?.parse().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    let part = |r: std::ops::Range<usize>, max: u32| {
        digits
            .get(r)
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|v| (1..=max).contains(v))
    };
    Some(match (part(4..6, 12), part(6..8, 31)) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    })
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
        let first = line.chars().next();
        if current.ends_with('-') && first.is_some_and(char::is_lowercase) {
            current.pop();
        } else if current.chars().next_back().is_some_and(joins_without_space)
            && first.is_some_and(joins_without_space)
        {
            // Chinese and Japanese lines wrap between characters, not words.
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

/// The combining mark for a spacing accent that TeX draws as a glyph of its
/// own before the letter it sits on (`L¨uck` is `Lück`).
fn combining_for(accent: char) -> Option<char> {
    Some(match accent {
        '\u{A8}' => '\u{308}',
        '\u{B4}' => '\u{301}',
        '\u{2C6}' => '\u{302}',
        '\u{2DC}' => '\u{303}',
        '\u{AF}' => '\u{304}',
        '\u{2D8}' => '\u{306}',
        '\u{2D9}' => '\u{307}',
        '\u{2DA}' => '\u{30A}',
        '\u{2DD}' => '\u{30B}',
        '\u{2C7}' => '\u{30C}',
        '\u{B8}' => '\u{327}',
        '\u{2DB}' => '\u{328}',
        _ => return None,
    })
}

/// Puts TeX's separately drawn accents back on their letters: an accent
/// glyph directly before a letter becomes that letter with the combining
/// mark (NFC, applied later, makes it one character).
fn compose_accents(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (combining_for(c), chars.peek()) {
            (Some(mark), Some(&letter)) if letter.is_alphabetic() => {
                out.push(letter);
                out.push(mark);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A character of a script written without spaces between words.
fn joins_without_space(c: char) -> bool {
    is_cjk(c) || is_cjk_punctuation(c)
}

/// Characters of `text` that carry reading: not whitespace, not U+FFFD, not controls.
fn readable_chars(text: &str) -> u32 {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{FFFD}' && !c.is_control())
        .count() as u32
}

/// A line of a page as pdf-extract lays glyphs out: its text, where it sits
/// (top-down) and the size of its type.
struct Line {
    text: String,
    y: f64,
    size: f64,
}

/// Lays out the glyphs pdf-extract shows into lines and paragraphs, counting
/// every glyph on the way. Words are split where a text run starts clear of
/// the previous one (as pdf-extract's own plain-text output does); a line
/// ends where the baseline moves; a paragraph ends where the gap to the next
/// line is clearly wider than the page's usual line pitch, the type size
/// changes, or the text jumps up (a new column).
struct PageLayout {
    lines: Vec<Line>,
    /// Words as drawn, in the order shown, with their boxes (top-down points).
    words: Vec<RawWord>,
    /// The word being drawn: no space or line break since it began.
    open_word: bool,
    /// The media box's left and top edges and its size.
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    current: Line,
    last_end: f64,
    last_y: f64,
    run_start: bool,
    flip: Transform,
    /// Glyphs that are not spaces.
    glyphs: u32,
    /// Of those, the ones that decoded to readable text.
    decoded: u32,
}

impl PageLayout {
    fn new() -> PageLayout {
        PageLayout {
            lines: Vec::new(),
            words: Vec::new(),
            open_word: false,
            left: 0.0,
            top: 0.0,
            width: 0.0,
            height: 0.0,
            current: Line {
                text: String::new(),
                y: 0.0,
                size: 0.0,
            },
            last_end: f64::MAX,
            last_y: 0.0,
            run_start: false,
            flip: Transform::identity(),
            glyphs: 0,
            decoded: 0,
        }
    }

    fn finish_line(&mut self) {
        if !self.current.text.trim().is_empty() {
            let y = self.current.y;
            let size = self.current.size;
            let text = std::mem::take(&mut self.current.text);
            self.lines.push(Line { text, y, size });
        }
        self.current.text.clear();
    }

    /// Lines joined by newlines, paragraphs by blank lines.
    fn text(mut self) -> String {
        self.finish_line();
        let mut gaps: Vec<f64> = self
            .lines
            .windows(2)
            .map(|w| w[1].y - w[0].y)
            .filter(|g| *g > 0.0)
            .collect();
        gaps.sort_by(f64::total_cmp);
        let pitch = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                let prev = &self.lines[i - 1];
                let gap = line.y - prev.y;
                let resized = (line.size - prev.size).abs() > 0.15 * prev.size.max(line.size);
                let wide = pitch > 0.0 && gap > pitch * 1.4;
                out.push_str(if gap <= 0.0 || wide || resized {
                    "\n\n"
                } else {
                    "\n"
                });
            }
            out.push_str(line.text.trim_end());
        }
        out
    }
}

/// A word as a page draws it, before it is found in the canonical text.
#[derive(Debug, Clone)]
struct RawWord {
    text: String,
    chars: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// Characters a recorded word may hold: lines of Chinese have no spaces, and
/// shorter pieces keep a claim's rectangles close to its characters.
const MAX_WORD_CHARS: usize = 12;

impl PageLayout {
    /// Adds a glyph to the word being drawn (or starts one): its box runs from
    /// the pen position over its advance, from the ascender to the descender.
    fn record_glyph(&mut self, trm: &Transform, char: &str, advance: f64, size: f64) {
        if char.chars().all(char::is_whitespace) {
            self.open_word = false;
            return;
        }
        if self.words.len() >= dossier_model::layout::MAX_WORDS_PER_PAGE {
            return;
        }
        let x = trm.m31 - self.left;
        let baseline = self.top - trm.m32;
        let (x0, x1) = (x.min(x + advance), x.max(x + advance));
        let (y0, y1) = (baseline - 0.9 * size, baseline + 0.25 * size);
        if ![x0, x1, y0, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        let chars = char.chars().count();
        match self.words.last_mut() {
            Some(w) if self.open_word && w.chars + chars <= MAX_WORD_CHARS => {
                w.text.push_str(char);
                w.chars += chars;
                w.x0 = w.x0.min(x0);
                w.x1 = w.x1.max(x1);
                w.y0 = w.y0.min(y0);
                w.y1 = w.y1.max(y1);
            }
            _ => self.words.push(RawWord {
                text: char.to_string(),
                chars,
                x0,
                y0,
                x1,
                y1,
            }),
        }
        self.open_word = true;
    }
}

impl OutputDev for PageLayout {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> std::result::Result<(), OutputError> {
        self.flip = Transform::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        self.left = media_box.llx;
        self.top = media_box.ury;
        self.width = (media_box.urx - media_box.llx).abs();
        self.height = (media_box.ury - media_box.lly).abs();
        Ok(())
    }
    fn end_page(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> std::result::Result<(), OutputError> {
        // A glyph without a mapping decodes to "": drawn, but unreadable.
        let blank = !char.is_empty() && char.chars().all(char::is_whitespace);
        if !blank {
            self.glyphs += 1;
            if readable_chars(char) > 0 {
                self.decoded += 1;
            }
        }
        let position = trm.post_transform(&self.flip);
        // The side of a square with the area of the glyph's scaled em box.
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt();
        let (x, y) = (position.m31, position.m32);
        if !size.is_finite() || !x.is_finite() || !y.is_finite() {
            // Drawn where no page can be measured (a hostile matrix): the text
            // is kept on the current line; it has no place on the page.
            self.current.text.push_str(char);
            self.open_word = false;
            return Ok(());
        }
        if self.current.text.is_empty() || (y - self.last_y).abs() > size * 0.5 {
            self.finish_line();
            self.current.y = y;
            self.current.size = size;
            self.open_word = false;
        } else if self.run_start
            && x > self.last_end + size * 0.1
            && !self.current.text.ends_with(' ')
        {
            self.current.text.push(' ');
            self.open_word = false;
        }
        self.current.text.push_str(char);
        self.record_glyph(trm, char, width * size, size);
        self.current.size = self.current.size.max(size);
        self.run_start = false;
        self.last_y = y;
        self.last_end = x + width * size;
        Ok(())
    }
    fn begin_word(&mut self) -> std::result::Result<(), OutputError> {
        self.run_start = true;
        Ok(())
    }
    fn end_word(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }
}

/// One page read by pdf-extract.
struct Primary {
    text: String,
    glyphs: u32,
    decoded: u32,
    drawn: Drawn,
}

/// What a page draws where: its size and its words, for the page's geometry.
#[derive(Debug, Default)]
struct Drawn {
    width: f64,
    height: f64,
    words: Vec<RawWord>,
}

/// One page read by pdf-extract: its text, glyph counts and words, or `None`
/// when the reader failed on the page (an error or a panic).
fn read_primary(reader: &mut pdf_extract::PageReader<'_>, page: u32) -> Option<Primary> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut layout = PageLayout::new();
        reader.output_page(&mut layout, page).ok()?;
        let (glyphs, decoded) = (layout.glyphs, layout.decoded);
        let words = std::mem::take(&mut layout.words);
        let (width, height) = (layout.width, layout.height);
        Some(Primary {
            text: layout.text(),
            glyphs,
            decoded,
            drawn: Drawn {
                width,
                height,
                words,
            },
        })
    }))
    .ok()
    .flatten()
}

/// One page read by lopdf's plainer reader; empty when it fails.
fn read_fallback(doc: &Document, page: u32) -> String {
    catch_unwind(AssertUnwindSafe(|| doc.extract_text(&[page])))
        .ok()
        .and_then(|r| r.ok())
        .unwrap_or_default()
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

/// Whether an XObject stream is of `subtype` (`Form`, `Image`).
fn has_subtype(stream: &lopdf::Stream, subtype: &[u8]) -> bool {
    stream
        .dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|n| n == subtype)
}

fn dict_in<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    resolve(doc, d.get(key).ok()?)?.as_dict().ok()
}

/// The glyphs a content stream shows, spaces not counted, following form
/// XObjects: the measure of a page when pdf-extract could not read it.
/// Composite (Type0) fonts are counted as two bytes a glyph, simple fonts one.
/// Reads at most `budget` operations in all (and takes them off it).
fn count_glyphs(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    depth: usize,
    budget: &mut usize,
) -> u32 {
    let Ok(content) = lopdf::content::Content::decode(content) else {
        return 0;
    };
    let fonts = resources.and_then(|r| dict_in(doc, r, b"Font"));
    let xobjects = resources.and_then(|r| dict_in(doc, r, b"XObject"));
    let mut two_byte = false;
    let mut total = 0u32;
    let count_string = |bytes: &[u8], two_byte: bool| -> u32 {
        if two_byte {
            (bytes.len() / 2) as u32
        } else {
            bytes.iter().filter(|&&b| b != b' ').count() as u32
        }
    };
    for op in &content.operations {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        match op.operator.as_str() {
            "Tf" => {
                two_byte = op
                    .operands
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| fonts.and_then(|f| dict_in(doc, f, n)))
                    .and_then(|f| f.get(b"Subtype").ok()?.as_name().ok())
                    .is_some_and(|s| s == b"Type0");
            }
            "Tj" | "'" | "\"" => {
                if let Some(Object::String(s, _)) = op.operands.last() {
                    total = total.saturating_add(count_string(s, two_byte));
                }
            }
            "TJ" => {
                if let Some(Ok(items)) = op.operands.first().map(|o| o.as_array()) {
                    for item in items {
                        if let Object::String(s, _) = item {
                            total = total.saturating_add(count_string(s, two_byte));
                        }
                    }
                }
            }
            "Do" if depth < MAX_FORM_DEPTH => {
                let form = op
                    .operands
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| resolve(doc, xobjects?.get(n).ok()?))
                    .and_then(|o| o.as_stream().ok())
                    .filter(|s| has_subtype(s, b"Form"));
                if let Some(form) = form {
                    let inner = form
                        .decompressed_content()
                        .unwrap_or_else(|_| form.content.clone());
                    let res = dict_in(doc, &form.dict, b"Resources").or(resources);
                    total = total.saturating_add(count_glyphs(doc, &inner, res, depth + 1, budget));
                }
            }
            _ => {}
        }
    }
    total
}

/// The page's resource dictionary, inherited from the page tree when the page has none.
fn page_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_dictionary(page_id).ok()?;
    for _ in 0..64 {
        if let Some(r) = dict_in(doc, node, b"Resources") {
            return Some(r);
        }
        node = doc
            .get_dictionary(node.get(b"Parent").ok()?.as_reference().ok()?)
            .ok()?;
    }
    None
}

/// Whether the page's resources hold an image (a scanned page draws one).
fn has_images(doc: &Document, resources: Option<&Dictionary>) -> bool {
    let Some(xobjects) = resources.and_then(|r| dict_in(doc, r, b"XObject")) else {
        return false;
    };
    xobjects.iter().any(|(_, o)| {
        resolve(doc, o)
            .and_then(|o| o.as_stream().ok())
            .is_some_and(|s| has_subtype(s, b"Image"))
    })
}

/// The best reading of one page, and how complete it is.
fn read_page(
    doc: &Document,
    reader: &mut pdf_extract::PageReader<'_>,
    number: u32,
    page_id: ObjectId,
) -> (String, PageReading, Drawn) {
    let resources = page_resources(doc, page_id);
    let (text, glyphs, decoded, engine, drawn) = match read_primary(reader, number) {
        // pdf-extract read every glyph it drew.
        Some(p) if p.glyphs == p.decoded => (p.text, p.glyphs, p.decoded, "pdf-extract", p.drawn),
        // It failed on the page or left glyphs undecoded: try lopdf. Its
        // reading replaces pdf-extract's only where pdf-extract failed, or read
        // less than half the page and lopdf more: lopdf cannot tell a decoded
        // glyph from a raw code shown as Latin-1, so its count is only an upper
        // bound, and garbage must not win over text. lopdf knows no positions,
        // so a page it read has no words on the page.
        primary => {
            let mut budget = MAX_COUNTED_OPERATIONS;
            let counted = doc
                .get_page_content(page_id)
                .map(|c| count_glyphs(doc, &c, resources, 0, &mut budget))
                .unwrap_or(0);
            let fallback = read_fallback(doc, number);
            let fallback_chars = readable_chars(&fallback);
            match primary {
                Some(p) if p.decoded * 2 >= p.glyphs || p.decoded >= fallback_chars => {
                    (p.text, p.glyphs, p.decoded, "pdf-extract", p.drawn)
                }
                Some(p) => {
                    let glyphs = p.glyphs.max(counted);
                    let drawn = Drawn {
                        words: Vec::new(),
                        ..p.drawn
                    };
                    (fallback, glyphs, fallback_chars.min(glyphs), "lopdf", drawn)
                }
                None => (
                    fallback,
                    counted,
                    fallback_chars.min(counted),
                    "lopdf",
                    Drawn::default(),
                ),
            }
        }
    };
    let image_only = glyphs == 0 && readable_chars(&text) == 0 && has_images(doc, resources);
    (
        text,
        PageReading {
            page: number,
            glyphs,
            decoded,
            engine: engine.into(),
            image_only,
        },
        drawn,
    )
}

/// How far ahead of the last word found the next one is looked for, in
/// characters: far enough to step over a heading or a caption the words did
/// not match, near enough that a common word does not match a later line.
const ALIGN_WINDOW: usize = 400;

/// Finds each page's words in the canonical text, in order, and keeps those
/// found with their spans. A word is looked for in a bounded window after
/// the previous one (so the whole pass is linear in the text); a word broken
/// by a hyphen at a line's end is found without it; a word not found (an
/// accent TeX drew apart, a glyph the text lost) is left out, and the search
/// goes on from where it was.
fn align(text: &str, drawn: Vec<(u32, Drawn)>) -> Vec<PageGeometry> {
    let chars: Vec<char> = text.chars().collect();
    let mut cursor = 0usize;
    let mut pages = Vec::with_capacity(drawn.len());
    for (page, d) in drawn {
        let mut words = Vec::new();
        for w in &d.words {
            let wanted: Vec<char> = w.text.nfc().filter(|c| !c.is_whitespace()).collect();
            let found = find_in_window(&chars, cursor, &wanted).or_else(|| {
                let stem = wanted.strip_suffix(&['-'])?;
                find_in_window(&chars, cursor, stem)
            });
            let corners = [w.x0, w.y0, w.x1, w.y1].map(|v| v as f32);
            if let Some((start, end)) = found {
                cursor = end;
                // A box beyond what f32 holds (a hostile matrix) is no box.
                if corners.iter().all(|v| v.is_finite()) {
                    let [x0, y0, x1, y1] = corners;
                    words.push(WordBox {
                        start: start as u32,
                        end: end as u32,
                        x0,
                        y0,
                        x1,
                        y1,
                    });
                }
            }
        }
        let size = |v: f64| Some(v as f32).filter(|v| v.is_finite()).unwrap_or(0.0);
        pages.push(PageGeometry {
            page,
            width: size(d.width),
            height: size(d.height),
            words,
        });
    }
    pages
}

/// The first place at or after `from` (within the window) where `wanted`
/// stands in `chars`.
fn find_in_window(chars: &[char], from: usize, wanted: &[char]) -> Option<(usize, usize)> {
    if wanted.is_empty() || from >= chars.len() {
        return None;
    }
    let until = (from + ALIGN_WINDOW + wanted.len()).min(chars.len());
    chars[from..until]
        .windows(wanted.len())
        .position(|w| w == wanted)
        .map(|i| (from + i, from + i + wanted.len()))
}

/// Extracts in this process. Call through `crate::extract`, which isolates it.
pub fn extract_in_process(bytes: &[u8]) -> Result<Extracted> {
    let mut doc = Document::load_mem(bytes)
        .map_err(|e| Error::new(ErrorCode::Unsupported, format!("not a readable PDF ({e})")))?;
    // A PDF encrypted with an empty user password (only printing or copying
    // restricted) opens for reading; one that needs a password does not.
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "the PDF is encrypted with a password; Dossier cannot read its text",
        ));
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "the PDF's pages could not be found (a damaged or unsupported cross-reference table); nothing was imported",
        ));
    }
    let mut blocks = Vec::new();
    let mut readings = Vec::with_capacity(pages.len());
    let mut drawn = Vec::with_capacity(pages.len());
    // One reader for the document: the page tree is found once, each font built once.
    let no_resources = lopdf::Dictionary::new();
    let mut reader = pdf_extract::PageReader::new(&doc, &no_resources);
    for (&number, &page_id) in &pages {
        let (text, reading, words) = read_page(&doc, &mut reader, number, page_id);
        readings.push(reading);
        drawn.push((number, words));
        for p in paragraphs(&text) {
            let text = crate::clean_inline(&compose_accents(&p));
            if text.is_empty() {
                continue;
            }
            // A short line without final punctuation reads as a heading.
            let heading = text.chars().count() <= 80
                && !text.ends_with(['.', ',', ';', ':', '。', '，', '?', '!']);
            let kind = if heading {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            };
            blocks.push(Block::new(kind, text, Some(number)));
        }
    }
    if blocks.is_empty() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!(
                "the PDF has {} page(s) but no text layer that can be read (a scan?); run OCR on it first",
                pages.len()
            ),
        ));
    }
    let declared_language = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Lang").ok())
        .and_then(|l| resolve(&doc, l))
        .and_then(|l| l.as_str().ok())
        .map(|l| String::from_utf8_lossy(l).into_owned());
    let mut extracted = Extracted {
        declared_language,
        title: info_string(&doc, b"Title").or_else(|| crate::title_from_blocks(&blocks)),
        author: info_string(&doc, b"Author"),
        published: info_string(&doc, b"CreationDate").and_then(|d| pdf_date(&d)),
        blocks,
        pages: readings,
        parser: PARSER.into(),
        media_type: "application/pdf".into(),
        ..Default::default()
    };
    extracted.geometry = align(&extracted.canonical_text(), drawn);
    Ok(extracted)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pdf_dates_keep_their_precision_and_refuse_nonsense() {
        assert_eq!(
            super::pdf_date("D:20261130175323Z").as_deref(),
            Some("2026-11-30")
        );
        assert_eq!(super::pdf_date("D:202405").as_deref(), Some("2024-05"));
        assert_eq!(super::pdf_date("2024").as_deref(), Some("2024"));
        assert_eq!(super::pdf_date("D:20241340").as_deref(), Some("2024"));
        assert_eq!(super::pdf_date("D:0000").as_deref(), None);
        assert_eq!(super::pdf_date("yesterday").as_deref(), None);
    }

    #[test]
    fn paragraphs_mend_hyphenation() {
        let p = super::paragraphs("Die Trans-\nparenz fehlt.\n\nZweiter Absatz\nmit Zeile");
        assert_eq!(
            p,
            vec!["Die Transparenz fehlt.", "Zweiter Absatz mit Zeile"]
        );
    }

    #[test]
    fn tex_accents_return_to_their_letters() {
        let composed = crate::clean_inline(&super::compose_accents("Uwe L\u{A8}uck, Caf\u{B4}e ¨"));
        assert_eq!(composed, "Uwe Lück, Café ¨");
    }

    #[test]
    fn chinese_lines_join_without_a_space() {
        let p =
            super::paragraphs("它非常适用于生成高印刷质\n量的科技类文档。\nQwen 模型\nand more");
        assert_eq!(
            p,
            vec!["它非常适用于生成高印刷质量的科技类文档。 Qwen 模型 and more"]
        );
    }

    #[test]
    fn glyph_counting_is_bounded_when_forms_draw_each_other() {
        use lopdf::{dictionary, Object, Stream};
        // A form that draws itself 100 times (and one glyph): followed to
        // depth 8 unbounded, that is 100^8 draws.
        let mut doc = lopdf::Document::with_version("1.5");
        let form_id = doc.new_object_id();
        let mut content = b"BT (x) Tj ET ".to_vec();
        content.extend(b"/Fx Do ".repeat(100));
        let form = Stream::new(
            dictionary! {
                "Subtype" => "Form",
                "Resources" => dictionary! { "XObject" => dictionary! { "Fx" => form_id } },
            },
            content,
        );
        doc.objects.insert(form_id, Object::Stream(form));
        let resources = dictionary! { "XObject" => dictionary! { "Fx" => form_id } };
        let started = std::time::Instant::now();
        let mut budget = super::MAX_COUNTED_OPERATIONS;
        let glyphs = super::count_glyphs(&doc, b"/Fx Do", Some(&resources), 0, &mut budget);
        assert_eq!(budget, 0, "the budget ran out");
        assert!(glyphs > 0 && glyphs < 1_000_000, "{glyphs}");
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn readable_chars_skip_blanks_and_replacements() {
        assert_eq!(super::readable_chars("a b\u{FFFD}\n中"), 3);
    }
}
