//! Bytes to text: BOMs first, then UTF-8, then a statistical guess (chardetng).

use dossier_model::{Error, ErrorCode, Result};

pub fn to_string(bytes: &[u8]) -> Result<String> {
    let text = decode(bytes, None);
    reject_binary(&text)?;
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// As `to_string`, but honours a `<meta charset>` in the first kilobytes.
pub fn html_to_string(bytes: &[u8]) -> Result<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let declared = head.find("charset=").and_then(|i| {
        let rest = head[i + 8..].trim_start_matches(['"', '\'']);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        encoding_rs::Encoding::for_label(&rest.as_bytes()[..end])
    });
    let text = decode(bytes, declared);
    reject_binary(&text)?;
    Ok(text)
}

fn decode(bytes: &[u8], declared: Option<&'static encoding_rs::Encoding>) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let enc = declared.unwrap_or_else(|| {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        det.guess(None, chardetng::Utf8Detection::Allow)
    });
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// NUL characters and a high share of control characters mean this is not text.
fn reject_binary(text: &str) -> Result<()> {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let control = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if sample.contains(&'\0') || control * 20 > sample.len().max(1) {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "the file is binary, not text",
        ));
    }
    Ok(())
}
