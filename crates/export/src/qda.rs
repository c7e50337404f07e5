//! REFI-QDA (QDA-XML 1.0): the `.qdpx` project exchanged by NVivo, ATLAS.ti,
//! MAXQDA and QualCoder, and the `.qdc` codebook — writing, and reading a
//! project back into plain records.
//!
//! Mapping. Articles are TextSources whose plain text (the canonical text) is
//! `Sources/<guid>.txt`; a claim is a PlainTextSelection with one Coding per
//! code; positions are code points of that text, as the standard's character
//! positions are. Dossier's ids are UUIDs and serve as GUIDs, so a project
//! re-imported into an empty notebook keeps them (and the notes' `[[links]]`).
//! Stance, confidence and claimant have no REFI-QDA element: they go into the
//! selection's Description as a last line `Dossier: stance=…; confidence=…; hedging=…; verdict=…;
//! claimant=…`, readable in every QDA program and parsed back on import.
//!
//! Article attributes are Variables (text and choice as Text, numbers as Float,
//! dates as Date when every value is a whole day, else Text); each article with
//! values is a Case holding its VariableValues and a SourceRef to its source.
//! The Variable's Description says `Dossier attribute (TYPE)` (with a choice's
//! values as a JSON list), which the importer reads back; other programs see a
//! plain variable. Sets of articles are Sets with MemberSources.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write};

use dossier_model::{AttributeDef, AttributeType, Claim, Code, Stance};

use crate::xml::escape;
use crate::{as_guid as g, guid_from, ExportData};

pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
const ATTRIBUTES_PREFIX: &str = "Dossier: ";
/// The line before a code's memo in its Description.
const MEMO_MARK: &str = "Dossier memo:";
/// The start of a line holding one translation (JSON) in a selection's Description.
const TRANSLATION_PREFIX: &str = "Dossier translation: ";

fn children_of<'a>(codes: &'a [Code], parent: Option<&str>) -> Vec<&'a Code> {
    codes
        .iter()
        .filter(|c| c.parent_id.as_deref() == parent)
        .collect()
}

fn write_codes(out: &mut String, codes: &[Code], parent: Option<&str>, depth: usize) {
    for c in children_of(codes, parent) {
        let pad = "  ".repeat(depth);
        let _ = write!(
            out,
            "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{}\"",
            g(&c.id),
            escape(&c.name),
            escape(&c.color)
        );
        let kids = children_of(codes, Some(&c.id));
        let description = code_description(c);
        if description.is_empty() && kids.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        if !description.is_empty() {
            let _ = writeln!(
                out,
                "{pad}  <Description>{}</Description>",
                escape(&description)
            );
        }
        write_codes(out, codes, Some(&c.id), depth + 1);
        let _ = writeln!(out, "{pad}</Code>");
    }
}

/// The `.qdc` codebook document.
pub fn codebook_xml(codes: &[Code], origin: &str) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"{CODEBOOK_NS}\" origin=\"{}\">\n",
        escape(origin)
    );
    if !codes.is_empty() {
        out.push_str("  <Codes>\n");
        write_codes(&mut out, codes, None, 2);
        out.push_str("  </Codes>\n");
    }
    out.push_str("</CodeBook>\n");
    out
}

/// A code's Description: its description, then (when it has one) its memo
/// after a line `Dossier memo:` — the standard has no memo of a code; other
/// programs show both as the code's description, Dossier reads them apart.
fn code_description(c: &Code) -> String {
    match (c.description.is_empty(), c.memo.is_empty()) {
        (_, true) => c.description.clone(),
        (true, false) => format!("{MEMO_MARK}\n{}", c.memo),
        (false, false) => format!("{}\n\n{MEMO_MARK}\n{}", c.description, c.memo),
    }
}

/// Splits a code's Description into description and memo.
fn split_code_description(desc: &str) -> (String, String) {
    let lines: Vec<&str> = desc.lines().collect();
    match lines.iter().position(|l| l.trim() == MEMO_MARK) {
        Some(i) => (
            lines[..i].join("\n").trim().to_string(),
            lines[i + 1..].join("\n").trim().to_string(),
        ),
        None => (desc.trim().to_string(), String::new()),
    }
}

/// A translation of a claim, as a selection's Description keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QdaTranslation {
    pub language: String,
    pub text: String,
    #[serde(default)]
    pub translator: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

fn user_guid(name: &str) -> String {
    guid_from(&["dossier-user", name])
}

fn attributes_line(c: &Claim) -> String {
    let mut line = format!(
        "{ATTRIBUTES_PREFIX}stance={}; confidence={}; hedging={}; verdict={}",
        c.stance.as_str(),
        c.confidence,
        c.hedging.as_str(),
        c.verdict.as_str()
    );
    if let Some(who) = &c.claimant {
        // Last, and as a JSON string: a name may contain `;` or quotes.
        let _ = write!(
            line,
            "; claimant={}",
            serde_json::to_string(who).unwrap_or_default()
        );
    }
    line
}

fn selection_name(exact: &str) -> String {
    let mut name: String = exact.chars().take(60).collect();
    if exact.chars().count() > 60 {
        name.push('…');
    }
    name.replace(['\n', '\r'], " ")
}

/// The `project.qde` document; the texts go beside it as `Sources/<guid>.txt`.
pub fn project_xml(data: &ExportData) -> String {
    project_xml_with(data, &std::collections::HashSet::new())
}

/// The `project.qde` document, with the articles in `pdfs` (ids) as PDF
/// sources: their originals go beside it as `Sources/<guid>.pdf`, their
/// claims are PDFSelections (page and rectangle, the quote as the
/// selection's text), and their canonical text is the source's
/// Representation (`Sources/<guid>.txt`).
pub fn project_xml_with(data: &ExportData, pdfs: &std::collections::HashSet<String>) -> String {
    let code_ids: HashMap<&str, &str> = data
        .codes
        .iter()
        .map(|c| (c.path.as_str(), c.id.as_str()))
        .collect();
    let mut users: Vec<&str> = data
        .bundles
        .iter()
        .flat_map(|b| b.claims.iter().filter_map(|c| c.analyst.as_deref()))
        .collect();
    users.sort_unstable();
    users.dedup();

    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{PROJECT_NS}\" name=\"{}\" origin=\"Dossier {}\" creationDateTime=\"{}\">\n",
        escape(&data.title),
        escape(&data.app_version),
        escape(&data.generated_at)
    );
    if !users.is_empty() {
        out.push_str("  <Users>\n");
        for u in &users {
            let _ = writeln!(
                out,
                "    <User guid=\"{}\" name=\"{}\"/>",
                user_guid(u),
                escape(u)
            );
        }
        out.push_str("  </Users>\n");
    }
    if !data.codes.is_empty() {
        out.push_str("  <CodeBook>\n    <Codes>\n");
        write_codes(&mut out, &data.codes, None, 3);
        out.push_str("    </Codes>\n  </CodeBook>\n");
    }
    write_variables_and_cases(&mut out, data);
    if !data.bundles.is_empty() {
        out.push_str("  <Sources>\n");
        for b in &data.bundles {
            let a = &b.article;
            let pdf = pdfs.contains(&a.id);
            // A PDF source names its PDF; a text source its text.
            let (tag, attr, ext) = if pdf {
                ("PDFSource", "path", "pdf")
            } else {
                ("TextSource", "plainTextPath", "txt")
            };
            let _ = writeln!(
                out,
                "    <{tag} guid=\"{}\" name=\"{}\" {attr}=\"internal://{}.{ext}\" creationDateTime=\"{}\">",
                g(&a.id),
                escape(&a.title),
                g(&a.id),
                escape(&a.imported_at)
            );
            let mut meta = Vec::new();
            for (label, value) in [
                ("Author", a.author.as_deref()),
                ("Source URL", a.source_url.as_deref()),
                ("Published", a.published.as_deref()),
                ("Language", Some(a.language.as_str())),
                ("Original file", Some(a.original_name.as_str())),
                ("SHA-256", Some(a.sha256.as_str())),
            ] {
                if let Some(v) = value {
                    meta.push(format!("{label}: {v}"));
                }
            }
            let _ = writeln!(
                out,
                "      <Description>{}</Description>",
                escape(&meta.join("\n"))
            );
            if pdf {
                // Claims with a place on a page are PDFSelections; a claim on text
                // no page holds (read by the fallback reader) stays a text selection
                // of the Representation.
                let (placed, unplaced): (Vec<&Claim>, Vec<&Claim>) = b
                    .claims
                    .iter()
                    .partition(|c| b.locations.contains_key(&c.id));
                for c in placed {
                    write_pdf_selection(&mut out, c, &b.locations[&c.id], &code_ids, data);
                }
                let _ = writeln!(
                    out,
                    "      <Representation guid=\"{}\" plainTextPath=\"internal://{}.txt\">",
                    guid_from(&[&a.id, "representation"]),
                    g(&a.id)
                );
                for c in unplaced {
                    write_selection(&mut out, c, &code_ids, data);
                }
                out.push_str("      </Representation>\n");
            } else {
                for c in &b.claims {
                    write_selection(&mut out, c, &code_ids, data);
                }
            }
            for n in data
                .notes
                .iter()
                .filter(|n| n.article_id.as_deref() == Some(&a.id))
            {
                let _ = writeln!(out, "      <NoteRef targetGUID=\"{}\"/>", g(&n.id));
            }
            let _ = writeln!(out, "    </{tag}>");
        }
        out.push_str("  </Sources>\n");
    }
    if !data.notes.is_empty() {
        out.push_str("  <Notes>\n");
        for n in &data.notes {
            let _ = writeln!(
                out,
                "    <Note guid=\"{}\" name=\"{}\" creationDateTime=\"{}\" modifiedDateTime=\"{}\">\n      <PlainTextContent>{}</PlainTextContent>\n    </Note>",
                g(&n.id),
                escape(&n.title),
                escape(&n.created_at),
                escape(&n.updated_at),
                escape(&n.body)
            );
        }
        out.push_str("  </Notes>\n");
    }
    write_links(&mut out, data);
    write_sets(&mut out, data);
    out.push_str("</Project>\n");
    out
}

/// Marks a Variable as one of Dossier's attributes, with its type.
const VARIABLE_PREFIX: &str = "Dossier attribute (";

fn variable_guid(name: &str) -> String {
    guid_from(&["dossier-attribute", name])
}

/// How an attribute's values are written: the REFI-QDA type and the value element.
fn variable_type(def: &AttributeDef, data: &ExportData) -> (&'static str, &'static str) {
    match def.kind {
        AttributeType::Number => ("Float", "FloatValue"),
        AttributeType::Date => {
            let whole_days = data.bundles.iter().all(|b| {
                b.attributes
                    .iter()
                    .filter(|v| v.name == def.name)
                    .all(|v| v.value.len() == 10)
            });
            if whole_days {
                ("Date", "DateValue")
            } else {
                ("Text", "TextValue")
            }
        }
        AttributeType::Text | AttributeType::Choice => ("Text", "TextValue"),
    }
}

/// A value as its element's content: numbers as xsd:decimal (no exponent).
fn variable_value(def: &AttributeDef, value: &str) -> Option<String> {
    match def.kind {
        AttributeType::Number => def
            .normalize(value)
            .ok()
            .and_then(|n| n.low)
            .map(|n| format!("{n}")),
        _ => Some(value.to_string()),
    }
}

fn write_variables_and_cases(out: &mut String, data: &ExportData) {
    if data.attributes.is_empty() {
        return;
    }
    out.push_str("  <Variables>\n");
    for d in &data.attributes {
        let (kind, _) = variable_type(d, data);
        let mut desc = format!("{VARIABLE_PREFIX}{})", d.kind);
        if d.kind == AttributeType::Choice {
            let _ = write!(
                desc,
                ": {}",
                serde_json::to_string(&d.choices).unwrap_or_default()
            );
        }
        let _ = writeln!(
            out,
            "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{kind}\">\n      <Description>{}</Description>\n    </Variable>",
            variable_guid(&d.name),
            escape(&d.name),
            escape(&desc)
        );
    }
    out.push_str("  </Variables>\n");
    let cases: Vec<_> = data
        .bundles
        .iter()
        .filter(|b| !b.attributes.is_empty())
        .collect();
    if cases.is_empty() {
        return;
    }
    out.push_str("  <Cases>\n");
    for b in cases {
        let _ = writeln!(
            out,
            "    <Case guid=\"{}\" name=\"{}\">",
            guid_from(&["dossier-case", &b.article.id]),
            escape(&b.article.title)
        );
        for v in &b.attributes {
            let Some(def) = data.attributes.iter().find(|d| d.name == v.name) else {
                continue;
            };
            let (_, element) = variable_type(def, data);
            let Some(value) = variable_value(def, &v.value) else {
                continue;
            };
            let _ = writeln!(
                out,
                "      <VariableValue>\n        <VariableRef targetGUID=\"{}\"/>\n        <{element}>{}</{element}>\n      </VariableValue>",
                variable_guid(&def.name),
                escape(&value)
            );
        }
        let _ = writeln!(
            out,
            "      <SourceRef targetGUID=\"{}\"/>\n    </Case>",
            g(&b.article.id)
        );
    }
    out.push_str("  </Cases>\n");
}

fn write_sets(out: &mut String, data: &ExportData) {
    let sets: Vec<_> = data
        .sets
        .iter()
        .map(|s| {
            let members: Vec<&str> = data
                .bundles
                .iter()
                .filter(|b| b.sets.contains(&s.name))
                .map(|b| b.article.id.as_str())
                .collect();
            (s, members)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect();
    if sets.is_empty() {
        return;
    }
    out.push_str("  <Sets>\n");
    for (s, members) in sets {
        let _ = writeln!(
            out,
            "    <Set guid=\"{}\" name=\"{}\">",
            guid_from(&["dossier-set", &s.name]),
            escape(&s.name)
        );
        if !s.description.is_empty() {
            let _ = writeln!(
                out,
                "      <Description>{}</Description>",
                escape(&s.description)
            );
        }
        for m in members {
            let _ = writeln!(out, "      <MemberSource targetGUID=\"{}\"/>", g(m));
        }
        out.push_str("    </Set>\n");
    }
    out.push_str("  </Sets>\n");
}

/// Relations between claims as REFI-QDA links between selections: the kind is the
/// link's name (`supports`, or `supports: comment` with a comment), the claim it
/// starts from its origin. Only relations whose two claims are both exported
/// (a bundle lists each relation once, with the claim it starts from).
fn write_links(out: &mut String, data: &ExportData) {
    let exported: std::collections::HashSet<&str> = data
        .bundles
        .iter()
        .flat_map(|b| b.claims.iter().map(|c| c.id.as_str()))
        .collect();
    let links: Vec<&dossier_model::ClaimRelation> = data
        .bundles
        .iter()
        .flat_map(|b| &b.relations)
        .filter(|r| exported.contains(r.from_id.as_str()) && exported.contains(r.to_id.as_str()))
        .collect();
    if links.is_empty() {
        return;
    }
    out.push_str("  <Links>\n");
    for r in links {
        let name = match r
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(comment) => format!("{}{LINK_COMMENT_SEPARATOR}{comment}", r.kind.as_str()),
            None => r.kind.as_str().to_string(),
        };
        let _ = writeln!(
            out,
            "    <Link guid=\"{}\" name=\"{}\" direction=\"OneWay\" originGUID=\"{}\" targetGUID=\"{}\"/>",
            g(&r.id),
            escape(&name),
            g(&r.from_id),
            g(&r.to_id)
        );
    }
    out.push_str("  </Links>\n");
}

/// Between a link's relation kind and its comment in the link's name.
const LINK_COMMENT_SEPARATOR: &str = ": ";

/// Where a claim in a PDF source starts and ends in the source's text
/// (Dossier's canonical text, the Representation): a line of the
/// PDFSelection's Description, so a round trip keeps the exact span.
const POSITION_PREFIX: &str = "Dossier position: ";
/// A region claim's rectangle (JSON), exact where the PDFSelection's
/// coordinates are whole points.
const REGION_PREFIX: &str = "Dossier region: ";

fn creating_user(c: &Claim) -> String {
    c.analyst
        .as_deref()
        .map(|u| format!(" creatingUser=\"{}\"", user_guid(u)))
        .unwrap_or_default()
}

fn write_selection(out: &mut String, c: &Claim, code_ids: &HashMap<&str, &str>, data: &ExportData) {
    let user = creating_user(c);
    let _ = writeln!(
        out,
        "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\"{user} creationDateTime=\"{}\" modifiedDateTime=\"{}\">",
        g(&c.id),
        escape(&selection_name(&c.exact)),
        c.start,
        c.end,
        escape(&c.created_at),
        escape(&c.updated_at)
    );
    write_selection_body(out, c, code_ids, data, "");
    out.push_str("      </PlainTextSelection>\n");
}

/// A claim in a PDF: the page it starts on (counted from 0, as the
/// standard's example counts) and the rectangle around its lines there, in
/// whole points from the page's top-left corner (first: top-left, second:
/// bottom-right); the quote is the selection's text (its Representation).
fn write_pdf_selection(
    out: &mut String,
    c: &Claim,
    at: &dossier_model::Location,
    code_ids: &HashMap<&str, &str>,
    data: &ExportData,
) {
    let b = at.bounds();
    let user = creating_user(c);
    let _ = writeln!(
        out,
        "      <PDFSelection guid=\"{}\" name=\"{}\" page=\"{}\" firstX=\"{}\" firstY=\"{}\" secondX=\"{}\" secondY=\"{}\"{user} creationDateTime=\"{}\" modifiedDateTime=\"{}\">",
        g(&c.id),
        escape(&selection_name(&c.exact)),
        at.page.saturating_sub(1),
        b.x0.floor() as i64,
        b.y0.floor() as i64,
        b.x1.ceil() as i64,
        b.y1.ceil() as i64,
        escape(&c.created_at),
        escape(&c.updated_at)
    );
    let mut position = format!("\n{POSITION_PREFIX}{}-{}", c.start, c.end);
    if let Some(r) = &c.region {
        let _ = write!(
            position,
            "\n{REGION_PREFIX}{}",
            serde_json::to_string(r).unwrap_or_default()
        );
    }
    write_selection_body(out, c, code_ids, data, &position);
    out.push_str("      </PDFSelection>\n");
}

/// A selection's Description (comment, Dossier's attributes, translations and
/// `extra` lines), its Representation for a PDF selection, Codings and NoteRefs.
fn write_selection_body(
    out: &mut String,
    c: &Claim,
    code_ids: &HashMap<&str, &str>,
    data: &ExportData,
    extra: &str,
) {
    let user = creating_user(c);
    let mut description = match &c.comment {
        Some(comment) => format!("{comment}\n\n{}", attributes_line(c)),
        None => attributes_line(c),
    };
    // Translations: one line each, as JSON (a text may hold line breaks).
    for t in &c.translations {
        let line = serde_json::to_string(&QdaTranslation {
            language: t.language.clone(),
            text: t.text.clone(),
            translator: t.translator.clone(),
            created_at: Some(t.created_at.clone()),
        })
        .unwrap_or_default();
        let _ = write!(description, "\n{TRANSLATION_PREFIX}{line}");
    }
    description.push_str(extra);
    let _ = writeln!(
        out,
        "        <Description>{}</Description>",
        escape(&description)
    );
    if !extra.is_empty() {
        // The selected text of a PDFSelection, as the standard's example gives it.
        let _ = writeln!(
            out,
            "        <Representation guid=\"{}\">\n          <PlainTextContent>{}</PlainTextContent>\n        </Representation>",
            guid_from(&[&c.id, "quote"]),
            escape(&c.exact)
        );
    }
    for path in &c.codes {
        if let Some(code_id) = code_ids.get(path.as_str()) {
            let _ = writeln!(
                out,
                "        <Coding guid=\"{}\"{user}>\n          <CodeRef targetGUID=\"{}\"/>\n        </Coding>",
                guid_from(&[&c.id, code_id]),
                g(code_id)
            );
        }
    }
    for n in data
        .notes
        .iter()
        .filter(|n| n.links.iter().any(|l| l.target_id == c.id))
    {
        let _ = writeln!(out, "        <NoteRef targetGUID=\"{}\"/>", g(&n.id));
    }
}

/// The `.qdpx` archive: `project.qde` and `Sources/<guid>.txt` per article;
/// a PDF article whose original `original` returns is a PDF source, its
/// original beside its text as `Sources/<guid>.pdf`.
pub fn qdpx_bytes(
    data: &ExportData,
    original: &dyn Fn(&dossier_model::Article) -> Option<Vec<u8>>,
) -> std::io::Result<Vec<u8>> {
    let mut pdfs = HashMap::new();
    for b in &data.bundles {
        if b.article.media_type == "application/pdf" {
            if let Some(bytes) = original(&b.article) {
                pdfs.insert(b.article.id.clone(), bytes);
            }
        }
    }
    let ids = pdfs.keys().cloned().collect();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("project.qde", opts)?;
    zip.write_all(project_xml_with(data, &ids).as_bytes())?;
    for b in &data.bundles {
        zip.start_file(format!("Sources/{}.txt", g(&b.article.id)), opts)?;
        zip.write_all(b.article.text.as_bytes())?;
        if let Some(bytes) = pdfs.get(&b.article.id) {
            // Already compressed streams: stored as they are.
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            zip.start_file(format!("Sources/{}.pdf", g(&b.article.id)), stored)?;
            zip.write_all(bytes)?;
        }
    }
    Ok(zip.finish()?.into_inner())
}

// ---------------------------------------------------------------- reading

#[derive(Debug, Clone, PartialEq)]
pub struct QdaCode {
    pub guid: String,
    /// Names from the top of the tree down to this code.
    pub path: Vec<String>,
    pub color: Option<String>,
    pub description: String,
    /// The memo Dossier wrote after `Dossier memo:` in the Description.
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct QdaSelection {
    pub guid: String,
    pub start: u32,
    pub end: u32,
    pub code_guids: Vec<String>,
    pub comment: Option<String>,
    pub stance: Option<Stance>,
    pub confidence: Option<u8>,
    pub claimant: Option<String>,
    pub hedging: Option<dossier_model::Hedging>,
    pub verdict: Option<dossier_model::Verdict>,
    pub user: Option<String>,
    pub note_refs: Vec<String>,
    pub translations: Vec<QdaTranslation>,
    /// A PDFSelection: the page (1-based) and rectangle (points from the
    /// top-left corner) it marks, and the text it holds.
    pub pdf: Option<PdfArea>,
    /// The span Dossier wrote for a PDFSelection (`Dossier position:`), in the
    /// source's text; `start`/`end` hold it too.
    pub positioned: bool,
    /// A region claim Dossier wrote (`Dossier region:`), with its rectangle.
    pub region: Option<dossier_model::PageRect>,
    /// A PDFSelection whose page or corners could not be read (not numbers,
    /// out of range): it marks nothing Dossier can find.
    pub unreadable_area: bool,
}

/// Where a PDFSelection is on its page.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfArea {
    pub page: u32,
    pub rect: [f32; 4],
    /// The selection's text (its Representation), when it has one.
    pub quote: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum SourceText {
    Inline(String),
    /// A file inside the archive, relative to `Sources/`.
    Internal(String),
    /// A path outside the archive, which Dossier never follows.
    External(String),
    #[default]
    Missing,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct QdaSource {
    pub guid: String,
    pub name: String,
    pub text: SourceText,
    pub source_url: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub selections: Vec<QdaSelection>,
    pub note_refs: Vec<String>,
    /// A PDF source: its file (the article is read from it; `text` is its
    /// text representation, if any).
    pub pdf: Option<SourceText>,
    /// Codings of the whole source, which Dossier cannot hold as claims.
    pub whole_source_codings: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QdaNote {
    pub guid: String,
    pub name: String,
    pub text: String,
}

/// A link between two selections that names one of Dossier's relation kinds.
#[derive(Debug, Clone, PartialEq)]
pub struct QdaLink {
    pub origin: String,
    pub target: String,
    pub kind: dossier_model::RelationKind,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct QdaProject {
    pub users: HashMap<String, String>,
    pub codes: Vec<QdaCode>,
    pub sources: Vec<QdaSource>,
    pub notes: Vec<QdaNote>,
    pub links: Vec<QdaLink>,
    /// Names of links Dossier cannot hold (not between two selections, or of an
    /// unknown kind), for the import report.
    pub skipped_links: Vec<String>,
    /// Sources of other kinds (PDF, pictures, audio, video) that were skipped.
    pub skipped_sources: Vec<String>,
    /// Variables, with the values cases and sources give them.
    pub variables: Vec<QdaVariable>,
    /// (variable GUID, source GUID, value) from Cases and TextSources.
    pub values: Vec<(String, String, String)>,
    /// Sets of sources: name, description, member source GUIDs.
    pub sets: Vec<(String, String, Vec<String>)>,
}

/// A REFI-QDA Variable as an attribute definition.
#[derive(Debug, Clone, PartialEq)]
pub struct QdaVariable {
    pub guid: String,
    pub name: String,
    pub kind: AttributeType,
    pub choices: Vec<String>,
}

/// The attribute a Variable stands for: Dossier's own marker when present,
/// else the nearest type (numbers, dates; Boolean as a choice of true/false).
fn read_variable(v: roxmltree::Node<'_, '_>) -> Option<QdaVariable> {
    let guid = normalise_guid(v.attribute("guid")?);
    let name = v.attribute("name")?.trim().to_string();
    let desc = text_of(child(v, "Description"));
    let marked = desc.strip_prefix(VARIABLE_PREFIX).and_then(|rest| {
        let (kind, tail) = rest.split_once(')')?;
        let kind = AttributeType::parse(kind)?;
        let choices = tail
            .strip_prefix(": ")
            .and_then(|j| serde_json::from_str::<Vec<String>>(j).ok())
            .unwrap_or_default();
        Some((kind, choices))
    });
    let (kind, choices) = marked.unwrap_or_else(|| match v.attribute("typeOfVariable") {
        Some("Integer" | "Float") => (AttributeType::Number, Vec::new()),
        Some("Date" | "DateTime") => (AttributeType::Date, Vec::new()),
        Some("Boolean") => (AttributeType::Choice, vec!["true".into(), "false".into()]),
        _ => (AttributeType::Text, Vec::new()),
    });
    Some(QdaVariable {
        guid,
        name,
        kind,
        choices,
    })
}

/// `(variable GUID, value)` of each VariableValue under `n`.
fn read_values(n: roxmltree::Node<'_, '_>) -> Vec<(String, String)> {
    children(n, "VariableValue")
        .filter_map(|vv| {
            let target = child(vv, "VariableRef")?.attribute("targetGUID")?;
            let value = vv
                .children()
                .find(|c| c.is_element() && c.tag_name().name() != "VariableRef")
                .map(|c| c.text().unwrap_or("").trim().to_string())?;
            // A DateTime keeps its day.
            let value = if value.len() > 10 && value.as_bytes().get(10) == Some(&b'T') {
                value[..10].to_string()
            } else {
                value
            };
            (!value.is_empty()).then(|| (normalise_guid(target), value))
        })
        .collect()
}

/// GUIDs compare case-insensitively and may come in braces.
pub fn normalise_guid(g: &str) -> String {
    g.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(n: Option<roxmltree::Node<'_, '_>>) -> String {
    n.map(|n| {
        n.descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect()
    })
    .unwrap_or_default()
}

/// The codebook, read level by level on an explicit stack (no recursion): a
/// tree deeper than a code path may be is refused with a clear error.
fn read_codes(codes: roxmltree::Node<'_, '_>, out: &mut Vec<QdaCode>) -> Result<(), String> {
    let max = dossier_model::limits::MAX_CODE_DEPTH;
    // (a <Code> element, the index in `out` of its parent code)
    let mut stack: Vec<(roxmltree::Node<'_, '_>, Option<usize>)> =
        children(codes, "Code").map(|c| (c, None)).collect();
    stack.reverse();
    while let Some((c, parent)) = stack.pop() {
        let name = c.attribute("name").unwrap_or("").trim();
        // `/` separates levels of a Dossier code path; keep the name readable.
        let name = if name.is_empty() { "unnamed" } else { name }.replace('/', "∕");
        let mut path = parent.map(|p| out[p].path.clone()).unwrap_or_default();
        if path.len() >= max {
            return Err(format!(
                "the codebook nests codes deeper than {max} levels (at '{}'); Dossier's code paths have at most {max}",
                path.join("/").chars().take(80).collect::<String>()
            ));
        }
        path.push(name);
        let (description, memo) = split_code_description(&text_of(child(c, "Description")));
        out.push(QdaCode {
            guid: normalise_guid(c.attribute("guid").unwrap_or("")),
            path,
            color: c.attribute("color").map(str::to_string),
            description,
            memo,
        });
        let me = out.len() - 1;
        let mut kids: Vec<_> = children(c, "Code").map(|k| (k, Some(me))).collect();
        kids.reverse();
        stack.extend(kids);
    }
    Ok(())
}

/// Splits a selection Description into the comment and our attribute line.
fn read_description(desc: &str, s: &mut QdaSelection) {
    let mut comment_lines = Vec::new();
    for line in desc.lines() {
        if let Some(json) = line.trim().strip_prefix(REGION_PREFIX) {
            s.region = serde_json::from_str::<dossier_model::PageRect>(json.trim())
                .ok()
                .filter(dossier_model::PageRect::is_plausible);
        } else if let Some(span) = line.trim().strip_prefix(POSITION_PREFIX) {
            let parsed = span
                .split_once('-')
                .and_then(|(a, b)| {
                    Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?))
                })
                .filter(|(a, b)| a < b);
            if let Some((start, end)) = parsed {
                (s.start, s.end, s.positioned) = (start, end, true);
            }
        } else if let Some(json) = line.trim().strip_prefix(TRANSLATION_PREFIX) {
            // Unreadable or blank: dropped (the comment keeps nothing of it either).
            if let Ok(t) = serde_json::from_str::<QdaTranslation>(json.trim()) {
                if !t.text.trim().is_empty()
                    && s.translations.len() < dossier_model::limits::MAX_TRANSLATIONS
                {
                    s.translations.push(t);
                }
            }
        } else if let Some(rest) = line.trim().strip_prefix(ATTRIBUTES_PREFIX) {
            let (fields, claimant) = match rest.split_once("claimant=") {
                Some((before, json)) => (before, Some(json)),
                None => (rest, None),
            };
            if let Some(json) = claimant {
                let parsed = serde_json::Deserializer::from_str(json.trim())
                    .into_iter::<String>()
                    .next()
                    .and_then(Result::ok);
                s.claimant = parsed
                    .or_else(|| Some(json.trim().to_string()))
                    .filter(|v| !v.is_empty());
            }
            for field in fields.split(';') {
                let (k, v) = field.split_once('=').unwrap_or((field, ""));
                let v = v.trim();
                match k.trim() {
                    "stance" => s.stance = Stance::parse(v),
                    "confidence" => s.confidence = v.parse().ok().filter(|c| (1..=5).contains(c)),
                    "hedging" => s.hedging = dossier_model::Hedging::parse(v),
                    "verdict" => s.verdict = dossier_model::Verdict::parse(v),
                    _ => {}
                }
            }
        } else {
            comment_lines.push(line);
        }
    }
    let comment = comment_lines.join("\n").trim().to_string();
    s.comment = (!comment.is_empty()).then_some(comment);
}

fn meta_line(desc: &str, label: &str) -> Option<String> {
    desc.lines()
        .find_map(|l| l.strip_prefix(&format!("{label}: ")))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn read_source(s: roxmltree::Node<'_, '_>) -> QdaSource {
    let text = if let Some(content) = child(s, "PlainTextContent") {
        SourceText::Inline(text_of(Some(content)))
    } else if let Some(path) = s.attribute("plainTextPath") {
        match path.strip_prefix("internal://") {
            Some(rel) => SourceText::Internal(rel.to_string()),
            None => SourceText::External(path.to_string()),
        }
    } else {
        SourceText::Missing
    };
    let desc = text_of(child(s, "Description"));
    let selections = children(s, "PlainTextSelection")
        .map(|sel| {
            let mut q = QdaSelection {
                guid: normalise_guid(sel.attribute("guid").unwrap_or("")),
                start: sel
                    .attribute("startPosition")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0),
                end: sel
                    .attribute("endPosition")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0),
                user: sel.attribute("creatingUser").map(normalise_guid),
                ..Default::default()
            };
            read_selection_body(sel, &mut q);
            q
        })
        .collect();
    QdaSource {
        guid: normalise_guid(s.attribute("guid").unwrap_or("")),
        name: s.attribute("name").unwrap_or("").to_string(),
        text,
        source_url: meta_line(&desc, "Source URL"),
        author: meta_line(&desc, "Author"),
        published: meta_line(&desc, "Published"),
        selections,
        note_refs: children(s, "NoteRef")
            .filter_map(|r| r.attribute("targetGUID"))
            .map(normalise_guid)
            .collect(),
        whole_source_codings: children(s, "Coding").count(),
        pdf: None,
    }
}

/// A selection's Description, Codings and NoteRefs.
fn read_selection_body(sel: roxmltree::Node<'_, '_>, q: &mut QdaSelection) {
    read_description(&text_of(child(sel, "Description")), q);
    q.code_guids = children(sel, "Coding")
        .filter_map(|c| child(c, "CodeRef"))
        .filter_map(|r| r.attribute("targetGUID"))
        .map(normalise_guid)
        .collect();
    q.note_refs = children(sel, "NoteRef")
        .filter_map(|r| r.attribute("targetGUID"))
        .map(normalise_guid)
        .collect();
}

/// A PDFSource: the PDF file, its text representation (whose text
/// selections are read as a TextSource's) and its PDFSelections, each with
/// its page (counted from 0 in the file), rectangle and text.
fn read_pdf_source(s: roxmltree::Node<'_, '_>) -> QdaSource {
    let representation = child(s, "Representation");
    let mut source = representation.map(read_source).unwrap_or_default();
    let desc = text_of(child(s, "Description"));
    source.guid = normalise_guid(s.attribute("guid").unwrap_or(""));
    source.name = s.attribute("name").unwrap_or("").to_string();
    source.source_url = meta_line(&desc, "Source URL");
    source.author = meta_line(&desc, "Author");
    source.published = meta_line(&desc, "Published");
    source.note_refs = children(s, "NoteRef")
        .filter_map(|r| r.attribute("targetGUID"))
        .map(normalise_guid)
        .collect();
    source.whole_source_codings += children(s, "Coding").count();
    source.pdf = Some(match s.attribute("path") {
        Some(path) => match path.strip_prefix("internal://") {
            Some(rel) => SourceText::Internal(rel.to_string()),
            None => SourceText::External(path.to_string()),
        },
        None => SourceText::Missing,
    });
    let number = |sel: roxmltree::Node<'_, '_>, name: &str| -> Option<f32> {
        sel.attribute(name)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && v.abs() < 1e7)
            .map(|v| v as f32)
    };
    for sel in children(s, "PDFSelection") {
        let mut q = QdaSelection {
            guid: normalise_guid(sel.attribute("guid").unwrap_or("")),
            user: sel.attribute("creatingUser").map(normalise_guid),
            ..Default::default()
        };
        read_selection_body(sel, &mut q);
        let page = sel
            .attribute("page")
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|p| *p < 100_000);
        let rect = ["firstX", "firstY", "secondX", "secondY"].map(|k| number(sel, k));
        let quote = child(sel, "Representation")
            .and_then(|r| child(r, "PlainTextContent"))
            .map(|c| text_of(Some(c)))
            .filter(|t| !t.trim().is_empty());
        if let (Some(page), [Some(x0), Some(y0), Some(x1), Some(y1)]) = (page, rect) {
            q.pdf = Some(PdfArea {
                page: page + 1,
                rect: [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)],
                quote,
            });
        } else {
            q.unreadable_area = true;
        }
        source.selections.push(q);
    }
    source
}

/// Codes of a codebook file at most (a `.qdc` or a CSV codebook).
pub const MAX_CODEBOOK_CODES: usize = 10_000;

/// Parses a `.qdc` codebook (a `<CodeBook>` with its `<Codes>`).
pub fn parse_codebook(xml: &str) -> Result<Vec<QdaCode>, String> {
    dossier_ingest::archive::check_xml_depth(xml, "codebook").map_err(|e| e.message)?;
    let doc = roxmltree::Document::parse_with_options(xml, dossier_ingest::archive::XML_OPTIONS)
        .map_err(|e| format!("not valid XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "CodeBook" {
        return Err(format!(
            "the file has a <{}> root, not a REFI-QDA <CodeBook>",
            root.tag_name().name()
        ));
    }
    let mut codes = Vec::new();
    if let Some(list) = child(root, "Codes") {
        read_codes(list, &mut codes)?;
    }
    if codes.len() > MAX_CODEBOOK_CODES {
        return Err(format!(
            "the codebook has {} codes; at most {MAX_CODEBOOK_CODES} are read",
            codes.len()
        ));
    }
    Ok(codes)
}

/// Parses a CSV codebook: a header row naming `path` (required) and any of
/// `color`, `description`, `memo`, in any order; one code per row, its path
/// with `/` between levels. Rows without a path are skipped.
pub fn parse_codebook_csv(text: &str) -> Result<Vec<QdaCode>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("not a CSV file: {e}"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let path_at = col("path")
        .ok_or("the CSV codebook needs a 'path' column (and may have color, description, memo)")?;
    let (color_at, desc_at, memo_at) = (
        col("color").or(col("colour")),
        col("description"),
        col("memo"),
    );
    let mut codes = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("row {}: {e}", i + 2))?;
        if codes.len() >= MAX_CODEBOOK_CODES {
            return Err(format!(
                "the codebook has more than {MAX_CODEBOOK_CODES} codes"
            ));
        }
        let get = |at: Option<usize>| at.and_then(|a| row.get(a)).unwrap_or("").trim().to_string();
        let path = get(Some(path_at));
        if path.is_empty() {
            continue;
        }
        codes.push(QdaCode {
            guid: String::new(),
            path: path.split('/').map(|p| p.trim().to_string()).collect(),
            color: Some(get(color_at)).filter(|c| !c.is_empty()),
            description: get(desc_at),
            memo: get(memo_at),
        });
    }
    Ok(codes)
}

/// Parses a `project.qde` document. roxmltree expands no external entities
/// and bounds entity expansion, so a hostile file fails instead of exploding.
pub fn parse_project(xml: &str) -> Result<QdaProject, String> {
    dossier_ingest::archive::check_xml_depth(xml, "project.qde").map_err(|e| e.message)?;
    let doc = roxmltree::Document::parse_with_options(xml, dossier_ingest::archive::XML_OPTIONS)
        .map_err(|e| format!("project.qde is not valid XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "Project" {
        return Err(format!(
            "project.qde has a <{}> root, not a REFI-QDA <Project>",
            root.tag_name().name()
        ));
    }
    let mut p = QdaProject::default();
    if let Some(users) = child(root, "Users") {
        for u in children(users, "User") {
            if let (Some(g), Some(n)) = (u.attribute("guid"), u.attribute("name")) {
                p.users.insert(normalise_guid(g), n.to_string());
            }
        }
    }
    if let Some(codes) = child(root, "CodeBook").and_then(|cb| child(cb, "Codes")) {
        read_codes(codes, &mut p.codes)?;
    }
    if let Some(sources) = child(root, "Sources") {
        for s in sources.children().filter(|c| c.is_element()) {
            match s.tag_name().name() {
                "TextSource" => p.sources.push(read_source(s)),
                "PDFSource" => p.sources.push(read_pdf_source(s)),
                other => p.skipped_sources.push(format!(
                    "{} ({other})",
                    s.attribute("name").unwrap_or("unnamed")
                )),
            }
        }
    }
    if let Some(notes) = child(root, "Notes") {
        for n in children(notes, "Note") {
            p.notes.push(QdaNote {
                guid: normalise_guid(n.attribute("guid").unwrap_or("")),
                name: n.attribute("name").unwrap_or("Note").to_string(),
                text: text_of(child(n, "PlainTextContent")),
            });
        }
    }
    if let Some(links) = child(root, "Links") {
        for l in children(links, "Link") {
            read_link(l, &mut p);
        }
    }
    if let Some(vars) = child(root, "Variables") {
        p.variables = children(vars, "Variable")
            .filter_map(read_variable)
            .collect();
    }
    if let Some(cases) = child(root, "Cases") {
        for case in children(cases, "Case") {
            let values = read_values(case);
            for src in children(case, "SourceRef").filter_map(|r| r.attribute("targetGUID")) {
                for (var, value) in &values {
                    p.values
                        .push((var.clone(), normalise_guid(src), value.clone()));
                }
            }
        }
    }
    if let Some(sources) = child(root, "Sources") {
        for s in children(sources, "TextSource") {
            let guid = normalise_guid(s.attribute("guid").unwrap_or(""));
            for (var, value) in read_values(s) {
                p.values.push((var, guid.clone(), value));
            }
        }
    }
    if let Some(sets) = child(root, "Sets") {
        for set in children(sets, "Set") {
            let members = children(set, "MemberSource")
                .filter_map(|m| m.attribute("targetGUID"))
                .map(normalise_guid)
                .collect();
            p.sets.push((
                set.attribute("name").unwrap_or("").trim().to_string(),
                text_of(child(set, "Description")),
                members,
            ));
        }
    }
    Ok(p)
}

/// A link named `kind` or `kind: comment` (as Dossier writes them) between two
/// GUIDs. Whether the GUIDs are selections is decided by the importer, which
/// knows which selections it stored.
fn read_link(l: roxmltree::Node<'_, '_>, p: &mut QdaProject) {
    let name = l.attribute("name").unwrap_or("").trim();
    let (kind, comment) = match name.split_once(LINK_COMMENT_SEPARATOR) {
        Some((k, c)) => (k, Some(c.trim().to_string()).filter(|c| !c.is_empty())),
        None => (name, None),
    };
    let kind = dossier_model::RelationKind::parse(&kind.trim().to_lowercase());
    match (kind, l.attribute("originGUID"), l.attribute("targetGUID")) {
        (Some(kind), Some(o), Some(t)) => p.links.push(QdaLink {
            origin: normalise_guid(o),
            target: normalise_guid(t),
            kind,
            comment,
        }),
        _ => p.skipped_links.push(if name.is_empty() {
            "unnamed".into()
        } else {
            name.to_string()
        }),
    }
}

/// A `.qdpx` opened for reading: the parsed project, and access to its sources
/// through the bounded zip reader every container shares (per-entry and
/// per-archive limits on inflated bytes).
pub struct QdpxArchive<'a> {
    zip: dossier_ingest::archive::Archive<Cursor<&'a [u8]>>,
    /// Entry names by their lower-case form, built once (a lookup per source
    /// must not scan every entry).
    names: HashMap<String, String>,
    pub project: QdaProject,
}

impl<'a> QdpxArchive<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<QdpxArchive<'a>, String> {
        Self::open_with(bytes, dossier_ingest::archive::DOCUMENT_LIMITS)
    }

    /// `open` with other limits (a merge reads a whole notebook's export).
    pub fn open_with(
        bytes: &'a [u8],
        limits: dossier_ingest::archive::Limits,
    ) -> Result<QdpxArchive<'a>, String> {
        let mut zip =
            dossier_ingest::archive::Archive::open_with(Cursor::new(bytes), "the .qdpx", limits)
                .map_err(|e| e.message)?;
        let mut names = HashMap::new();
        for n in zip.names() {
            names.entry(n.to_ascii_lowercase()).or_insert(n);
        }
        let name = names
            .get("project.qde")
            .cloned()
            .ok_or("the archive has no project.qde")?;
        let xml = zip.read(&name).map_err(|e| e.message)?;
        let xml = String::from_utf8(xml).map_err(|_| "project.qde is not UTF-8".to_string())?;
        let project = parse_project(&xml)?;
        Ok(QdpxArchive {
            zip,
            names,
            project,
        })
    }

    /// The bytes of `Sources/<rel>`; `rel` must be a plain file name, so a
    /// crafted path cannot point elsewhere in (or outside) the archive.
    pub fn source(&mut self, rel: &str) -> Result<Vec<u8>, String> {
        if rel.contains(['/', '\\']) || rel.contains("..") || rel.is_empty() {
            return Err(format!("refusing the source path 'internal://{rel}'"));
        }
        let name = self
            .names
            .get(&format!("sources/{}", rel.to_ascii_lowercase()))
            .cloned()
            .ok_or_else(|| format!("the archive lacks Sources/{rel}"))?;
        self.zip.read(&name).map_err(|e| e.message)
    }
}
