//! Bibliographic data of the articles: CSL-JSON, BibTeX (biblatex flavour,
//! read by biber) and RIS — written from the articles' metadata, and read back
//! so that a reference manager's data can be attached to matching articles.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::{json, Value};

use dossier_model::dates::PartialDate;
use dossier_model::Article;

/// A bibliographic record as read from a file, in Dossier's terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reference {
    pub title: Option<String>,
    /// Display names ("Given Family" or an organisation), in order.
    pub authors: Vec<String>,
    /// ISO 8601 date, as precise as known: `2024`, `2024-05`, `2024-05-03`.
    pub date: Option<String>,
    pub url: Option<String>,
}

/// Splits Dossier's free-text author field ("A. Müller; Xinhua") into names.
fn author_names(author: &Option<String>) -> Vec<String> {
    author
        .as_deref()
        .unwrap_or("")
        .split([';', '\n'])
        .flat_map(|s| s.split(" and "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// (family, given) for a personal name; `None` for what looks like an organisation.
fn split_name(name: &str) -> Option<(String, String)> {
    if let Some((family, given)) = name.split_once(',') {
        return Some((family.trim().to_string(), given.trim().to_string()));
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let looks_personal = (2..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if !looks_personal || name.chars().any(|c| (c as u32) >= 0x2E80) {
        return None;
    }
    let (family, given) = words.split_last().expect("two or more words");
    Some((family.to_string(), given.join(" ")))
}

/// Year, month, day, as far as the date string says (see `dossier_model::dates`).
fn date_parts(date: &str) -> Vec<u32> {
    PartialDate::parse(date)
        .map(PartialDate::parts)
        .unwrap_or_default()
}

/// The ISO form of a date string, when it is one.
fn iso_date(date: &str) -> Option<String> {
    PartialDate::parse(date).map(|d| d.to_string())
}

// ---------------------------------------------------------------- CSL-JSON

pub fn csl_json(articles: &[&Article]) -> Value {
    Value::Array(
        articles
            .iter()
            .map(|a| {
                let mut item = json!({
                    "id": a.id,
                    "type": if a.source_url.is_some() { "webpage" } else { "article" },
                    "title": a.title,
                    "language": a.language,
                    "note": format!("SHA-256 {}", a.sha256),
                });
                let authors: Vec<Value> = author_names(&a.author)
                    .iter()
                    .map(|n| match split_name(n) {
                        Some((family, given)) => json!({"family": family, "given": given}),
                        None => json!({"literal": n}),
                    })
                    .collect();
                if !authors.is_empty() {
                    item["author"] = Value::Array(authors);
                }
                let issued = a.published.as_deref().map(date_parts).unwrap_or_default();
                if !issued.is_empty() {
                    item["issued"] = json!({"date-parts": [issued]});
                }
                let accessed = date_parts(&a.imported_at);
                if !accessed.is_empty() {
                    item["accessed"] = json!({"date-parts": [accessed]});
                }
                if let Some(url) = &a.source_url {
                    item["URL"] = json!(url);
                }
                item
            })
            .collect(),
    )
}

pub fn read_csl_json(doc: &Value) -> Result<Vec<Reference>, String> {
    let items = match doc {
        Value::Array(a) => a.iter().collect::<Vec<_>>(),
        Value::Object(_) => vec![doc],
        _ => return Err("CSL-JSON must be an array of items".into()),
    };
    let mut out = Vec::new();
    for item in items {
        if item.get("type").is_none() || item.get("id").is_none() {
            return Err("a CSL-JSON item needs \"id\" and \"type\"".into());
        }
        let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        let authors = item
            .get("author")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|n| {
                        let part = |k: &str| n.get(k).and_then(Value::as_str).unwrap_or("").trim();
                        let name = if !part("literal").is_empty() {
                            part("literal").to_string()
                        } else {
                            format!("{} {}", part("given"), part("family"))
                                .trim()
                                .to_string()
                        };
                        (!name.is_empty()).then_some(name)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let date = item
            .get("issued")
            .and_then(|i| i.get("date-parts"))
            .and_then(|d| d.get(0))
            .and_then(Value::as_array)
            .map(|p| {
                p.iter()
                    .filter_map(|x| {
                        x.as_u64()
                            .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
                            .and_then(|x| u32::try_from(x).ok())
                    })
                    .collect::<Vec<u32>>()
            })
            .and_then(|p| PartialDate::from_parts(&p))
            .map(|d| d.to_string());
        out.push(Reference {
            title: text("title"),
            authors,
            date,
            url: text("URL"),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- BibTeX

/// Escapes the characters (La)TeX treats specially; UTF-8 stays as it is (biber reads it).
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn bib_key(a: &Article, used: &mut HashSet<String>) -> String {
    let first = author_names(&a.author)
        .first()
        .map(|n| split_name(n).map(|(f, _)| f).unwrap_or_else(|| n.clone()))
        .unwrap_or_else(|| a.title.clone());
    let mut base: String = first
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(20)
        .collect::<String>()
        .to_lowercase();
    if base.is_empty() {
        base = "article".into();
    }
    if let Some(y) = a
        .published
        .as_deref()
        .map(date_parts)
        .and_then(|p| p.first().copied())
    {
        let _ = write!(base, "{y}");
    }
    let mut key = base.clone();
    let mut n = 1;
    while !used.insert(key.clone()) {
        n += 1;
        key = format!("{base}-{n}");
    }
    key
}

pub fn bibtex(articles: &[&Article]) -> String {
    let mut used = HashSet::new();
    let mut out = String::from(
        "% Exported by Dossier. UTF-8; biblatex entry types (process with biber).\n\n",
    );
    for a in articles {
        let kind = if a.source_url.is_some() {
            "online"
        } else {
            "misc"
        };
        let _ = writeln!(out, "@{kind}{{{},", bib_key(a, &mut used));
        let mut fields: Vec<(&str, String)> = vec![("title", tex(&a.title))];
        let names: Vec<String> = author_names(&a.author)
            .iter()
            .map(|n| match split_name(n) {
                Some((family, given)) => format!("{}, {}", tex(&family), tex(&given)),
                // Double braces keep an organisation's name from being split into parts.
                None => format!("{{{}}}", tex(n)),
            })
            .collect();
        if !names.is_empty() {
            fields.push(("author", names.join(" and ")));
        }
        if let Some(d) = a.published.as_deref().and_then(iso_date) {
            fields.push(("date", d));
        }
        if let Some(url) = &a.source_url {
            fields.push(("url", url.replace(['{', '}', '\\'], "")));
            if let Some(d) = iso_date(&a.imported_at) {
                fields.push(("urldate", d));
            }
        }
        match a.language.as_str() {
            "de" => fields.push(("langid", "ngerman".into())),
            "en" => fields.push(("langid", "english".into())),
            _ => {}
        }
        fields.push(("note", tex(&format!("SHA-256 {}", a.sha256))));
        for (k, v) in &fields {
            let _ = writeln!(out, "  {k} = {{{v}}},");
        }
        out.push_str("}\n\n");
    }
    out
}

/// Reads BibTeX/biblatex entries: `@type{key, field = {…} | "…" | 123, …}`.
/// Comments, `@string` and `@preamble` are skipped; an unbalanced entry is an error.
pub fn read_bibtex(src: &str) -> Result<Vec<Reference>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            i += 1;
            continue;
        }
        let type_start = i + 1;
        let mut j = type_start;
        while j < chars.len() && chars[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let kind: String = chars[type_start..j]
            .iter()
            .collect::<String>()
            .to_lowercase();
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j >= chars.len() || !matches!(chars[j], '{' | '(') {
            i = j;
            continue;
        }
        let close = if chars[j] == '{' { '}' } else { ')' };
        // Find the end of the entry by brace depth.
        let mut depth = 0i32;
        let mut k = j;
        let mut end = None;
        while k < chars.len() {
            match chars[k] {
                '{' | '(' if k == j => depth += 1,
                '{' => depth += 1,
                '}' if depth == 1 && close == '}' => {
                    end = Some(k);
                    break;
                }
                ')' if depth == 1 && close == ')' => {
                    end = Some(k);
                    break;
                }
                '}' => depth -= 1,
                _ => {}
            }
            k += 1;
        }
        let end = end.ok_or_else(|| format!("the @{kind} entry at character {i} is not closed"))?;
        let body: String = chars[j + 1..end].iter().collect();
        i = end + 1;
        if matches!(kind.as_str(), "comment" | "string" | "preamble") {
            continue;
        }
        out.push(bib_entry(&body)?);
    }
    Ok(out)
}

fn bib_entry(body: &str) -> Result<Reference, String> {
    let (_key, rest) = body.split_once(',').unwrap_or((body, ""));
    let mut r = Reference::default();
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    let mut year = None;
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        let name_start = i;
        while i < chars.len() && chars[i] != '=' {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let name = chars[name_start..i]
            .iter()
            .collect::<String>()
            .trim()
            .to_lowercase();
        i += 1;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let value = match chars.get(i) {
            Some('{') => {
                let mut depth = 0;
                let start = i + 1;
                loop {
                    match chars.get(i) {
                        Some('{') => depth += 1,
                        Some('}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        None => return Err(format!("the field '{name}' is not closed")),
                        _ => {}
                    }
                    i += 1;
                }
                let v: String = chars[start..i].iter().collect();
                i += 1;
                v
            }
            Some('"') => {
                let start = i + 1;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += 1;
                }
                let v: String = chars[start..i.min(chars.len())].iter().collect();
                i += 1;
                v
            }
            _ => {
                let start = i;
                while i < chars.len() && chars[i] != ',' {
                    i += 1;
                }
                chars[start..i]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string()
            }
        };
        let value = untex(&value);
        match name.as_str() {
            "title" => r.title = Some(value),
            "author" => {
                r.authors = value
                    .split(" and ")
                    .map(|n| match n.split_once(',') {
                        Some((family, given)) => format!("{} {}", given.trim(), family.trim()),
                        None => n.trim().to_string(),
                    })
                    .filter(|n| !n.is_empty())
                    .collect()
            }
            "date" => r.date = iso_date(&value),
            "year" => year = iso_date(&value),
            "url" => r.url = Some(value),
            _ => {}
        }
    }
    if r.date.is_none() {
        r.date = year;
    }
    Ok(r)
}

/// Removes grouping braces and the escapes `tex` writes.
fn untex(s: &str) -> String {
    let s = s
        .replace("\\textbackslash{}", "\\")
        .replace("\\textasciitilde{}", "~")
        .replace("\\textasciicircum{}", "^");
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| "{}&%$#_".contains(*n)) => {
                out.push(chars.next().expect("peeked"));
            }
            '{' | '}' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------- RIS

pub fn ris(articles: &[&Article]) -> String {
    let mut out = String::new();
    let mut line = |tag: &str, value: &str| {
        let value: String = value
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = write!(out, "{tag}  - {value}\r\n");
    };
    for a in articles {
        line(
            "TY",
            if a.source_url.is_some() {
                "ELEC"
            } else {
                "GEN"
            },
        );
        line("TI", &a.title);
        for n in author_names(&a.author) {
            match split_name(&n) {
                Some((family, given)) => line("AU", &format!("{family}, {given}")),
                None => line("AU", &n),
            }
        }
        let parts = a.published.as_deref().map(date_parts).unwrap_or_default();
        if let Some(y) = parts.first() {
            line("PY", &y.to_string());
            let m = parts.get(1).map(|m| format!("{m:02}")).unwrap_or_default();
            let d = parts.get(2).map(|d| format!("{d:02}")).unwrap_or_default();
            line("DA", &format!("{y}/{m}/{d}/"));
        }
        if let Some(url) = &a.source_url {
            line("UR", url);
            if let Some(d) = iso_date(&a.imported_at) {
                line("Y2", &d.replace('-', "/"));
            }
        }
        line("LA", &a.language);
        line("ID", &a.id);
        line("N1", &format!("SHA-256 {}", a.sha256));
        line("ER", "");
    }
    out
}

pub fn read_ris(src: &str) -> Result<Vec<Reference>, String> {
    let mut out = Vec::new();
    let mut current: Option<Reference> = None;
    for raw in src.lines() {
        let line = raw.trim_end_matches('\r').trim_start_matches('\u{feff}');
        let Some((tag, value)) = line.split_once("  -") else {
            continue;
        };
        let tag = tag.trim();
        let value = value.trim().to_string();
        match tag {
            "TY" => current = Some(Reference::default()),
            "ER" => {
                if let Some(r) = current.take() {
                    out.push(r);
                }
            }
            _ => {
                let Some(r) = current.as_mut() else { continue };
                match tag {
                    "TI" | "T1" => r.title = Some(value),
                    "AU" | "A1" => r.authors.push(match value.split_once(',') {
                        Some((family, given)) => format!("{} {}", given.trim(), family.trim()),
                        None => value,
                    }),
                    "DA" | "Y1" => r.date = iso_date(&value).or(r.date.take()),
                    "PY" if r.date.is_none() => r.date = iso_date(&value),
                    "UR" => r.url = Some(value),
                    _ => {}
                }
            }
        }
    }
    if current.is_some() {
        return Err("the last RIS record has no 'ER  -' line".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Article {
        Article {
            id: "0190a1b2-0000-7000-8000-000000000001".into(),
            title: "Qwen & die {Offenheit}: 100% transparent?".into(),
            author: Some("Anna Müller; Xinhua News Agency Beijing Bureau Office".into()),
            source_url: Some("https://example.org/qwen?a=1&b=2".into()),
            published: Some("2024-05-03T08:00:00Z".into()),
            language: "de".into(),
            imported_at: "2026-11-29T04:00:00Z".into(),
            sha256: "ab".repeat(32),
            text_sha256: "cd".repeat(32),
            original_name: "qwen.html".into(),
            media_type: "text/html".into(),
            parser: "html/1".into(),
            text: "Text".into(),
            page_starts: Vec::new(),
            pages: Vec::new(),
            languages: Vec::new(),
        }
    }

    #[test]
    fn every_format_reads_back_what_it_wrote() {
        let a = article();
        let want = Reference {
            title: Some(a.title.clone()),
            authors: vec![
                "Anna Müller".into(),
                "Xinhua News Agency Beijing Bureau Office".into(),
            ],
            date: Some("2024-05-03".into()),
            url: a.source_url.clone(),
        };
        assert_eq!(read_csl_json(&csl_json(&[&a])).unwrap(), vec![want.clone()]);
        assert_eq!(read_bibtex(&bibtex(&[&a])).unwrap(), vec![want.clone()]);
        assert_eq!(read_ris(&ris(&[&a])).unwrap(), vec![want]);
    }

    #[test]
    fn broken_inputs_are_errors() {
        assert!(read_bibtex("@online{x, title = {open").is_err());
        assert!(read_ris("TY  - ELEC\r\nTI  - x\r\n").is_err());
        assert!(read_csl_json(&json!([{"title": "no id"}])).is_err());
    }
}
