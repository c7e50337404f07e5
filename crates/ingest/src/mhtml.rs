//! Saved web pages as MHTML (`.mhtml`, `.mht`): a MIME multipart message
//! whose first `text/html` part is the page. The part is decoded
//! (quoted-printable or base64, then its charset) and goes through the HTML
//! extractor; the page's address comes from `Snapshot-Content-Location` or
//! the part's `Content-Location`. Images and styles in other parts are ignored.

use dossier_model::{Error, ErrorCode, Result};

use crate::{html, Extracted};

fn unsupported(msg: &str) -> Error {
    Error::new(ErrorCode::Unsupported, msg.to_string())
}

/// Headers (unfolded, names lower-cased) and the offset where the body starts.
fn headers(text: &str) -> (Vec<(String, String)>, usize) {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            return (out, offset);
        }
        if l.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(l.trim());
            }
        } else if let Some((k, v)) = l.split_once(':') {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    (out, text.len())
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A parameter of a header value: `text/html; charset="utf-8"` → `utf-8`.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_string())
    })
}

fn quoted_printable(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') {
                i += 3;
                continue;
            }
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn base64(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

pub fn extract(bytes: &[u8]) -> Result<Extracted> {
    // MIME structure is ASCII; an 8-bit body is decoded later with its charset.
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let (top, body_start) = headers(&text);
    let content_type = header(&top, "content-type")
        .ok_or_else(|| unsupported("not an MHTML file (no Content-Type header)"))?;
    let page_url = header(&top, "snapshot-content-location").map(str::to_string);
    let boundary = param(content_type, "boundary")
        .ok_or_else(|| unsupported("not an MHTML file (no multipart boundary)"))?;
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for part in text[body_start..]
        .split(delimiter.as_str())
        .skip(1)
        .take(MAX_PARTS)
    {
        if part.starts_with("--") {
            break;
        }
        let part = part.trim_start_matches(['\r', '\n']);
        let (h, start) = headers(part);
        parts.push((h, &part[start..]));
    }
    let Some((h, raw)) = parts.iter().find(|(h, _)| {
        header(h, "content-type")
            .unwrap_or("text/plain")
            .to_ascii_lowercase()
            .starts_with("text/html")
    }) else {
        return Err(unsupported("the MHTML file has no HTML part"));
    };
    let ct = header(h, "content-type").unwrap_or("text/html");
    let decoded = body(h, raw);
    let html_text =
        match param(ct, "charset").and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes())) {
            Some(enc) => enc.decode_without_bom_handling(&decoded).0.into_owned(),
            None => crate::decode::html_to_string(&decoded)?,
        };
    // The page's images are the parts its addresses name (by Content-Location
    // or, for `cid:` addresses, Content-ID).
    let mut fetch = |src: &str| {
        let (name, key) = match src.strip_prefix("cid:") {
            Some(id) => ("content-id", id.trim_matches(['<', '>'])),
            None => ("content-location", src),
        };
        parts
            .iter()
            .find(|(h, _)| header(h, name).is_some_and(|v| v.trim_matches(['<', '>']) == key))
            .map(|(h, raw)| body(h, raw))
    };
    let mut images = crate::Images::default();
    let mut extracted = html::extract_into(&html_text, &mut fetch, &mut images);
    (extracted.images, extracted.notes) = images.into_parts();
    if extracted.source_url.is_none() {
        extracted.source_url =
            page_url.or_else(|| header(h, "content-location").map(str::to_string));
    }
    extracted.parser = "mhtml/2".into();
    extracted.media_type = "multipart/related".into();
    Ok(extracted)
}

/// Parts of one message beyond this are not read.
const MAX_PARTS: usize = 10_000;

/// A part's body, its transfer encoding undone.
fn body(h: &[(String, String)], raw: &str) -> Vec<u8> {
    match header(h, "content-transfer-encoding")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("quoted-printable") => quoted_printable(raw),
        Some("base64") => base64(raw),
        _ => raw.chars().map(|c| c as u32 as u8).collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_transfer_encodings() {
        assert_eq!(
            super::quoted_printable("Gr=C3=BC=\r\nn=3D"),
            "Grün=".as_bytes()
        );
        assert_eq!(super::base64("5pWw5o2u"), "数据".as_bytes());
    }
}
