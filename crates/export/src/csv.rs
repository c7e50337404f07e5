//! One row per claim, RFC 4180 (CRLF line ends, quotes doubled), UTF-8 with a BOM
//! so that spreadsheet programs pick the right encoding.

use std::io::Write;

use dossier_model::{Error, ErrorCode, Result};

use crate::ArticleBundle;

pub const HEADER: [&str; 22] = [
    "article_id",
    "article_title",
    "source",
    "claim_id",
    "quote",
    "start",
    "end",
    "page",
    "region",
    "codes",
    "stance",
    "confidence",
    "claimant",
    "comment",
    "analyst",
    "created_at",
    "updated_at",
    "hedging",
    "verdict",
    "relations",
    "translations",
    "link",
];

/// `[en] text` per translation, one a line.
fn translations_cell(c: &dossier_model::Claim) -> String {
    c.translations
        .iter()
        .map(|t| format!("[{}] {}", t.language, t.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A cell a spreadsheet would run as a formula (`= + - @`, tab, CR) gets a
/// leading apostrophe, the convention spreadsheets display as plain text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// `supports:ID; contradicts:ID` for the relations starting at `claim_id`.
fn relations_cell(relations: &[dossier_model::ClaimRelation], claim_id: &str) -> String {
    relations
        .iter()
        .filter(|r| r.from_id == claim_id)
        .map(|r| format!("{}:{}", r.kind.as_str(), r.to_id))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Writes the CSV one article at a time: a notebook of a million claims
/// never has to be in memory at once.
pub struct Stream<W: Write> {
    w: csv::Writer<W>,
    /// The attributes, one column each (`attr:NAME`) after the fixed ones.
    attributes: Vec<String>,
}

fn err(e: csv::Error) -> Error {
    Error::new(ErrorCode::Io, format!("writing CSV: {e}"))
}

impl<W: Write> Stream<W> {
    /// Starts the file: byte order mark and header; each of `attributes` adds
    /// a column `attr:NAME` with the article's value.
    pub fn new(mut out: W, attributes: &[String]) -> Result<Stream<W>> {
        out.write_all("\u{feff}".as_bytes())
            .map_err(|e| Error::io("writing CSV", e))?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let header = HEADER
            .iter()
            .map(|h| h.to_string())
            .chain(attributes.iter().map(|a| format!("attr:{a}")));
        w.write_record(header).map_err(err)?;
        Ok(Stream {
            w,
            attributes: attributes.to_vec(),
        })
    }

    /// One row per claim of the article.
    pub fn push(&mut self, b: &ArticleBundle) -> Result<()> {
        let source = b
            .article
            .source_url
            .clone()
            .unwrap_or_else(|| b.article.original_name.clone());
        for c in &b.claims {
            let row = [
                c.article_id.clone(),
                b.article.title.clone(),
                source.clone(),
                c.id.clone(),
                c.exact.clone(),
                c.start.to_string(),
                c.end.to_string(),
                c.region
                    .map(|r| r.page)
                    .or_else(|| b.article.page_at(c.start))
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                // A region claim's rectangle on its page, in points from the top-left corner.
                c.region
                    .map(|r| format!("{:.2},{:.2},{:.2},{:.2}", r.x0, r.y0, r.x1, r.y1))
                    .unwrap_or_default(),
                c.codes.join("; "),
                c.stance.as_str().to_string(),
                c.confidence.to_string(),
                c.claimant.clone().unwrap_or_default(),
                c.comment.clone().unwrap_or_default(),
                c.analyst.clone().unwrap_or_default(),
                c.created_at.clone(),
                c.updated_at.clone(),
                c.hedging.as_str().to_string(),
                c.verdict.as_str().to_string(),
                relations_cell(&b.relations, &c.id),
                translations_cell(c),
                dossier_model::links::entity_link(dossier_model::LinkKind::Claim, &c.id),
            ];
            let values = self.attributes.iter().map(|name| {
                b.attributes
                    .iter()
                    .find(|v| &v.name == name)
                    .map(|v| v.value.clone())
                    .unwrap_or_default()
            });
            self.w
                .write_record(
                    row.iter()
                        .cloned()
                        .chain(values)
                        .map(|cell| neutralise(&cell)),
                )
                .map_err(err)?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.w.flush().map_err(|e| Error::io("writing CSV", e))
    }
}

pub fn write(bundles: &[ArticleBundle], attributes: &[String], out: impl Write) -> Result<()> {
    let mut s = Stream::new(out, attributes)?;
    for b in bundles {
        s.push(b)?;
    }
    s.finish()
}
