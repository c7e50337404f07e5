//! Rich Text Format. A small, iterative (never recursive) reader: groups on
//! an explicit stack with a depth limit, so hostile nesting cannot overflow
//! the stack; destinations that are not running text (font and colour tables,
//! pictures, fields' instructions, headers, footnotes, anything after `\*`)
//! are skipped; `\'hh` bytes are decoded with the document's code page and
//! `\uN` characters honour `\ucN` fallbacks.

use dossier_model::{Error, ErrorCode, Result};

use crate::{push_block, title_from_blocks, Block, BlockKind, Extracted};

const MAX_DEPTH: usize = 1_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    Body,
    Skip,
    Info,
    Title,
    Author,
}

#[derive(Clone, Copy)]
struct Group {
    dest: Dest,
    uc: usize,
}

const SKIPPED: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "pict",
    "object",
    "header",
    "headerl",
    "headerr",
    "headerf",
    "footer",
    "footerl",
    "footerr",
    "footerf",
    "footnote",
    "fldinst",
    "xmlnstbl",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "pgdsctbl",
    "mmathPr",
    "revtbl",
    "listtext",
    "pntext",
    "pntxta",
    "pntxtb",
    "filetbl",
    "annotation",
    "atnid",
    "atnauthor",
    "private",
    "bkmkstart",
    "bkmkend",
    "nonshppict",
];

struct Reader {
    stack: Vec<Group>,
    group: Group,
    encoding: &'static encoding_rs::Encoding,
    pending: Vec<u8>,
    skip_chars: usize,
    high_surrogate: Option<u16>,
    paragraph: String,
    heading: bool,
    blocks: Vec<Block>,
    title: String,
    author: String,
}

impl Reader {
    fn sink(&mut self) -> Option<&mut String> {
        match self.group.dest {
            Dest::Body => Some(&mut self.paragraph),
            Dest::Title => Some(&mut self.title),
            Dest::Author => Some(&mut self.author),
            Dest::Skip | Dest::Info => None,
        }
    }

    fn flush_bytes(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.pending);
        let text = self
            .encoding
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned();
        if let Some(s) = self.sink() {
            s.push_str(&text);
        }
    }

    fn push_char(&mut self, c: char) {
        self.flush_bytes();
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return;
        }
        if let Some(s) = self.sink() {
            s.push(c);
        }
    }

    fn push_byte(&mut self, b: u8) {
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return;
        }
        if b < 0x80 {
            self.push_char(b as char);
        } else {
            self.pending.push(b);
        }
    }

    fn end_paragraph(&mut self) {
        self.flush_bytes();
        if self.group.dest == Dest::Body {
            let text = std::mem::take(&mut self.paragraph);
            let kind = if self.heading {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            };
            push_block(&mut self.blocks, kind, &text);
        }
    }

    fn unicode(&mut self, n: i32) {
        let unit = if n < 0 { (n + 65_536) as u16 } else { n as u16 };
        self.flush_bytes();
        let c = match (self.high_surrogate.take(), unit) {
            (None, 0xD800..=0xDBFF) => {
                self.high_surrogate = Some(unit);
                None
            }
            (Some(high), 0xDC00..=0xDFFF) => char::from_u32(
                0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00),
            ),
            (_, u) => char::from_u32(u32::from(u)),
        };
        if let Some(c) = c {
            if let Some(s) = self.sink() {
                s.push(c);
            }
        }
        self.skip_chars = self.group.uc;
    }

    fn control(&mut self, word: &str, param: Option<i32>, starred: bool) {
        match word {
            "par" | "sect" | "page" | "row" | "cell" => self.end_paragraph(),
            "pard" => self.heading = false,
            "outlinelevel" => self.heading = true,
            "line" | "tab" => self.push_char(' '),
            "emdash" => self.push_char('—'),
            "endash" => self.push_char('–'),
            "bullet" => self.push_char('•'),
            "lquote" => self.push_char('‘'),
            "rquote" => self.push_char('’'),
            "ldblquote" => self.push_char('“'),
            "rdblquote" => self.push_char('”'),
            "u" => self.unicode(param.unwrap_or(0)),
            "uc" => self.group.uc = param.unwrap_or(1).clamp(0, 16) as usize,
            "ansicpg" => {
                if let Some(enc) = param.and_then(codepage) {
                    self.encoding = enc;
                }
            }
            "info" => self.group.dest = Dest::Info,
            "title" if self.group.dest == Dest::Info => self.group.dest = Dest::Title,
            "author" if self.group.dest == Dest::Info => self.group.dest = Dest::Author,
            w if SKIPPED.contains(&w) => self.group.dest = Dest::Skip,
            // An unknown destination after `\*` must be ignored, with its whole group.
            _ if starred => self.group.dest = Dest::Skip,
            _ => {}
        }
    }
}

fn codepage(cp: i32) -> Option<&'static encoding_rs::Encoding> {
    let label = match cp {
        65001 => "utf-8".to_string(),
        932 => "shift_jis".into(),
        936 => "gbk".into(),
        949 => "euc-kr".into(),
        950 => "big5".into(),
        874 => "windows-874".into(),
        1250..=1258 => format!("windows-{cp}"),
        10000 => "macintosh".into(),
        _ => return None,
    };
    encoding_rs::Encoding::for_label(label.as_bytes())
}

pub fn extract(bytes: &[u8]) -> Result<Extracted> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "not an RTF document (it does not start with {\\rtf)",
        ));
    }
    let mut r = Reader {
        stack: Vec::new(),
        group: Group {
            dest: Dest::Body,
            uc: 1,
        },
        encoding: encoding_rs::WINDOWS_1252,
        pending: Vec::new(),
        skip_chars: 0,
        high_surrogate: None,
        paragraph: String::new(),
        heading: false,
        blocks: Vec::new(),
        title: String::new(),
        author: String::new(),
    };
    let mut i = 0;
    let mut starred = false;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        match b {
            b'{' => {
                r.flush_bytes();
                if r.stack.len() >= MAX_DEPTH {
                    return Err(Error::new(
                        ErrorCode::Unsupported,
                        format!("the RTF groups nest deeper than {MAX_DEPTH} levels"),
                    ));
                }
                r.stack.push(r.group);
                starred = false;
            }
            b'}' => {
                r.flush_bytes();
                match r.stack.pop() {
                    Some(g) => r.group = g,
                    None => break,
                }
                starred = false;
            }
            b'\\' => {
                let Some(&next) = bytes.get(i) else { break };
                if next.is_ascii_alphabetic() {
                    let start = i;
                    while i < bytes.len() && bytes[i].is_ascii_alphabetic() && i - start < 32 {
                        i += 1;
                    }
                    let word = std::str::from_utf8(&bytes[start..i])
                        .unwrap_or("")
                        .to_string();
                    let num_start = i;
                    if i < bytes.len() && bytes[i] == b'-' {
                        i += 1;
                    }
                    while i < bytes.len() && bytes[i].is_ascii_digit() && i - num_start < 11 {
                        i += 1;
                    }
                    let param = std::str::from_utf8(&bytes[num_start..i])
                        .ok()
                        .and_then(|s| s.parse::<i64>().ok())
                        .map(|n| n.clamp(i32::MIN as i64, i32::MAX as i64) as i32);
                    if i < bytes.len() && bytes[i] == b' ' {
                        i += 1;
                    }
                    if word != "u" {
                        r.flush_bytes();
                    }
                    r.control(&word, param, starred);
                    starred = false;
                } else {
                    i += 1;
                    match next {
                        b'\'' => {
                            let hex = bytes
                                .get(i..i + 2)
                                .and_then(|h| std::str::from_utf8(h).ok())
                                .and_then(|h| u8::from_str_radix(h, 16).ok());
                            if let Some(v) = hex {
                                i += 2;
                                r.push_byte(v);
                            }
                        }
                        b'*' => starred = true,
                        b'~' => r.push_char('\u{a0}'),
                        b'_' => r.push_char('‑'),
                        b'-' => {}
                        b'\n' | b'\r' => r.end_paragraph(),
                        b'\\' | b'{' | b'}' => r.push_char(next as char),
                        _ => {}
                    }
                }
            }
            b'\r' | b'\n' | 0 => {}
            _ => r.push_byte(b),
        }
    }
    r.end_paragraph();
    let title = crate::clean_inline(&r.title);
    let author = crate::clean_inline(&r.author);
    let blocks = std::mem::take(&mut r.blocks);
    Ok(Extracted {
        title: (!title.is_empty())
            .then_some(title)
            .or_else(|| title_from_blocks(&blocks)),
        author: (!author.is_empty()).then_some(author),
        blocks,
        parser: "rtf/1".into(),
        media_type: "application/rtf".into(),
        ..Default::default()
    })
}
