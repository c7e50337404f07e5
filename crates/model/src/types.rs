//! Plain records. Timestamps are RFC 3339 strings in UTC; ids are UUIDv7 text.
//! Offsets (`start`, `end`) always count Unicode code points of an article's
//! canonical text — never bytes, never UTF-16 units.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An article as listed: everything but the (possibly large) canonical text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArticleSummary {
    pub id: String,
    pub title: String,
    pub author: Option<String>,
    pub source_url: Option<String>,
    pub published: Option<String>,
    /// BCP 47 tag, e.g. `de`, `en`, `zh`.
    pub language: String,
    pub imported_at: String,
    pub claim_count: u32,
}

/// An article with its canonical text and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub author: Option<String>,
    pub source_url: Option<String>,
    pub published: Option<String>,
    pub language: String,
    pub imported_at: String,
    /// SHA-256 (hex) of the original file's bytes; the file lives at `sources/<sha256>`.
    pub sha256: String,
    /// SHA-256 (hex) of the canonical text (UTF-8).
    pub text_sha256: String,
    /// The name of the imported file, or the URL it was saved from.
    pub original_name: String,
    pub media_type: String,
    /// Which extractor produced the text, with its version, e.g. `html/1`.
    pub parser: String,
    /// Blocks (heading, paragraph, quote, list item) joined by blank lines.
    pub text: String,
    /// For paged sources (PDF): the code-point offset in `text` where each page
    /// starts, page 1 first. Empty for formats without pages.
    pub page_starts: Vec<u32>,
    /// For paged sources (PDF): how completely each page's text could be read.
    /// Empty for formats without pages and for articles imported before it was measured.
    #[serde(default)]
    pub pages: Vec<PageReading>,
    /// The languages of the text with their shares, largest first; `language` is the main one.
    #[serde(default)]
    pub languages: Vec<LanguageShare>,
}

/// How completely one page of a paged source was read: the glyphs the page
/// draws against the characters extraction recovered from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PageReading {
    /// 1-based.
    pub page: u32,
    /// Visible glyphs the page draws (spaces not counted).
    pub glyphs: u32,
    /// Of those, the ones whose text could be decoded.
    pub decoded: u32,
    /// The reader whose text was kept for this page: `pdf-extract` or `lopdf`.
    pub engine: String,
    /// The page draws images but no text at all (a scanned page?).
    #[serde(default)]
    pub image_only: bool,
}

impl PageReading {
    /// Whether the analyst must be told this page's text is incomplete: an
    /// image-only page, or more than 2 % of the glyphs (and at least 3) unread.
    pub fn incomplete(&self) -> bool {
        let missing = self.glyphs.saturating_sub(self.decoded);
        self.image_only || (missing >= 3 && u64::from(missing) * 50 > u64::from(self.glyphs))
    }
}

/// One language of a text and its share of the text (0–1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LanguageShare {
    pub tag: String,
    pub share: f32,
}

impl Article {
    /// What the analyst must know about how completely this source was read,
    /// in words (empty when it was read whole): pages with unreadable text,
    /// or a PDF read before completeness was measured.
    pub fn reading_warnings(&self) -> Vec<String> {
        if self.media_type == "application/pdf" && self.pages.is_empty() {
            return vec![format!(
                "read with an earlier PDF reader ({}), before Dossier measured what each page lost: \
                 parts of its text may be missing (Chinese text in particular); compare it with the original",
                self.parser
            )];
        }
        reading_warnings(&self.pages)
    }
}

/// Pages with unreadable text, in words (empty when every page was read whole).
fn reading_warnings(pages: &[PageReading]) -> Vec<String> {
    let (scans, partial): (Vec<&PageReading>, Vec<&PageReading>) = pages
        .iter()
        .filter(|p| p.incomplete())
        .partition(|p| p.image_only);
    let mut out = Vec::new();
    if !scans.is_empty() {
        let numbers: Vec<u32> = scans.iter().map(|p| p.page).collect();
        out.push(format!(
            "{} without a text layer (images only; run OCR to read them): {}",
            plural(scans.len(), "page", "pages"),
            page_ranges(&numbers)
        ));
    }
    if !partial.is_empty() {
        let glyphs: u64 = partial.iter().map(|p| u64::from(p.glyphs)).sum();
        let missing: u64 = partial
            .iter()
            .map(|p| u64::from(p.glyphs.saturating_sub(p.decoded)))
            .sum();
        let numbers: Vec<u32> = partial.iter().map(|p| p.page).collect();
        out.push(format!(
            "{} of {} read incompletely ({missing} of {glyphs} characters there have no readable text, \
             e.g. a font without a character map): {}",
            plural(partial.len(), "page", "pages"),
            pages.len(),
            page_ranges(&numbers)
        ));
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `1, 3–5, 9` for sorted page numbers.
fn page_ranges(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        parts.push(if j == i {
            pages[i].to_string()
        } else {
            format!("{}–{}", pages[i], pages[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

impl Article {
    /// The page (1-based) a code-point offset falls on, for paged sources.
    pub fn page_at(&self, offset: u32) -> Option<u32> {
        if self.page_starts.is_empty() {
            return None;
        }
        let idx = self.page_starts.partition_point(|&s| s <= offset);
        Some(idx.max(1) as u32)
    }
}

/// Whether the code `path` is `ancestor` itself or lies below it
/// (`Trust/Security` is within `Trust`; `Trustworthy` is not).
pub fn code_within(path: &str, ancestor: &str) -> bool {
    path.strip_prefix(ancestor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A code of the hierarchical codebook. `path` is the full name, e.g. `Trust/Data integrity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Code {
    pub id: String,
    pub path: String,
    pub name: String,
    pub parent_id: Option<String>,
    /// CSS hex colour, `#rrggbb`.
    pub color: String,
    pub description: String,
    /// The code's memo (Markdown): definition, inclusion and exclusion rules, examples.
    #[serde(default)]
    pub memo: String,
    pub claim_count: u32,
}

crate::wire_enum! {
    /// How firmly the article states a claim.
    #[derive(Default)]
    pub enum Hedging {
        /// Stated as fact.
        #[default]
        Asserted = "asserted",
        /// Qualified: "may", "reportedly", "bleibt abzuwarten".
        Hedged = "hedged",
        /// A guess or a forecast.
        Speculative = "speculative",
    }
}

crate::wire_enum! {
    /// Where the analyst's checking of a claim stands.
    #[derive(Default)]
    pub enum Verdict {
        /// Not checked yet (every claim starts here).
        #[default]
        Unverified = "unverified",
        /// Evidence backs it.
        Supported = "supported",
        /// Evidence points both ways.
        Disputed = "disputed",
        /// Evidence contradicts it.
        Refuted = "refuted",
    }
}

crate::wire_enum! {
    /// How one claim bears on another.
    #[derive(Default)]
    pub enum RelationKind {
        #[default]
        Supports = "supports",
        Contradicts = "contradicts",
        Qualifies = "qualifies",
        Repeats = "repeats",
    }
}

/// A typed link from one claim to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimRelation {
    pub id: String,
    pub from_id: String,
    pub to_id: String,
    pub kind: RelationKind,
    pub comment: Option<String>,
    pub analyst: Option<String>,
    pub created_at: String,
}

/// What backs a verdict: another claim, a note, or a web address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Evidence {
    /// `claim`, `note` or `url`.
    pub kind: String,
    pub target: String,
}

/// One change of a claim's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerdictChange {
    pub id: String,
    pub claim_id: String,
    pub verdict: Verdict,
    pub analyst: Option<String>,
    pub note: Option<String>,
    pub evidence: Vec<Evidence>,
    pub at: String,
}

crate::wire_enum! {
    /// What a change-log entry or a trash item is about.
    pub enum EntityKind {
        Article = "article",
        Claim = "claim",
        Note = "note",
        /// The codebook: logged as one snapshot; in the outbox, one code
        /// (which the outbox table names `code`).
        Codebook = "codebook" | "code",
        /// An article attribute's definition with every article's value of
        /// it (logged; not indexed: search reads attributes from SQLite).
        Attribute = "attribute",
        /// A named set of articles with its members (not indexed).
        Set = "set",
        /// A saved search (not indexed).
        SavedSearch = "search",
        /// One concept of the glossary with its terms (not indexed: search
        /// reads the glossary from SQLite when it expands a query).
        Glossary = "glossary",
    }
}

impl EntityKind {
    /// Whether the search index holds documents derived from this kind (its
    /// changes go to the outbox).
    pub fn indexed(self) -> bool {
        !matches!(
            self,
            EntityKind::Attribute
                | EntityKind::Set
                | EntityKind::SavedSearch
                | EntityKind::Glossary
        )
    }
}

/// One entry of the change log, as shown in a claim's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub entity: EntityKind,
    pub entity_id: String,
    /// `add`, `edit`, `delete`, `restore`; for the codebook `add code`, `rename code`, `merge codes`…
    pub action: String,
    /// The entity before and after, as JSON text (absent when it did not exist).
    pub before: Option<String>,
    pub after: Option<String>,
    /// Undone (and not redone).
    pub undone: bool,
}

/// Something deleted, restorable for 30 days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrashItem {
    pub id: String,
    pub entity: EntityKind,
    pub entity_id: String,
    pub title: String,
    pub deleted_at: String,
}

/// What undo or redo did, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UndoOutcome {
    pub entity: EntityKind,
    pub entity_id: String,
    /// The action that was undone or redone.
    pub action: String,
}

/// A sentence the suggester proposes as a claim, with the rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Suggestion {
    pub exact: String,
    /// Code points in the article's text, `end` exclusive.
    pub start: u32,
    pub end: u32,
    pub codes: Vec<String>,
    /// Why, in words: which lexicon entry of which code (and which hedge) matched.
    pub rule: String,
    pub hedging: Hedging,
}

/// Agreement figures for one table of two analysts' binary ratings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementStats {
    /// Characters rated (per code: the articles' length; overall: summed over codes).
    #[ts(type = "number")]
    pub units: u64,
    #[ts(type = "number")]
    pub both: u64,
    #[ts(type = "number")]
    pub only_a: u64,
    #[ts(type = "number")]
    pub only_b: u64,
    #[ts(type = "number")]
    pub neither: u64,
    pub percent_agreement: Option<f64>,
    /// Undefined (`None`) when chance agreement is total, e.g. nobody used the code.
    pub cohen_kappa: Option<f64>,
    pub krippendorff_alpha: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CodeAgreement {
    pub code: String,
    pub stats: AgreementStats,
}

/// A claim one analyst made and the other did not (no overlapping claim with a shared code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Disagreement {
    pub claim: Claim,
    pub only_by: String,
    pub missing_for: String,
}

/// How far two analysts agree, over characters of the articles both coded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementReport {
    pub analysts: Vec<String>,
    pub articles: Vec<String>,
    #[ts(type = "number")]
    pub characters: u64,
    pub overall: AgreementStats,
    pub per_code: Vec<CodeAgreement>,
}

crate::wire_enum! {
    /// Where a claim stands after its article was replaced by a new version.
    #[derive(Default)]
    pub enum AnchorStatus {
        /// The quoted text is there, unchanged (possibly moved). Every new claim starts here.
        #[default]
        Exact = "exact",
        /// Re-anchored to text that differs from the quote; the old quote is kept.
        Changed = "changed",
        /// Not found in the new version: kept on the old one, in the review queue.
        Orphaned = "orphaned",
        /// An orphan the analyst chose to leave on the old version.
        Dismissed = "dismissed",
    }
}

/// What carrying an article's claims to a new version did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CarryReport {
    /// The new version.
    pub article_id: String,
    /// The version it replaces.
    pub replaces: String,
    pub exact: u32,
    pub changed: u32,
    pub orphaned: u32,
}

crate::wire_enum! {
    /// How the article positions itself toward the claim it reports.
    pub enum Stance {
        Supports = "supports",
        Contests = "contests",
        Neutral = "neutral",
        Unclear = "unclear",
    }
}

/// A claim: a marked span of an article with its analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Claim {
    pub id: String,
    pub article_id: String,
    /// TextQuoteSelector.
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    /// TextPositionSelector, code points, `end` exclusive.
    pub start: u32,
    pub end: u32,
    /// Code paths.
    pub codes: Vec<String>,
    pub stance: Stance,
    /// 1 (weak) … 5 (certain).
    pub confidence: u8,
    pub claimant: Option<String>,
    pub comment: Option<String>,
    pub analyst: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// After a new version of the article: exact, changed or orphaned.
    pub anchor_status: AnchorStatus,
    /// The quote before it was re-anchored to changed text.
    pub original_exact: Option<String>,
    pub hedging: Hedging,
    /// The latest verdict; its history is in `claim_verdict`.
    pub verdict: Verdict,
    /// Translations of the quote, oldest first.
    #[serde(default)]
    pub translations: Vec<Translation>,
    /// A region claim: the rectangle drawn on a PDF page around a chart, a
    /// table or a figure (points from the page's top-left corner). Its text
    /// span is the text inside the rectangle, or the text nearest to it on the
    /// page when it holds none (a figure's caption, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub region: Option<crate::PageRect>,
}

/// A translation of a claim's quote, kept with the claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Translation {
    pub id: String,
    /// BCP 47 language tag (`en`, `de`, `zh`).
    pub language: String,
    pub text: String,
    /// Who or what made it: an analyst, a tool.
    pub translator: Option<String>,
    pub created_at: String,
}

impl Claim {
    /// The one way a claim comes to be: at `anchor` in an article, as every new
    /// claim starts (anchored exactly, unverified, asserted, stance unclear,
    /// confidence 3, no codes). Callers set what they know with `..Claim::new(…)`;
    /// texts pass through [`non_blank`] so an empty comment is no comment.
    pub fn new(id: String, article_id: String, anchor: crate::Anchor, at: String) -> Claim {
        Claim {
            id,
            article_id,
            exact: anchor.exact,
            prefix: anchor.prefix,
            suffix: anchor.suffix,
            start: anchor.start,
            end: anchor.end,
            codes: Vec::new(),
            stance: Stance::Unclear,
            confidence: 3,
            claimant: None,
            comment: None,
            analyst: None,
            created_at: at.clone(),
            updated_at: at,
            anchor_status: AnchorStatus::Exact,
            original_exact: None,
            hedging: Hedging::Asserted,
            verdict: Verdict::Unverified,
            translations: Vec::new(),
            region: None,
        }
    }

    /// Whether the claim is a rectangle on a page rather than a passage of text.
    pub fn is_region(&self) -> bool {
        self.region.is_some()
    }
}

/// A BCP 47 language tag as typed (`de`, `EN`, `zh-Hant`), lower-cased and
/// checked: letters, digits and hyphens, a first part of letters.
pub fn valid_language(language: &str) -> crate::Result<String> {
    let lang = language.trim().to_ascii_lowercase();
    let valid = !lang.is_empty()
        && lang.len() <= 35
        && lang
            .split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && lang
            .split('-')
            .next()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_alphabetic()));
    if valid {
        Ok(lang)
    } else {
        Err(crate::Error::invalid(format!(
            "'{}' is not a language tag; use e.g. de, en, zh, fr or zh-Hant",
            crate::limits::shorten(language, 40)
        )))
    }
}

/// `None` for a missing or blank text: what a claim's optional texts are stored as.
pub fn non_blank(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// What the user supplies to create a claim; the anchor is computed from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewClaim {
    pub article_id: String,
    pub target: ClaimTarget,
    pub codes: Vec<String>,
    pub stance: Stance,
    pub confidence: u8,
    pub claimant: Option<String>,
    pub comment: Option<String>,
    pub analyst: Option<String>,
    #[serde(default)]
    pub hedging: Hedging,
}

/// Where a new claim goes: a quote (the n-th occurrence, 1-based), explicit
/// code-point positions, or a rectangle on a PDF page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum ClaimTarget {
    Quote {
        exact: String,
        occurrence: u32,
    },
    Range {
        start: u32,
        end: u32,
    },
    /// A rectangle on a page of a PDF (points from the page's top-left corner).
    Region {
        page: u32,
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
    },
}

/// A partial update of a claim; `None` leaves a field as it is. For the optional
/// text fields, `Some("")` clears them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimPatch {
    pub codes: Option<Vec<String>>,
    pub stance: Option<Stance>,
    pub confidence: Option<u8>,
    pub claimant: Option<String>,
    pub comment: Option<String>,
    pub analyst: Option<String>,
    #[serde(default)]
    pub hedging: Option<Hedging>,
}

/// A Markdown note; `[[…]]` links to articles and claims are resolved into `links`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Note {
    pub id: String,
    pub title: String,
    pub body: String,
    pub article_id: Option<String>,
    pub links: Vec<NoteLink>,
    pub created_at: String,
    pub updated_at: String,
}

crate::wire_enum! {

    pub enum LinkKind {
        Article = "article",
        Claim = "claim",
        /// Another note (`[[Note title]]` or `[[note:ID]]`).
        Note = "note",
    }
}

/// One resolved `[[…]]` link of a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoteLink {
    pub kind: LinkKind,
    pub target_id: String,
    /// The text between the brackets, as written.
    pub label: String,
}

crate::wire_enum! {
    /// The three kinds of thing search finds.
    pub enum Kind {
        Article = "article",
        Claim = "claim",
        Note = "note",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchRequest {
    pub query: String,
    pub kind: Option<Kind>,
    /// A code path; matches the code and every code below it.
    pub code: Option<String>,
    pub language: Option<String>,
    pub limit: u32,
    pub offset: u32,
    /// Leave snippets (and an article hit's match position) empty: for callers
    /// that only need the ranked hits, counts and facets.
    #[serde(default)]
    pub skip_snippets: bool,
    /// Every word must match, stop words included, and no partial matches
    /// follow: the strict search (`dossier search --all-words`).
    #[serde(default)]
    pub all_words: bool,
    /// Expand each word or phrase that is a glossary term to every term of
    /// its concept (Transparenz → also transparency, 透明度).
    #[serde(default)]
    pub expand: bool,
    /// The glossary's groups of equivalent terms, filled in by the notebook
    /// when `expand` is set (never sent over the wire).
    #[serde(skip)]
    #[ts(skip)]
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    pub kind: Kind,
    pub id: String,
    /// The article the hit belongs to (itself for an article; none for a free note).
    pub article_id: Option<String>,
    pub title: String,
    pub score: f32,
    /// HTML-escaped text with the matches wrapped in `<mark>`…`</mark>`.
    pub snippet: String,
    /// Code-point offset in the article text of the first match, when the hit is
    /// an article (so the reader can scroll to it) or the claim's start.
    pub position: Option<u32>,
    /// For a note: the articles and claims it links to.
    pub links: Vec<NoteLink>,
    /// Matches some of the query's words, not all (see `SearchResults::partial`).
    #[serde(default)]
    pub partial: bool,
}

/// The search index's state: a rebuild (after a change of its schema or
/// analysis, or when it could not be opened) runs in the background.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IndexStatus {
    pub rebuilding: bool,
    /// Documents indexed so far, of `total`.
    pub done: u32,
    pub total: u32,
    /// The rebuild fills a new index beside the previous one, which answers
    /// searches until it is swapped in (false: there was nothing to answer from,
    /// and searches see the new index fill up).
    pub from_previous: bool,
}

/// One value of a facet and how many hits carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacetCount {
    pub value: String,
    pub count: u32,
}

/// Counts over every hit of a search (not only the page returned), most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Facets {
    pub kind: Vec<FacetCount>,
    /// Code paths with their ancestors: `Trust` counts the claims under `Trust/Security` too.
    pub code: Vec<FacetCount>,
    pub language: Vec<FacetCount>,
    pub stance: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchResults {
    pub total: u32,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
    /// Nothing matched exactly, so longer words were allowed a typo or two.
    pub fuzzy: bool,
    /// The query did not parse (an open quote or bracket, a bad field value)
    /// and was searched as its plain words.
    pub plain_fallback: bool,
    /// All words together matched less than a page, so the results go on with
    /// documents that match some of them (most words first, then by BM25);
    /// those hits are marked `partial`.
    #[serde(default)]
    pub partial: bool,
}

/// `(done, total)` of a long operation (export, reindex), reported as it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Progress {
    #[ts(type = "number")]
    pub done: usize,
    #[ts(type = "number")]
    pub total: usize,
}

/// Progress of a bulk import, reported after each file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    /// Files finished (imported, duplicate or failed).
    pub done: u32,
    pub total: u32,
    /// The file finished last.
    pub current: String,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
    /// Milliseconds since the import started (the window estimates the time left).
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

/// The outcome of importing one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOutcome {
    pub path: String,
    pub status: ImportStatus,
    pub id: Option<String>,
    pub title: Option<String>,
    pub language: Option<String>,
    pub error: Option<String>,
    /// For interchange files (a REFI-QDA project, annotations, references):
    /// what they brought in, in words.
    pub summary: Option<String>,
    /// An article saved from the same address that this one probably replaces:
    /// offer to carry its claims over.
    pub replaces_candidate: Option<String>,
    /// What the analyst must know about an imported source that was not read
    /// whole (pages without readable text), in words; empty when it was.
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ImportStatus {
    Imported,
    Duplicate,
    Failed,
    /// Not a regular file (a FIFO, a device, a socket, a dangling link) or a link
    /// that leads out of the chosen folder: never opened; `error` says why.
    Skipped,
}

/// The result of comparing SQLite (the truth) with the index and the source files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckReport {
    pub ok: bool,
    pub problems: Vec<String>,
}

/// What `check --repair` did, and what is still wrong afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RepairReport {
    pub actions: Vec<String>,
    pub check: CheckReport,
}

crate::wire_enum! {
    /// Formats `export` can write.
    pub enum ExportFormat {
        /// Annotated Markdown: a folder with one file per article, or one `.md` file.
        Markdown = "markdown" | "md",
        /// One row per claim (RFC 4180, UTF-8 with BOM).
        Csv = "csv",
        /// W3C Web Annotation AnnotationCollection (JSON-LD).
        W3c = "w3c" | "jsonld" | "json-ld" | "annotations",
        /// REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder).
        Qdpx = "qdpx" | "refi-qda" | "refi",
        /// REFI-QDA codebook.
        Qdc = "qdc" | "codebook",
        /// CSL-JSON references (Zotero, pandoc).
        Csl = "csl" | "csl-json" | "csljson",
        /// BibTeX / biblatex references.
        Bibtex = "bibtex" | "bib" | "biblatex",
        /// RIS references.
        Ris = "ris",
        /// A folder of Markdown files for Obsidian.
        Obsidian = "obsidian" | "vault",
        /// A self-contained, printable HTML report.
        Html = "html" | "report",
        /// The whole notebook (database snapshot and original files) as one zip.
        Backup = "backup" | "zip",
    }
}

impl ExportFormat {
    /// The file extension the format is written with; `None` for a folder.
    pub fn extension(self) -> Option<&'static str> {
        use ExportFormat::*;
        match self {
            Markdown | Obsidian => None,
            Csv => Some("csv"),
            W3c => Some("jsonld"),
            Qdpx => Some("qdpx"),
            Qdc => Some("qdc"),
            Csl => Some("json"),
            Bibtex => Some("bib"),
            Ris => Some("ris"),
            Html => Some("html"),
            Backup => Some("zip"),
        }
    }
}

/// What part of the notebook an export covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportScope {
    pub article_id: Option<String>,
    /// A code path; claims with this code or a code below it.
    pub code: Option<String>,
}

/// Counts shown in the window's status line and by `dossier` after `init`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NotebookInfo {
    pub path: String,
    pub articles: u32,
    pub claims: u32,
    pub notes: u32,
    pub codes: u32,
    /// False when another process holds the index writer; searches still work.
    pub index_writable: bool,
}

#[cfg(test)]
mod tests {
    use super::code_within;

    #[test]
    fn a_code_is_within_itself_and_its_ancestors_only() {
        assert!(code_within("Trust", "Trust"));
        assert!(code_within("Trust/Security", "Trust"));
        assert!(!code_within("Trustworthy", "Trust"));
        assert!(!code_within("Trust", "Trust/Security"));
    }
}

#[cfg(test)]
mod reading_tests {
    use super::*;

    fn pdf(parser: &str, pages: Vec<PageReading>) -> Article {
        Article {
            id: "a".into(),
            title: "t".into(),
            author: None,
            source_url: None,
            published: None,
            language: "zh".into(),
            imported_at: "2026-01-01T00:00:00Z".into(),
            sha256: String::new(),
            text_sha256: String::new(),
            original_name: "x.pdf".into(),
            media_type: "application/pdf".into(),
            parser: parser.into(),
            text: "x".into(),
            page_starts: vec![0],
            pages,
            languages: Vec::new(),
        }
    }

    #[test]
    fn a_pdf_read_before_measurement_says_so() {
        let w = pdf("pdf/1+lopdf", Vec::new()).reading_warnings();
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("pdf/1+lopdf") && w[0].contains("may be missing"),
            "{w:?}"
        );
        let whole = PageReading {
            page: 1,
            glyphs: 100,
            decoded: 100,
            engine: "pdf-extract".into(),
            image_only: false,
        };
        assert!(pdf("pdf/2", vec![whole.clone()])
            .reading_warnings()
            .is_empty());
        let partial = PageReading {
            decoded: 60,
            page: 2,
            ..whole.clone()
        };
        let w = pdf("pdf/2", vec![whole, partial]).reading_warnings();
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with("1 page of 2 read incompletely (40 of 100") && w[0].ends_with(": 2")
        );
        assert_eq!(page_ranges(&[1, 3, 4, 5, 9]), "1, 3–5, 9");
    }
}

/// What importing a codebook file did (codes merged by path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CodebookImport {
    /// Codes the notebook did not have.
    pub added: u32,
    /// Codes whose colour, description or memo the file changed.
    pub updated: u32,
    /// Codes already as the file has them.
    pub unchanged: u32,
    /// What could not be taken (each with its code's path).
    pub problems: Vec<String>,
}

/// Entities of one kind that changed (ids in the order of their changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeBatch {
    pub entity: EntityKind,
    pub ids: Vec<String>,
}

/// What changed in the notebook after a point of its change feed: what a
/// window reloads to show another process's changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeFeed {
    /// Where the feed stands now: ask again from here.
    #[ts(type = "number")]
    pub seq: i64,
    pub batches: Vec<ChangeBatch>,
    /// More changed than the feed keeps: reload everything.
    pub reset: bool,
}

/// Where a link back (`dossier://…`) leads in this notebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LinkTarget {
    pub kind: LinkKind,
    pub id: String,
    /// The article to open: itself, or the claim's (none for a free note).
    pub article_id: Option<String>,
    /// The claim's span in its article.
    pub start: Option<u32>,
    pub end: Option<u32>,
    /// The article's or note's title, or the claim's quote.
    pub title: String,
}
