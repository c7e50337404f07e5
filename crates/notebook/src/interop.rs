//! Importing interchange files: REFI-QDA projects, W3C / Hypothesis
//! annotations, and references (CSL-JSON, BibTeX, RIS). The parsers live in
//! `dossier-export` beside the writers; this module matches what they read to
//! the notebook and stores it.
//!
//! Every claim that comes in is re-anchored against the article's canonical
//! text (`Anchor::relocate`), so positions that were counted over a slightly
//! different text still land on the quoted words; what cannot be found is
//! reported, never stored at a wrong place. Importing the same file twice adds
//! nothing the second time.

use std::collections::HashMap;

use sha2::Digest as _;
use std::path::Path;

use dossier_export::qda::{normalise_guid, QdpxArchive, SourceText};
use dossier_export::{references, w3c};
use dossier_model::limits::{is_canonical_uuid, Deadline, INTERCHANGE_BUDGET};
use dossier_model::{
    Anchor, Article, Claim, EntityKind, Error, ErrorCode, ImportOutcome, ImportStatus, Note,
    Result, Stance, TextIndex,
};
use dossier_store::articles::{self, MetadataPatch};
use dossier_store::{claims, codes, new_id, notes, now, relations, Connection};

use crate::history::Step;
use crate::importer::ArticleOverrides;
use crate::Notebook;

/// What one interchange file may cost: a file someone sent, or the export of a
/// whole notebook that `merge` reads (bounded by that notebook's own size).
#[derive(Clone, Copy)]
pub(crate) struct InterchangeLimits {
    archive: dossier_ingest::archive::Limits,
    time: std::time::Duration,
}

impl InterchangeLimits {
    pub(crate) const FILE: InterchangeLimits = InterchangeLimits {
        archive: dossier_ingest::archive::DOCUMENT_LIMITS,
        time: INTERCHANGE_BUDGET,
    };
    pub(crate) const MERGE: InterchangeLimits = InterchangeLimits {
        archive: dossier_ingest::archive::Limits {
            entries: 5_000_000,
            entry_bytes: dossier_ingest::MAX_FILE_BYTES,
            total_bytes: 1 << 40,
        },
        time: std::time::Duration::from_secs(6 * 3600),
    };
}

/// At most this many problems are spelled out in a summary; the rest are counted.
const MAX_LISTED: usize = 5;

fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Files `import_interchange` reads rather than treating as articles.
pub(crate) fn is_interchange(name: &str) -> bool {
    matches!(
        extension(name).as_str(),
        "qdpx" | "qdc" | "bib" | "bibtex" | "ris" | "json" | "jsonld"
    )
}

fn outcome(name: &str, summary: String, problems: &[String], anything: bool) -> ImportOutcome {
    let mut text = summary;
    if !problems.is_empty() {
        text.push_str(&format!("; {} problem(s): ", problems.len()));
        text.push_str(
            &problems
                .iter()
                .take(MAX_LISTED)
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
        );
        if problems.len() > MAX_LISTED {
            text.push_str(&format!("; and {} more", problems.len() - MAX_LISTED));
        }
    }
    ImportOutcome {
        path: name.to_string(),
        status: if anything || problems.is_empty() {
            ImportStatus::Imported
        } else {
            ImportStatus::Failed
        },
        id: None,
        title: None,
        language: None,
        error: (!anything && !problems.is_empty()).then(|| text.clone()),
        summary: Some(text),
        replaces_candidate: None,
        warnings: Vec::new(),
    }
}

fn invalid(name: &str, why: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Unsupported, format!("'{name}': {why}"))
}

/// A code path exists afterwards; returns its id. A colour the codebook
/// rejects falls back to grey rather than failing the import; a path past the
/// codebook's limits (depth, length) is an error for the caller to report.
fn ensure_code(
    c: &Connection,
    path: &str,
    color: Option<&str>,
    description: &str,
) -> Result<String> {
    dossier_model::limits::code_path_parts(path)?;
    if let Some(code) = codes::by_path(c, path)? {
        return Ok(code.id);
    }
    let color = color.map(expand_hex).unwrap_or_else(|| "#7a7a7a".into());
    match codes::add(c, path, &color, description) {
        Ok(code) => Ok(code.id),
        Err(e) if e.code == ErrorCode::InvalidInput => {
            codes::add(c, path, "#7a7a7a", description).map(|c| c.id)
        }
        Err(e) => Err(e),
    }
}

/// A translation an interchange file brought, checked and cut to the limits;
/// `None` when its language is no language tag or it has no text.
fn incoming_translation(
    language: &str,
    text: &str,
    translator: Option<&str>,
    created_at: Option<&str>,
) -> Option<dossier_model::Translation> {
    let language = dossier_model::valid_language(language).ok()?;
    let text: String = text
        .trim()
        .chars()
        .take(dossier_model::limits::MAX_TRANSLATION_CHARS)
        .collect();
    if text.is_empty() {
        return None;
    }
    Some(dossier_model::Translation {
        id: new_id(),
        language,
        text,
        translator: translator
            .map(|x| x.trim().chars().take(200).collect::<String>())
            .filter(|x| !x.is_empty()),
        created_at: created_at
            .filter(|d| {
                d.len() <= 40
                    && d.get(..10)
                        .and_then(dossier_model::dates::PartialDate::parse)
                        .is_some()
            })
            .map(str::to_string)
            .unwrap_or_else(now),
    })
}

/// Gives a code the memo a file brought when it has none yet (a memo the
/// analyst wrote is never overwritten by an import).
fn fill_memo(c: &Connection, path: &str, memo: &str) -> Result<()> {
    let memo = memo.trim();
    if memo.is_empty() || memo.chars().count() > dossier_model::limits::MAX_MEMO_CHARS {
        return Ok(());
    }
    if codes::by_path(c, path)?.is_some_and(|code| code.memo.is_empty()) {
        codes::set_details(c, path, None, None, Some(memo))?;
    }
    Ok(())
}

/// An identifier from another program's file, kept as our id only when it is
/// a canonical UUID (the form of every Dossier id); otherwise a new id is given.
fn foreign_id(guid: &str) -> Option<String> {
    is_canonical_uuid(guid).then(|| guid.to_string())
}

/// `#abc` → `#aabbcc`, which is what the codebook stores.
pub(crate) fn expand_hex(color: &str) -> String {
    let c = color.trim();
    match c.strip_prefix('#') {
        Some(h) if h.len() == 3 => {
            format!("#{}", h.chars().flat_map(|x| [x, x]).collect::<String>())
        }
        _ => c.to_string(),
    }
}

/// A code path from free text (a tag): `/` keeps hierarchy, empty parts dropped.
fn tag_path(tag: &str) -> Option<String> {
    let parts: Vec<&str> = tag
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn normalise_url(u: &str) -> String {
    let u = u.trim();
    let u = u.split('#').next().unwrap_or(u);
    u.trim_end_matches('/').to_ascii_lowercase()
}

/// Articles by their normalised source URL (the first one wins, as a scan would).
fn url_index(summaries: &[dossier_model::ArticleSummary]) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, a) in summaries.iter().enumerate() {
        if let Some(u) = a.source_url.as_deref() {
            map.entry(normalise_url(u)).or_insert(i);
        }
    }
    map
}

/// A claim to store: where, and its analysis.
struct IncomingClaim<'a> {
    preferred_id: Option<String>,
    article: &'a Article,
    anchor: Anchor,
    code_ids: Vec<String>,
    stance: Stance,
    confidence: u8,
    claimant: Option<String>,
    comment: Option<String>,
    analyst: Option<String>,
    hedging: dossier_model::Hedging,
    verdict: dossier_model::Verdict,
    translations: Vec<dossier_model::Translation>,
    /// A rectangle on a PDF page (a PDFSelection that is an area, not text).
    region: Option<dossier_model::PageRect>,
}

/// Stores a claim unless the same analyst already claimed the same span (a
/// second analyst's claim on the same words is their own); returns its id
/// and whether it is new.
/// A project's Variables, Cases and Sets as attributes (defined when the
/// notebook has none of that name), values of the imported articles, and sets
/// of them; returns the values set, the sets touched and what was skipped.
fn import_cases(
    c: &Connection,
    step: &Step<'_>,
    project: &dossier_export::qda::QdaProject,
    id_map: &HashMap<String, String>,
    deadline: &Deadline,
    what: &str,
) -> Result<(usize, usize, Vec<String>)> {
    use dossier_model::attributes as model;
    use dossier_store::attributes::{self as stored, StoredValue};
    let mut problems = Vec::new();
    let mut def_for_variable: HashMap<&str, dossier_model::AttributeDef> = HashMap::new();
    for v in &project.variables {
        let Ok(name) = model::valid_name(&v.name) else {
            problems.push(format!(
                "variable '{}' skipped: an attribute's name is letters, digits, '_', '-' or '.'",
                model::shorten_name(&v.name)
            ));
            continue;
        };
        let def = match stored::def(c, &name)? {
            Some(d) => d,
            None => {
                let (kind, choices) = match model::valid_choices(v.kind, &v.choices) {
                    Ok(ch) => (v.kind, ch),
                    Err(_) => (dossier_model::AttributeType::Text, Vec::new()),
                };
                let def = dossier_model::AttributeDef {
                    name,
                    kind,
                    choices,
                    used_by: 0,
                };
                step.will_change(EntityKind::Attribute, &def.name)?;
                stored::define(c, &def, None)?;
                def
            }
        };
        def_for_variable.insert(v.guid.as_str(), def);
    }
    let mut values = 0;
    for (variable, source, value) in &project.values {
        deadline.check(what)?;
        let (Some(def), Some(article_id)) =
            (def_for_variable.get(variable.as_str()), id_map.get(source))
        else {
            continue;
        };
        match def.normalize(value) {
            Ok(n) => {
                step.will_change(EntityKind::Article, article_id)?;
                stored::put(
                    c,
                    &StoredValue {
                        article_id: article_id.clone(),
                        name: def.name.clone(),
                        value: n.text,
                        low: n.low,
                        high: n.high,
                    },
                )?;
                values += 1;
            }
            Err(e) => problems.push(format!("a value of '{}' skipped: {}", def.name, e.message)),
        }
    }
    let mut sets = 0;
    for (name, description, members) in &project.sets {
        deadline.check(what)?;
        let Ok(name) = model::valid_name(name) else {
            problems.push(format!(
                "set '{}' skipped: a set's name is letters, digits, '_', '-' or '.'",
                model::shorten_name(name)
            ));
            continue;
        };
        let ids: Vec<String> = members
            .iter()
            .filter_map(|m| id_map.get(m).cloned())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let stored_name = match dossier_store::sets::get(c, &name)? {
            Some(s) => s.name,
            None => {
                step.will_change(EntityKind::Set, &name)?;
                let description: String = description
                    .chars()
                    .take(model::MAX_DESCRIPTION_CHARS)
                    .collect();
                dossier_store::sets::create(c, &name, description.trim(), None)?;
                name
            }
        };
        step.will_change(EntityKind::Set, &stored_name)?;
        dossier_store::sets::add(c, &stored_name, &ids)?;
        sets += 1;
    }
    Ok((values, sets, problems))
}

fn store_claim(c: &Connection, step: &Step<'_>, inc: IncomingClaim<'_>) -> Result<(String, bool)> {
    let existing = claims::find_same(
        c,
        &inc.article.id,
        inc.anchor.start,
        inc.anchor.end,
        &inc.anchor.exact,
        inc.analyst.as_deref().filter(|a| !a.trim().is_empty()),
    )?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    let id = match inc.preferred_id {
        Some(id) if claims::get(c, &id)?.is_none() => id,
        _ => new_id(),
    };
    step.will_change(EntityKind::Claim, &id)?;
    let claim = Claim {
        stance: inc.stance,
        confidence: inc.confidence,
        claimant: dossier_model::non_blank(inc.claimant),
        comment: dossier_model::non_blank(inc.comment),
        analyst: dossier_model::non_blank(inc.analyst),
        hedging: inc.hedging,
        verdict: inc.verdict,
        translations: inc.translations,
        region: inc.region,
        ..Claim::new(id.clone(), inc.article.id.clone(), inc.anchor, now())
    };
    claims::insert(c, &claim, &inc.code_ids)?;
    Ok((id, true))
}

impl Notebook {
    /// Recognises an interchange file by its extension (and, for JSON, its
    /// content) and imports it; `None` when the file is an ordinary article.
    pub(crate) fn import_interchange(
        &self,
        name: &str,
        bytes: &[u8],
    ) -> Result<Option<ImportOutcome>> {
        self.import_interchange_with(name, bytes, InterchangeLimits::FILE)
    }

    pub(crate) fn import_interchange_with(
        &self,
        name: &str,
        bytes: &[u8],
        limits: InterchangeLimits,
    ) -> Result<Option<ImportOutcome>> {
        let ext = extension(name);
        let outcome = match ext.as_str() {
            "qdpx" => self.import_qdpx(name, bytes, limits)?,
            "qdc" => {
                let r = self.import_codebook_bytes(name, bytes)?;
                let summary = format!(
                    "codebook: {} code(s) added, {} updated, {} unchanged",
                    r.added, r.updated, r.unchanged
                );
                outcome(name, summary, &r.problems, r.added + r.updated > 0)
            }
            "bib" | "bibtex" => {
                let text = String::from_utf8_lossy(bytes);
                let refs = references::read_bibtex(&text).map_err(|e| invalid(name, e))?;
                self.attach_references(name, &refs)?
            }
            "ris" => {
                let text = String::from_utf8_lossy(bytes);
                let refs = references::read_ris(&text).map_err(|e| invalid(name, e))?;
                self.attach_references(name, &refs)?
            }
            "json" | "jsonld" => {
                let doc: serde_json::Value = serde_json::from_slice(bytes)
                    .map_err(|e| invalid(name, format!("not valid JSON: {e}")))?;
                if w3c::looks_like_annotations(&doc) {
                    self.import_annotations(name, &doc)?
                } else if let Ok(refs) = references::read_csl_json(&doc) {
                    self.attach_references(name, &refs)?
                } else {
                    return Err(invalid(
                        name,
                        "this JSON is neither W3C/Hypothesis annotations nor CSL-JSON references",
                    ));
                }
            }
            _ => return Ok(None),
        };
        self.nudge();
        Ok(Some(outcome))
    }

    // ------------------------------------------------------------ REFI-QDA

    fn import_qdpx(
        &self,
        name: &str,
        bytes: &[u8],
        limits: InterchangeLimits,
    ) -> Result<ImportOutcome> {
        let deadline = Deadline::after(limits.time);
        let what = format!("'{name}'");
        let mut archive =
            QdpxArchive::open_with(bytes, limits.archive).map_err(|e| invalid(name, e))?;
        let project = archive.project.clone();
        let mut problems: Vec<String> = project
            .skipped_sources
            .iter()
            .map(|s| format!("source {s} skipped: only text and PDF sources are supported"))
            .chain(project.skipped_links.iter().map(|l| {
                format!("link '{l}' skipped: Dossier's relations are supports, contradicts, qualifies and repeats")
            }))
            .collect();
        // Old GUID -> new id, for rewriting links in notes.
        let mut id_map: HashMap<String, String> = HashMap::new();
        let mut article_for_source: HashMap<String, Article> = HashMap::new();
        // Phase 1: the texts, each an ordinary import (original kept by hash).
        let mut new_articles = 0;
        for src in &project.sources {
            deadline.check(&what)?;
            if let Some(pdf) = &src.pdf {
                // A PDF source: the article is read from the PDF itself, as any PDF is.
                match self.import_pdf_source(src, pdf, &mut archive) {
                    Ok((article, is_new)) => {
                        new_articles += usize::from(is_new);
                        id_map.insert(src.guid.clone(), article.id.clone());
                        article_for_source.insert(src.guid.clone(), article);
                    }
                    Err(e) => problems.push(format!("source '{}': {e}", src.name)),
                }
                continue;
            }
            let text = match &src.text {
                SourceText::Inline(t) => Ok(t.clone().into_bytes()),
                SourceText::Internal(rel) => archive.source(rel),
                SourceText::External(p) => Err(format!(
                    "its text is outside the project ({p}), which Dossier does not follow"
                )),
                SourceText::Missing => Err("it has no text".to_string()),
            };
            let bytes = match text {
                Ok(b) => b,
                Err(e) => {
                    problems.push(format!("source '{}': {e}", src.name));
                    continue;
                }
            };
            // The same article may already be here: by id (a project Dossier exported
            // from this notebook) or by its text (exported from another).
            let text_hash = hex::encode(sha2::Sha256::digest(&bytes));
            let known = self.core.store.read(|c| {
                if is_canonical_uuid(&src.guid) && articles::get(c, &src.guid)?.is_some() {
                    return Ok(Some(src.guid.clone()));
                }
                articles::id_by_text_sha256(c, &text_hash)
            })?;
            let id = match known {
                Some(id) => id,
                None => {
                    let file_name = format!("{}.txt", dossier_export::safe_file_name(&src.name));
                    match self.import_article(&file_name, &bytes, &source_overrides(src)) {
                        Ok(o) => {
                            if o.status == ImportStatus::Imported {
                                new_articles += 1;
                            }
                            o.id.expect("imported or duplicate has an id")
                        }
                        Err(e) => {
                            problems.push(format!("source '{}': {}", src.name, e.message));
                            continue;
                        }
                    }
                }
            };
            let article = self.article(&id)?;
            id_map.insert(src.guid.clone(), id);
            // Positions were counted over the source text; keep it to re-anchor.
            let original = String::from_utf8_lossy(&bytes).into_owned();
            article_for_source.insert(
                src.guid.clone(),
                Article {
                    text: original,
                    ..article
                },
            );
        }
        // Phase 2: codebook, claims and notes in one transaction.
        let usable = !article_for_source.is_empty() || !project.codes.is_empty();
        let (new_claims, new_relations, new_notes, cases) = self.logged_step("import", |c, step| {
            step.will_change(EntityKind::Codebook, "import")?;
            let mut code_ids: HashMap<String, String> = HashMap::new();
            for code in &project.codes {
                deadline.check(&what)?;
                match ensure_code(c, &code.path.join("/"), code.color.as_deref(), &code.description) {
                    Ok(id) => {
                        fill_memo(c, &code.path.join("/"), &code.memo)?;
                        code_ids.insert(code.guid.clone(), id);
                    }
                    Err(e) if e.code == ErrorCode::InvalidInput => {
                        problems.push(format!("code '{}' skipped: {}", code.path.join("/").chars().take(80).collect::<String>(), e.message));
                    }
                    Err(e) => return Err(e),
                }
            }
            let mut new_claims = 0;
            let mut claim_for_selection: HashMap<String, String> = HashMap::new();
            for src in &project.sources {
                let Some(original) = article_for_source.get(&src.guid) else { continue };
                let stored = articles::get(c, &original.id)?.ok_or_else(|| Error::internal("article vanished"))?;
                // Each text is indexed once: a selection then costs its quote, not the text before it.
                let original_idx = TextIndex::new(&original.text);
                let stored_idx = TextIndex::new(&stored.text);
                let same_text = stored.text == original.text;
                // When import normalised the text (whitespace, Unicode), positions are
                // mapped through a diff once per source and serve as hints.
                let moved = (!same_text && !src.selections.is_empty())
                    .then(|| crate::versions::TextMap::new(&original.text, &stored.text));
                if src.whole_source_codings > 0 {
                    problems.push(format!(
                        "source '{}': {} coding(s) of the whole source are not claims and were left out",
                        src.name, src.whole_source_codings
                    ));
                }
                for sel in &src.selections {
                    deadline.check(&what)?;
                    // A PDFSelection from another program: found by its text on its page,
                    // else by the words inside its rectangle.
                    if sel.unreadable_area && !sel.positioned {
                        problems.push(format!(
                            "a PDF selection in '{}' names no page and rectangle Dossier can read; left out",
                            src.name
                        ));
                        continue;
                    }
                    let area = sel.pdf.as_ref().filter(|_| !sel.positioned);
                    let mut drawn = None;
                    let anchor = if let Some(area) = area {
                        match pdf_anchor(c, &stored, &stored_idx, area)? {
                            Some((a, region)) => {
                                drawn = region;
                                a
                            }
                            None => {
                                problems.push(format!(
                                    "a selection on page {} of '{}' holds no text Dossier could find there",
                                    area.page, src.name
                                ));
                                continue;
                            }
                        }
                    } else {
                        let Ok(quoted) = Anchor::from_range_in(&original_idx, sel.start, sel.end) else {
                            problems.push(format!("a selection in '{}' ({}–{}) lies outside its text", src.name, sel.start, sel.end));
                            continue;
                        };
                        let hint = match &moved {
                            None => Some((sel.start, sel.end)),
                            Some(map) => Some(map.map_range(sel.start as usize, sel.end as usize)),
                        };
                        let Some(anchor) = Anchor::relocate_in(&stored_idx, &quoted.exact, &quoted.prefix, &quoted.suffix, hint) else {
                            problems.push(format!("a selection in '{}' could not be found in the imported text", src.name));
                            continue;
                        };
                        anchor
                    };
                    let mut ids = Vec::new();
                    for g in &sel.code_guids {
                        match code_ids.get(g) {
                            Some(id) => ids.push(id.clone()),
                            None => problems.push(format!("a coding refers to an unknown code {g}")),
                        }
                    }
                    let (id, is_new) = store_claim(c, step, IncomingClaim {
                        preferred_id: foreign_id(&sel.guid),
                        article: &stored,
                        anchor,
                        code_ids: ids,
                        stance: sel.stance.unwrap_or(Stance::Unclear),
                        confidence: sel.confidence.unwrap_or(3),
                        claimant: sel.claimant.clone(),
                        comment: sel.comment.clone(),
                        analyst: sel.user.as_ref().and_then(|u| project.users.get(u).cloned()),
                        hedging: sel.hedging.unwrap_or_default(),
                        verdict: sel.verdict.unwrap_or_default(),
                        translations: sel
                            .translations
                            .iter()
                            .filter_map(|t| incoming_translation(&t.language, &t.text, t.translator.as_deref(), t.created_at.as_deref()))
                            .collect(),
                        // An area: a region Dossier drew, or a PDFSelection with no text.
                        region: sel.region.or(drawn),
                    })?;
                    id_map.insert(sel.guid.clone(), id.clone());
                    claim_for_selection.insert(sel.guid.clone(), id);
                    new_claims += usize::from(is_new);
                }
            }
            let mut new_relations = 0;
            for link in &project.links {
                let (Some(from), Some(to)) =
                    (claim_for_selection.get(&link.origin), claim_for_selection.get(&link.target))
                else {
                    problems.push(format!("a '{}' link does not join two imported selections", link.kind.as_str()));
                    continue;
                };
                if from != to {
                    step.will_change(EntityKind::Claim, from)?;
                    step.will_change(EntityKind::Claim, to)?;
                    let added = relations::add(c, from, to, link.kind, link.comment.as_deref(), None)?;
                    new_relations += usize::from(added.is_some());
                }
            }
            let mut new_notes = 0;
            for n in &project.notes {
                deadline.check(&what)?;
                // Links are parsed, and only a link's target is replaced: an id that is
                // also a letter or a word elsewhere in the note changes nothing else.
                let body = dossier_model::links::rewrite_links(&n.text, |link| {
                    id_map.get(&normalise_guid(&link.target)).filter(|new| **new != link.target).cloned()
                });
                let title = if n.name.trim().is_empty() { "Note".to_string() } else { n.name.trim().to_string() };
                let exists = notes::exists_like(c, &n.guid, &title, &body)?;
                if exists {
                    continue;
                }
                let article_id = project
                    .sources
                    .iter()
                    .find(|s| s.note_refs.contains(&n.guid))
                    .and_then(|s| id_map.get(&s.guid).cloned());
                let at = now();
                let note = Note {
                    id: match foreign_id(&n.guid) {
                        Some(id) if notes::get(c, &id)?.is_none() => id,
                        _ => new_id(),
                    },
                    title,
                    links: crate::notes::resolve_links(c, &body)?,
                    body,
                    article_id,
                    created_at: at.clone(),
                    updated_at: at,
                };
                step.will_change(EntityKind::Note, &note.id)?;
                notes::insert(c, &note)?;
                new_notes += 1;
            }
            let cases = import_cases(c, step, &project, &id_map, &deadline, &what)?;
            Ok((new_claims, new_relations, new_notes, cases))
        })?;
        let (new_values, new_sets, case_problems) = cases;
        problems.extend(case_problems);
        let summary = format!(
            "REFI-QDA project: {} source(s) ({new_articles} new), {} code(s), {new_claims} new claim(s), {new_relations} new relation(s), {new_notes} new note(s), {new_values} attribute value(s), {new_sets} set(s)",
            project.sources.len(),
            project.codes.len()
        );
        Ok(outcome(name, summary, &problems, usable))
    }

    // ------------------------------------------------------------ annotations

    fn import_annotations(&self, name: &str, doc: &serde_json::Value) -> Result<ImportOutcome> {
        let parsed = w3c::parse(doc).map_err(|e| invalid(name, e))?;
        let deadline = Deadline::after(INTERCHANGE_BUDGET);
        let what = format!("'{name}'");
        let mut problems = Vec::new();
        let (created, present) = self.logged_step("import", |c, step| {
            step.will_change(EntityKind::Codebook, "import")?;
            let summaries = articles::list(c)?;
            let by_url = url_index(&summaries);
            // Pass 1: which article each annotation targets.
            let mut targets: Vec<(usize, String)> = Vec::new();
            for (n, a) in parsed.iter().enumerate() {
                deadline.check(&what)?;
                if a.exact.is_empty() && a.fragment.is_none() {
                    problems.push(format!(
                        "{}: no TextQuoteSelector (nor a PDF FragmentSelector with a viewrect)",
                        a.label
                    ));
                    continue;
                }
                // The text hash names the exact text; a URL names the page it came from.
                let mut article_id = None;
                for s in &a.sources {
                    if let Some(hash) = s.strip_prefix("urn:sha256:") {
                        article_id = articles::id_by_text_sha256(c, &hash.to_ascii_lowercase())?;
                    }
                    if article_id.is_none() {
                        article_id = by_url
                            .get(&normalise_url(s))
                            .map(|&i| summaries[i].id.clone());
                    }
                    if article_id.is_some() {
                        break;
                    }
                }
                match article_id {
                    Some(id) => targets.push((n, id)),
                    None => problems.push(format!("{}: no article matches its target", a.label)),
                }
            }
            // Pass 2, article by article (in file order within each): each text is
            // loaded and indexed once, so a quote costs itself, not the text before it.
            targets.sort_by(|x, y| x.1.cmp(&y.1).then(x.0.cmp(&y.0)));
            let mut created = 0;
            let mut present = 0;
            let mut at = 0;
            while at < targets.len() {
                let article_id = targets[at].1.clone();
                let upto = targets[at..]
                    .iter()
                    .take_while(|t| t.1 == article_id)
                    .count()
                    + at;
                let article = articles::get(c, &article_id)?
                    .ok_or_else(|| Error::internal("article vanished"))?;
                let idx = TextIndex::new(&article.text);
                for &(n, _) in &targets[at..upto] {
                    let a = &parsed[n];
                    deadline.check(&what)?;
                    let article = &article;
                    // An area another program marked on a PDF page (no quote): read as
                    // a region drawn in Dossier is, standing on the text inside it.
                    let mut area = None;
                    let found = match (a.exact.is_empty(), a.fragment) {
                        (true, Some(f)) => {
                            match crate::claims::region_anchor(
                                c,
                                article,
                                f.page,
                                [f.x0, f.y0, f.x1, f.y1],
                            ) {
                                Ok((rect, start, end)) => {
                                    area = Some(rect);
                                    Anchor::from_range_in(&idx, start, end).ok()
                                }
                                Err(e) if e.code == ErrorCode::InvalidInput => {
                                    problems.push(format!("{}: {}", a.label, e.message));
                                    continue;
                                }
                                Err(e) => return Err(e),
                            }
                        }
                        _ => Anchor::relocate_in(&idx, &a.exact, &a.prefix, &a.suffix, a.position),
                    };
                    let Some(anchor) = found else {
                        problems.push(format!(
                            "{}: the quote is not in '{}'",
                            a.label, article.title
                        ));
                        continue;
                    };
                    let mut code_ids = Vec::new();
                    for t in &a.tags {
                        if let Some(path) = tag_path(t) {
                            match ensure_code(c, &path, None, "") {
                                Ok(id) => code_ids.push(id),
                                Err(e) if e.code == ErrorCode::InvalidInput => {
                                    problems.push(format!(
                                        "{}: tag '{}' skipped: {}",
                                        a.label,
                                        path.chars().take(80).collect::<String>(),
                                        e.message
                                    ))
                                }
                                Err(e) => return Err(e),
                            }
                        }
                    }
                    code_ids.dedup();
                    let (_, is_new) = store_claim(
                        c,
                        step,
                        IncomingClaim {
                            preferred_id: a
                                .label
                                .strip_prefix("urn:uuid:")
                                .map(str::to_ascii_lowercase)
                                .filter(|id| is_canonical_uuid(id)),
                            article,
                            anchor,
                            code_ids,
                            stance: a.stance.unwrap_or(Stance::Unclear),
                            confidence: a.confidence.unwrap_or(3),
                            claimant: a.claimant.clone(),
                            comment: a.comment.clone(),
                            analyst: a.creator.clone(),
                            hedging: a.hedging.unwrap_or_default(),
                            verdict: a.verdict.unwrap_or_default(),
                            // A region only where the article has that page.
                            region: a
                                .region
                                .filter(|r| {
                                    article.media_type == "application/pdf"
                                        && (r.page as usize) <= article.page_starts.len()
                                })
                                .or(area),
                            translations: a
                                .translations
                                .iter()
                                .filter_map(|(language, text, by, at)| {
                                    incoming_translation(
                                        language,
                                        text,
                                        by.as_deref(),
                                        at.as_deref(),
                                    )
                                })
                                .collect(),
                        },
                    )?;
                    if is_new {
                        created += 1;
                    } else {
                        present += 1;
                    }
                }
                at = upto;
            }
            Ok((created, present))
        })?;
        let summary = format!(
            "{} annotation(s): {created} new claim(s), {present} already present",
            parsed.len()
        );
        Ok(outcome(name, summary, &problems, created + present > 0))
    }

    // ------------------------------------------------------------ references

    fn attach_references(
        &self,
        name: &str,
        refs: &[references::Reference],
    ) -> Result<ImportOutcome> {
        let mut problems = Vec::new();
        let deadline = Deadline::after(INTERCHANGE_BUDGET);
        let what = format!("'{name}'");
        let updated = self.logged_step("import references", |c, step| {
            let summaries = articles::list(c)?;
            // Matched through maps built once: a file of many references against a
            // large notebook stays linear.
            let urls = url_index(&summaries);
            let mut titles: HashMap<String, usize> = HashMap::new();
            for (i, a) in summaries.iter().enumerate() {
                titles.entry(a.title.trim().to_lowercase()).or_insert(i);
            }
            let mut updated = 0;
            for r in refs {
                deadline.check(&what)?;
                let by_url = r
                    .url
                    .as_deref()
                    .and_then(|u| urls.get(&normalise_url(u)))
                    .map(|&i| &summaries[i]);
                let by_title = || {
                    r.title
                        .as_deref()
                        .and_then(|t| titles.get(&t.trim().to_lowercase()))
                        .map(|&i| &summaries[i])
                };
                let Some(article) = by_url.or_else(by_title) else {
                    problems.push(format!(
                        "no article matches '{}'",
                        r.title
                            .as_deref()
                            .or(r.url.as_deref())
                            .unwrap_or("a reference without title or URL")
                    ));
                    continue;
                };
                let patch = MetadataPatch {
                    // The reference manager's title wins only when the URL proved the match.
                    title: by_url.and(r.title.clone()).filter(|t| !t.trim().is_empty()),
                    author: (!r.authors.is_empty()).then(|| r.authors.join("; ")),
                    published: r.date.as_deref().and_then(dossier_model::dates::normalize),
                    source_url: r.url.clone(),
                    language: None,
                };
                step.will_change(EntityKind::Article, &article.id)?;
                if articles::update_metadata(c, &article.id, &patch)? {
                    updated += 1;
                }
            }
            Ok(updated)
        })?;
        let summary = format!("{} reference(s): {updated} article(s) updated", refs.len());
        Ok(outcome(name, summary, &problems, updated > 0))
    }
}

impl Notebook {
    /// The article of a REFI-QDA PDF source: read from the PDF in the project
    /// (as any PDF is imported: text, pages, layout), or the one already here
    /// (by the source's GUID, or the same PDF by its SHA-256). Returns it and
    /// whether it is new.
    fn import_pdf_source(
        &self,
        src: &dossier_export::qda::QdaSource,
        pdf: &SourceText,
        archive: &mut QdpxArchive<'_>,
    ) -> std::result::Result<(Article, bool), String> {
        let bytes = match pdf {
            SourceText::Internal(rel) => archive.source(rel)?,
            SourceText::External(p) => {
                return Err(format!(
                    "its PDF is outside the project ({p}), which Dossier does not follow"
                ))
            }
            SourceText::Inline(_) | SourceText::Missing => return Err("it has no PDF".into()),
        };
        let sha = hex::encode(sha2::Sha256::digest(&bytes));
        let known = self
            .core
            .store
            .read(|c| {
                if is_canonical_uuid(&src.guid) && articles::get(c, &src.guid)?.is_some() {
                    return Ok(Some(src.guid.clone()));
                }
                articles::id_by_sha256(c, &sha)
            })
            .map_err(|e| e.message)?;
        let (id, is_new) = match known {
            Some(id) => (id, false),
            None => {
                let stem = dossier_export::safe_file_name(&src.name);
                let file_name = if stem.to_ascii_lowercase().ends_with(".pdf") {
                    stem
                } else {
                    format!("{stem}.pdf")
                };
                let o = self
                    .import_article(&file_name, &bytes, &source_overrides(src))
                    .map_err(|e| e.message)?;
                let id = o.id.ok_or("the PDF was not imported")?;
                (id, o.status == ImportStatus::Imported)
            }
        };
        // Positions Dossier wrote count over the PDF's text as Dossier reads it:
        // the article's own text.
        let article = self.article(&id).map_err(|e| e.message)?;
        Ok((article, is_new))
    }
}

/// What a REFI-QDA source says of its article: its GUID (kept as the id when
/// it is one of ours and free), name, author, URL and date.
fn source_overrides(src: &dossier_export::qda::QdaSource) -> ArticleOverrides {
    ArticleOverrides {
        id: foreign_id(&src.guid),
        title: (!src.name.trim().is_empty()).then(|| src.name.trim().to_string()),
        author: src.author.clone(),
        source_url: src.source_url.clone(),
        published: src
            .published
            .as_deref()
            .and_then(dossier_model::dates::normalize),
    }
}

/// Where another program's PDFSelection is in the article's text: its text
/// found on its page (nearest the page's start); else its rectangle, read as
/// a region drawn in Dossier is (on a page the article has, within the page,
/// standing on the words inside it or the nearest text) — and a region claim
/// when the selection has no text of its own. `None` when it is neither.
fn pdf_anchor(
    c: &Connection,
    article: &Article,
    idx: &TextIndex<'_>,
    area: &dossier_export::qda::PdfArea,
) -> Result<Option<(Anchor, Option<dossier_model::PageRect>)>> {
    let starts = &article.page_starts;
    let Some(&from) = starts.get(area.page as usize - 1) else {
        return Ok(None);
    };
    let to = starts
        .get(area.page as usize)
        .copied()
        .unwrap_or(idx.chars() as u32);
    if let Some(quote) = &area.quote {
        let quote = quote.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = quote.chars().count() as u32;
        if let Some(a) =
            Anchor::relocate_in(idx, &quote, "", "", Some((from, from.saturating_add(len))))
        {
            if a.start >= from && a.end <= to.max(from.saturating_add(len)) {
                return Ok(Some((a, None)));
            }
        }
    }
    let (rect, start, end) = match crate::claims::region_anchor(c, article, area.page, area.rect) {
        Ok(found) => found,
        Err(e) if e.code == ErrorCode::InvalidInput => return Ok(None),
        Err(e) => return Err(e),
    };
    let region = area.quote.is_none().then_some(rect);
    Ok(Anchor::from_range_in(idx, start, end)
        .ok()
        .map(|a| (a, region)))
}
