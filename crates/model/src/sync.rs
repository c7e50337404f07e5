//! Working as a team: what a notebook and the team's hub say to each other,
//! the hybrid logical clock that orders analysts' edits, and the three-way
//! merge the hub decides concurrent edits with.
//!
//! The hub is the one place that merges. A notebook pushes each entity it
//! changed as `{base, state}` — the state it last had from the hub and the
//! state it has now — and the hub merges that into the team's current state
//! field by field: a field only one side changed takes that side's value;
//! a field both changed to different values takes the value with the later
//! clock, and the other value is recorded as a [`FieldConflict`], so nothing
//! is overwritten without a trace. Notebooks then pull the merged states in
//! the hub's order and apply them as they are, so every replica converges.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use serde_json::{Map, Value};
use ts_rs::TS;

/// The protocol's version; the hub refuses a notebook speaking another
/// (2: relations and verdicts travel as entities of their own; 3: a pull
/// names the notebook's scope, and articles outside it come as metadata; 4:
/// attributes, sets and saved searches sync, an article's state carries its
/// attribute values and sets, and a scope may name sets and attribute values).
pub const PROTOCOL: u32 = 4;
/// Codes in a pull's scope (a code counts with everything under it, so the
/// notebook sends the whole subtree).
pub const MAX_SCOPE_CODES: usize = 10_000;
/// Entities in one `POST /v1/entities` question.
pub const MAX_ENTITIES_AT_ONCE: usize = 500;
/// Entities in one push request.
pub const MAX_PUSH_CHANGES: usize = 500;
/// Changes in one pull answer.
pub const MAX_PULL_CHANGES: usize = 1_000;
/// Bytes of one push request's body (an article's text travels in it).
pub const MAX_PUSH_BYTES: usize = 64 << 20;
/// Bytes of one original file sent to the hub.
pub const MAX_BLOB_BYTES: usize = 256 << 20;
/// Characters of an analyst's (a token's) name.
pub const MAX_NAME_CHARS: usize = 64;
/// Depth of a merged JSON value (snapshots are a few levels deep).
const MAX_MERGE_DEPTH: usize = 32;

crate::wire_enum! {
    /// What a team member may do: an owner and an analyst push and pull, a
    /// reader only pulls.
    pub enum Role {
        Owner = "owner",
        Analyst = "analyst",
        Reader = "reader",
    }
}

crate::wire_enum! {
    /// What one synced change is about.
    pub enum SyncKind {
        Article = "article",
        Claim = "claim",
        Note = "note",
        /// One code of the codebook.
        Code = "code",
        /// A link between two claims, its analyst's.
        Relation = "relation",
        /// One entry of a claim's verdict history, its analyst's.
        Verdict = "verdict",
        /// An attribute's definition (its values are in the articles' states).
        Attribute = "attribute",
        /// A set of articles: its name and memo (its members are in the articles' states).
        Set = "set",
        /// A saved search.
        SavedSearch = "search",
    }
}

impl SyncKind {
    /// Belongs to the analyst who made it: only they change or delete it;
    /// others reply with relations, verdicts or notes of their own.
    pub fn owned(self) -> bool {
        matches!(
            self,
            SyncKind::Claim | SyncKind::Relation | SyncKind::Verdict
        )
    }
}

/// Whether `name` may name a team member: 1–64 letters, digits, `-`, `_`
/// or `.` (not first), so that it is safe in a log line, a URL and a file name.
pub fn valid_member_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.chars().count() <= MAX_NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A hybrid logical clock stamp: milliseconds since 1970 in the high 48
/// bits, a counter in the low 16. Stamps compare as numbers.
pub type Hlc = u64;

/// The stamp of an edit made at `wall_ms` on top of a state stamped `prev`:
/// later than both, so an edit made after seeing a change always orders
/// after it, whatever the machines' clocks say.
pub fn hlc_after(prev: Hlc, wall_ms: u64) -> Hlc {
    let wall = wall_ms.min((1 << 48) - 1) << 16;
    if wall > prev {
        wall
    } else {
        prev.saturating_add(1)
    }
}

/// The hub's answer to a token: who it belongs to and the hub's head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub analyst: String,
    pub role: Role,
    /// The newest change's sequence number.
    pub head: i64,
    pub protocol: u32,
}

/// One entity a notebook changed, as it stands now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushChange {
    pub kind: SyncKind,
    pub id: String,
    /// When the change was made (see [`hlc_after`]).
    pub hlc: Hlc,
    /// The state the notebook last had from the hub (or pushed); `None` for
    /// an entity the hub has not seen from it.
    pub base: Option<Value>,
    /// The state now; `None` when deleted.
    pub state: Option<Value>,
}

/// A batch of changes: the notebook's outbox rows in `(after, upto]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    /// The notebook's own id (one per joined notebook).
    pub origin: String,
    /// The last outbox row the hub acknowledged before this batch.
    pub after: i64,
    /// The last outbox row this batch covers.
    pub upto: i64,
    pub changes: Vec<PushChange>,
}

/// A change the hub did not take (a claim of another analyst, say), with the
/// team's state of it, which the notebook puts back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub kind: SyncKind,
    pub id: String,
    pub reason: String,
    pub current: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The last outbox row the hub now holds from this notebook.
    pub acked: i64,
    /// The batch had been taken before (a retry after a lost answer).
    pub replayed: bool,
    pub refused: Vec<Refusal>,
}

/// A field two analysts changed to different values: the value kept and the
/// value that lost, with who made each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldConflict {
    /// A path into the entity's state (`title`, `claim.comment`, `codes.<id>`),
    /// empty for the entity as a whole (deleted on one side, edited on the other).
    pub field: String,
    #[ts(type = "unknown")]
    pub kept: Value,
    #[ts(type = "unknown")]
    pub lost: Value,
    pub kept_by: String,
    pub lost_by: String,
}

/// One change in the team's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledChange {
    pub seq: i64,
    pub kind: SyncKind,
    pub id: String,
    pub analyst: String,
    pub origin: String,
    pub hlc: Hlc,
    /// The team's state after the change; `None` when deleted.
    pub state: Option<Value>,
    /// What the merge of this change decided against.
    #[serde(default)]
    pub conflicts: Vec<FieldConflict>,
    /// An article outside the notebook's scope: its state is its metadata,
    /// without its text (see [`stub_state`]); the notebook lists it and pulls
    /// it on demand.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stub: bool,
}

/// Which articles a notebook pulls whole (selective sync, for corpora larger
/// than a laptop): those that meet every criterion given — coded (by anyone)
/// with one of `codes`, and dated within `from`–`to`. Everything else of the
/// team still travels: the codebook, notes, and the claims, relations and
/// verdicts of articles outside the scope (the notebook holds those until
/// their article is pulled).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Code ids; an article is in scope when a claim on it has one of them.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Codes by path, each with every code under it, for codes this notebook
    /// does not have yet (a scope set before the first sync): the hub
    /// resolves them in the team's codebook. No codes and no paths: no
    /// criterion of codes.
    #[serde(default)]
    pub code_paths: Vec<String>,
    /// `YYYY[-MM[-DD]]`: the article's date (published, else imported) ends
    /// on or after it.
    #[serde(default)]
    pub from: Option<String>,
    /// `YYYY[-MM[-DD]]`: the article's date starts on or before it.
    #[serde(default)]
    pub to: Option<String>,
    /// Sets (by name): an article in one of them. Empty: no criterion of sets.
    #[serde(default)]
    pub sets: Vec<String>,
    /// Attribute values: an article with one of them (its value of the
    /// attribute, ignoring case). Empty: no criterion of attributes.
    #[serde(default)]
    pub attributes: Vec<AttributeMatch>,
}

/// An attribute's value a scope asks for: `outlet=Xinhua`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttributeMatch {
    pub name: String,
    pub value: String,
}

impl AttributeMatch {
    /// `NAME=VALUE`, as the command line takes it.
    pub fn parse(s: &str) -> crate::Result<AttributeMatch> {
        let (name, value) = s.split_once('=').ok_or_else(|| {
            crate::Error::invalid(format!(
                "not an attribute's value: {} (NAME=VALUE, e.g. outlet=Xinhua)",
                crate::limits::shorten(s, 60)
            ))
        })?;
        Ok(AttributeMatch {
            name: name.trim().to_string(),
            value: value.trim().to_string(),
        })
    }
}

/// The key of a named definition (an attribute, a set, a saved search) in
/// synced states: its name in ASCII lower case, as SQLite's NOCASE compares.
pub fn name_key(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

impl Scope {
    /// Whether the scope leaves anything out.
    pub fn is_everything(&self) -> bool {
        !self.has_codes()
            && self.from.is_none()
            && self.to.is_none()
            && self.sets.is_empty()
            && self.attributes.is_empty()
    }

    /// Whether the scope asks for articles coded with some code.
    pub fn has_codes(&self) -> bool {
        !self.codes.is_empty() || !self.code_paths.is_empty()
    }

    /// The scope with its bounds checked: dates as `YYYY[-MM[-DD]]`, `from`
    /// not after `to`, at most [`MAX_SCOPE_CODES`] codes.
    pub fn checked(mut self) -> crate::Result<Scope> {
        for bound in [&mut self.from, &mut self.to] {
            if let Some(b) = bound.take() {
                let d = crate::dates::PartialDate::parse_exact(&b).ok_or_else(|| {
                    crate::Error::invalid(format!(
                        "not a date: {} (YYYY, YYYY-MM or YYYY-MM-DD)",
                        crate::limits::shorten(&b, 40)
                    ))
                })?;
                *bound = Some(d.to_string());
            }
        }
        if let (Some(f), Some(t)) = (self.start(), self.end()) {
            if f.first_day() > t.last_day() {
                return Err(crate::Error::invalid(format!(
                    "the scope's dates are the wrong way round: {f} is after {t}"
                )));
            }
        }
        if self.sets.len() + self.attributes.len() > crate::attributes::MAX_SETS {
            return Err(crate::Error::invalid(format!(
                "a scope names at most {} sets and attribute values",
                crate::attributes::MAX_SETS
            )));
        }
        for s in &mut self.sets {
            *s = name_key(&crate::attributes::valid_name(s)?);
        }
        for a in &mut self.attributes {
            a.name = name_key(&crate::attributes::valid_name(&a.name)?);
            a.value = a.value.trim().to_string();
            if a.value.is_empty() || a.value.chars().count() > crate::attributes::MAX_VALUE_CHARS {
                return Err(crate::Error::invalid(format!(
                    "a scope's value of '{}' must be 1 to {} characters",
                    a.name,
                    crate::attributes::MAX_VALUE_CHARS
                )));
            }
        }
        self.sets.sort();
        self.sets.dedup();
        self.attributes
            .sort_by(|a, b| (&a.name, &a.value).cmp(&(&b.name, &b.value)));
        self.attributes.dedup();
        if self.codes.len() + self.code_paths.len() > MAX_SCOPE_CODES
            || self.code_paths.iter().any(|p| p.chars().count() > 1_000)
        {
            return Err(crate::Error::invalid(format!(
                "a scope names at most {MAX_SCOPE_CODES} codes"
            )));
        }
        for p in &mut self.code_paths {
            *p = p.trim().trim_matches('/').to_string();
        }
        self.code_paths.retain(|p| !p.is_empty());
        self.codes.sort();
        self.codes.dedup();
        self.code_paths.sort();
        self.code_paths.dedup();
        Ok(self)
    }

    fn start(&self) -> Option<crate::dates::PartialDate> {
        self.from
            .as_deref()
            .and_then(crate::dates::PartialDate::parse)
    }

    fn end(&self) -> Option<crate::dates::PartialDate> {
        self.to
            .as_deref()
            .and_then(crate::dates::PartialDate::parse)
    }

    /// Whether an article of this state meets the scope's dates, sets and
    /// attribute values (its codes are judged apart: they are in its claims).
    pub fn admits(&self, article: &Value) -> bool {
        let in_set = || {
            let sets = article.get("sets");
            self.sets
                .iter()
                .any(|s| sets.and_then(|m| m.get(s)).is_some())
        };
        let has_value = || {
            let values = article.get("attributes");
            self.attributes.iter().any(|a| {
                values
                    .and_then(|m| m.get(&a.name))
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.to_lowercase() == a.value.to_lowercase())
            })
        };
        self.admits_date(article)
            && (self.sets.is_empty() || in_set())
            && (self.attributes.is_empty() || has_value())
    }

    /// Whether an article of this state (its `published` and `imported_at`)
    /// meets the scope's dates. An article with no date at all meets no range.
    pub fn admits_date(&self, article: &Value) -> bool {
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        let published = article.get("published").and_then(Value::as_str);
        let imported = article
            .get("imported_at")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(d) = crate::dates::article_date(published, imported) else {
            return false;
        };
        self.start().is_none_or(|f| d.last_day() >= f.first_day())
            && self.end().is_none_or(|t| d.first_day() <= t.last_day())
    }
}

/// An article's state without its text (what a notebook outside whose scope
/// the article lies receives): the metadata stays, the text, its pages and its
/// languages' shares are emptied; `text_sha256` still names the text.
pub fn stub_state(article: &Value) -> Value {
    let mut v = article.clone();
    if let Some(o) = v.as_object_mut() {
        o.insert("text".into(), Value::String(String::new()));
        for key in ["page_starts", "pages", "languages"] {
            if o.contains_key(key) {
                o.insert(key.into(), Value::Array(Vec::new()));
            }
        }
    }
    v
}

/// A pull: the team's changes after `since`, for a notebook of this scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    pub since: i64,
    pub limit: usize,
    /// `None`: everything.
    pub scope: Option<Scope>,
}

/// Several entities of one kind as the team holds them now (an article pulled
/// on demand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntitiesRequest {
    pub kind: SyncKind,
    pub ids: Vec<String>,
}

/// An article of the team this notebook has not pulled (outside its scope):
/// its metadata, and how much of the team's work on it waits here for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StubArticle {
    pub id: String,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<String>,
    pub source_url: Option<String>,
    pub language: String,
    pub original_name: String,
    pub media_type: String,
    /// Claims of it (by anyone) held here until it is pulled.
    pub claims: u32,
}

/// A notebook's scope as an analyst reads it: codes by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScopeView {
    /// Paths of the codes chosen (each with everything under it).
    pub codes: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Sets by name.
    #[serde(default)]
    pub sets: Vec<String>,
    #[serde(default)]
    pub attributes: Vec<AttributeMatch>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<PulledChange>,
    /// The newest change's sequence number when the answer was made.
    pub head: i64,
}

/// What `dossier sync` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncReport {
    /// Changed entities the hub took from this notebook.
    pub pushed: u32,
    /// Changes of the team applied here.
    pub pulled: u32,
    /// Conflicts the hub decided in the changes pulled, and changes it refused.
    pub conflicts: u32,
}

/// Entities in one page of the hub's digest (their states are read to hash them).
pub const MAX_DIGEST_ENTRIES: usize = 500;

/// One entity as the hub holds it, for `sync --verify`: the SHA-256 of its
/// state's canonical JSON ([`canonical_json`]); `None` for a deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestEntry {
    pub kind: SyncKind,
    pub id: String,
    pub hash: Option<String>,
}

/// One entity as the team holds it now (for `sync --verify --repair`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityState {
    pub kind: SyncKind,
    pub id: String,
    pub hlc: Hlc,
    /// `None`: deleted.
    pub state: Option<Value>,
}

/// A page of the hub's digest, in (kind, id) order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestResponse {
    pub entries: Vec<DigestEntry>,
}

/// An entity that is not the same here as on the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Divergence {
    pub kind: SyncKind,
    pub id: String,
    /// `differs` (both have it, not alike), `missing_here` (the team has it,
    /// this notebook does not, or has it in the trash), `only_here` (this
    /// notebook has it, the team deleted it).
    pub what: String,
}

/// What `dossier sync --verify` found, after a sync: every entity the team
/// holds compared with this notebook's by the hash of its state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerifyReport {
    /// Entities the hub holds (deletions included).
    pub checked: u32,
    /// Alike on both sides.
    pub same: u32,
    /// Changed here since the last sync, so not comparable yet.
    pub pending: u32,
    pub divergent: Vec<Divergence>,
    /// Articles outside this notebook's scope and what waits for them (held
    /// here, not compared).
    #[serde(default)]
    pub not_pulled: u32,
    /// With `--repair`: divergent entities set back to the team's state.
    pub repaired: u32,
}

/// A JSON value written with its objects' keys sorted and no spaces, so that
/// equal values give equal bytes on every machine (whatever order a map kept
/// and however PostgreSQL's jsonb stored it).
pub fn canonical_json(v: &Value) -> String {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut entries: Vec<(&String, &Value)> = m.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (i, (k, v)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    write(v, out);
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(v, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// The SHA-256 (hex) of a state's [`canonical_json`]: what `sync --verify`
/// compares, computed alike by the hub and by every notebook.
pub fn state_hash(state: &Value) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(canonical_json(state).as_bytes()))
}

/// A notebook's link to its team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamStatus {
    pub url: String,
    pub analyst: String,
    pub role: Role,
    pub joined_at: String,
    /// When the last sync finished, if one has.
    pub last_sync: Option<String>,
    /// Outbox rows not yet taken by the hub.
    #[ts(type = "number")]
    pub pending: i64,
    /// The last team change applied here.
    #[ts(type = "number")]
    pub pulled_seq: i64,
    /// Conflicts recorded here.
    #[ts(type = "number")]
    pub conflicts: i64,
    /// Which articles this notebook pulls whole; `None`: all of them.
    pub scope: Option<ScopeView>,
    /// The team's articles outside the scope, listed but not pulled.
    #[ts(type = "number")]
    pub not_pulled: i64,
}

/// A conflict as a notebook keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConflictEntry {
    /// The team change that decided it (0: a change the hub refused).
    #[ts(type = "number")]
    pub seq: i64,
    pub kind: SyncKind,
    pub entity_id: String,
    pub at: String,
    #[serde(flatten)]
    pub conflict: FieldConflict,
}

/// One side of a merge.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub state: Option<&'a Value>,
    pub hlc: Hlc,
    pub analyst: &'a str,
}

impl Side<'_> {
    /// Whether this side's value wins over `other`'s where both changed a field:
    /// the later clock, then the analyst's name (so every replica decides alike).
    fn beats(&self, other: &Side<'_>) -> bool {
        (self.hlc, self.analyst) > (other.hlc, other.analyst)
    }
}

/// Merges `ours` (a pushed state, made from `base`) into `theirs` (the team's
/// current state). Returns the merged state and the conflicts decided.
pub fn merge3(
    base: Option<&Value>,
    theirs: Side<'_>,
    ours: Side<'_>,
) -> (Option<Value>, Vec<FieldConflict>) {
    let mut conflicts = Vec::new();
    if theirs.state == base || theirs.state == ours.state {
        return (ours.state.cloned(), conflicts);
    }
    if ours.state == base {
        return (theirs.state.cloned(), conflicts);
    }
    let ours_win = ours.beats(&theirs);
    let merged = match (theirs.state, ours.state) {
        (Some(t), Some(o)) => Some(merge_value(
            &mut Merge {
                conflicts: &mut conflicts,
                ours_win,
                ours: ours.analyst,
                theirs: theirs.analyst,
            },
            String::new(),
            base,
            t,
            o,
            0,
        )),
        // Deleted on one side, changed on the other: the later one decides.
        (t, o) => {
            let (kept, lost) = if ours_win { (o, t) } else { (t, o) };
            conflicts.push(FieldConflict {
                field: String::new(),
                kept: kept.cloned().unwrap_or(Value::Null),
                lost: lost.cloned().unwrap_or(Value::Null),
                kept_by: if ours_win {
                    ours.analyst
                } else {
                    theirs.analyst
                }
                .to_string(),
                lost_by: if ours_win {
                    theirs.analyst
                } else {
                    ours.analyst
                }
                .to_string(),
            });
            kept.cloned()
        }
    };
    (merged, conflicts)
}

struct Merge<'a> {
    conflicts: &'a mut Vec<FieldConflict>,
    ours_win: bool,
    ours: &'a str,
    theirs: &'a str,
}

impl Merge<'_> {
    /// Both sides changed `field` differently: the winner's value, the other recorded.
    fn decide(&mut self, field: String, t: Option<&Value>, o: Option<&Value>) -> Option<Value> {
        let (kept, lost, kept_by, lost_by) = if self.ours_win {
            (o, t, self.ours, self.theirs)
        } else {
            (t, o, self.theirs, self.ours)
        };
        self.conflicts.push(FieldConflict {
            field,
            kept: kept.cloned().unwrap_or(Value::Null),
            lost: lost.cloned().unwrap_or(Value::Null),
            kept_by: kept_by.to_string(),
            lost_by: lost_by.to_string(),
        });
        kept.cloned()
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The elements of an array of objects that each carry a distinct string
/// `id`, by id in order; `None` for any other array.
fn keyed(a: &[Value]) -> Option<Vec<(&str, &Value)>> {
    let mut seen = std::collections::HashSet::with_capacity(a.len());
    a.iter()
        .map(|v| {
            let id = v.get("id")?.as_str()?;
            seen.insert(id).then_some((id, v))
        })
        .collect()
}

/// Merges objects key by key and arrays of objects with ids element by
/// element; anything else both sides changed is decided whole.
fn merge_value(
    m: &mut Merge<'_>,
    path: String,
    base: Option<&Value>,
    t: &Value,
    o: &Value,
    depth: usize,
) -> Value {
    if t == o || base == Some(o) {
        return t.clone();
    }
    if base == Some(t) {
        return o.clone();
    }
    if depth < MAX_MERGE_DEPTH {
        match (t, o) {
            (Value::Object(tm), Value::Object(om)) => {
                let bm = base.and_then(Value::as_object);
                let mut out = Map::new();
                for key in tm.keys().chain(om.keys().filter(|k| !tm.contains_key(*k))) {
                    let merged = merge_entry(
                        m,
                        join(&path, key),
                        bm.and_then(|b| b.get(key)),
                        tm.get(key),
                        om.get(key),
                        depth,
                    );
                    if let Some(v) = merged {
                        out.insert(key.clone(), v);
                    }
                }
                return Value::Object(out);
            }
            (Value::Array(ta), Value::Array(oa)) => {
                if let (Some(tk), Some(ok)) = (keyed(ta), keyed(oa)) {
                    let bm: HashMap<&str, &Value> = match base {
                        Some(Value::Array(ba)) => keyed(ba).unwrap_or_default(),
                        _ => Vec::new(),
                    }
                    .into_iter()
                    .collect();
                    let tm: HashMap<&str, &Value> = tk.iter().copied().collect();
                    let om: HashMap<&str, &Value> = ok.iter().copied().collect();
                    let mut out = Vec::new();
                    let ids = tk
                        .iter()
                        .map(|(k, _)| *k)
                        .chain(ok.iter().map(|(k, _)| *k).filter(|k| !tm.contains_key(k)));
                    for id in ids {
                        let merged = merge_entry(
                            m,
                            join(&path, id),
                            bm.get(id).copied(),
                            tm.get(id).copied(),
                            om.get(id).copied(),
                            depth,
                        );
                        out.extend(merged);
                    }
                    return Value::Array(out);
                }
            }
            _ => {}
        }
    }
    m.decide(path, Some(t), Some(o)).unwrap_or(Value::Null)
}

/// One key of an object (or one element of a keyed array), which either side
/// may have added, changed or removed.
fn merge_entry(
    m: &mut Merge<'_>,
    path: String,
    b: Option<&Value>,
    t: Option<&Value>,
    o: Option<&Value>,
    depth: usize,
) -> Option<Value> {
    if t == o || b == o {
        return t.cloned();
    }
    if b == t {
        return o.cloned();
    }
    match (t, o) {
        (Some(t), Some(o)) => Some(merge_value(m, path, b, t, o, depth + 1)),
        _ => m.decide(path, t, o),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn side<'a>(v: &'a Option<Value>, hlc: Hlc, who: &'a str) -> Side<'a> {
        Side {
            state: v.as_ref(),
            hlc,
            analyst: who,
        }
    }

    #[test]
    fn canonical_json_does_not_depend_on_key_order() {
        let a: Value =
            serde_json::from_str(r#"{"b":1,"a":{"y":[1,"x\"z"],"x":null},"中":0.5}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{ "中": 0.5, "a": {"x": null, "y": [1, "x\"z"]}, "b": 1 }"#)
                .unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":null,"y":[1,"x\"z"]},"b":1,"中":0.5}"#
        );
        // Order within arrays is meaning, not form.
        assert_ne!(
            canonical_json(&json!([1, 2])),
            canonical_json(&json!([2, 1]))
        );
    }

    #[test]
    fn the_clock_moves_past_what_it_saw() {
        assert_eq!(hlc_after(0, 5), 5 << 16);
        // A state from a machine whose clock runs ahead: the edit still orders after it.
        let ahead = 100 << 16;
        assert_eq!(hlc_after(ahead, 5), ahead + 1);
        assert!(hlc_after(ahead + 1, 5) > ahead + 1);
    }

    #[test]
    fn edits_of_different_fields_both_stay() {
        let base = Some(json!({"title": "Qwen", "author": null, "url": "a"}));
        let theirs = Some(json!({"title": "Qwen 2.5", "author": null, "url": "a"}));
        let ours = Some(json!({"title": "Qwen", "author": "Li", "url": "a"}));
        let (m, c) = merge3(base.as_ref(), side(&theirs, 10, "b"), side(&ours, 5, "a"));
        assert_eq!(
            m,
            Some(json!({"title": "Qwen 2.5", "author": "Li", "url": "a"}))
        );
        assert!(c.is_empty());
    }

    #[test]
    fn the_later_edit_of_one_field_wins_and_the_other_is_kept_as_a_conflict() {
        let base = Some(json!({"path": "trust", "color": "#fff"}));
        let theirs = Some(json!({"path": "Trust", "color": "#fff"}));
        let ours = Some(json!({"path": "Vertrauen", "color": "#000"}));
        let (m, c) = merge3(base.as_ref(), side(&theirs, 7, "ann"), side(&ours, 9, "bo"));
        assert_eq!(m, Some(json!({"path": "Vertrauen", "color": "#000"})));
        assert_eq!(
            c,
            vec![FieldConflict {
                field: "path".into(),
                kept: json!("Vertrauen"),
                lost: json!("Trust"),
                kept_by: "bo".into(),
                lost_by: "ann".into(),
            }]
        );
        // The same edits the other way round (the earlier one pushed last): same outcome.
        let (m2, c2) = merge3(base.as_ref(), side(&ours, 9, "bo"), side(&theirs, 7, "ann"));
        assert_eq!(m2, m);
        assert_eq!(c2, c);
    }

    #[test]
    fn arrays_of_objects_with_ids_merge_by_element() {
        let base = Some(json!({"r": [{"id": "1", "k": "x"}]}));
        let theirs = Some(json!({"r": [{"id": "1", "k": "x"}, {"id": "2", "k": "y"}]}));
        let ours = Some(json!({"r": [{"id": "1", "k": "z"}, {"id": "3", "k": "w"}]}));
        let (m, c) = merge3(base.as_ref(), side(&theirs, 1, "a"), side(&ours, 2, "b"));
        assert_eq!(
            m,
            Some(
                json!({"r": [{"id": "1", "k": "z"}, {"id": "2", "k": "y"}, {"id": "3", "k": "w"}]})
            )
        );
        assert!(c.is_empty());
        // An element one side removed and the other left alone goes.
        let ours = Some(json!({"r": []}));
        let (m, _) = merge3(base.as_ref(), side(&theirs, 1, "a"), side(&ours, 2, "b"));
        assert_eq!(m, Some(json!({"r": [{"id": "2", "k": "y"}]})));
    }

    #[test]
    fn a_deletion_against_an_edit_is_decided_by_the_clock_and_recorded() {
        let base = Some(json!({"body": "x"}));
        let theirs = Some(json!({"body": "y"}));
        let (m, c) = merge3(base.as_ref(), side(&theirs, 3, "a"), side(&None, 4, "b"));
        assert_eq!(m, None);
        assert_eq!(c[0].field, "");
        assert_eq!(c[0].lost, json!({"body": "y"}));
        let (m, c) = merge3(base.as_ref(), side(&theirs, 5, "a"), side(&None, 4, "b"));
        assert_eq!(m, theirs);
        assert_eq!(c[0].kept_by, "a");
    }

    #[test]
    fn a_new_entity_and_an_unchanged_push_pass_through() {
        let ours = Some(json!({"a": 1}));
        let (m, c) = merge3(None, side(&None, 0, ""), side(&ours, 1, "a"));
        assert_eq!(m, ours);
        assert!(c.is_empty());
        let theirs = Some(json!({"a": 2}));
        let (m, _) = merge3(ours.as_ref(), side(&theirs, 9, "b"), side(&ours, 1, "a"));
        assert_eq!(m, theirs);
    }

    #[test]
    fn a_scope_of_dates_admits_what_overlaps_it() {
        let scope = Scope {
            from: Some("2023-03".into()),
            to: Some("2023-12-31".into()),
            ..Scope::default()
        }
        .checked()
        .unwrap();
        let article = |published: Option<&str>, imported: &str| json!({"published": published, "imported_at": imported});
        assert!(scope.admits_date(&article(Some("2023-03-16"), "2026-01-01")));
        // A year overlaps the range; a month before it does not.
        assert!(scope.admits_date(&article(Some("2023"), "2026-01-01")));
        assert!(!scope.admits_date(&article(Some("2023-02"), "2026-01-01")));
        assert!(!scope.admits_date(&article(Some("2024-01-01"), "2023-05-01")));
        // No publication date: the import's date counts.
        assert!(scope.admits_date(&article(None, "2023-05-01T10:00:00Z")));
        assert!(!scope.admits_date(&article(Some("Frühjahr"), "2026-05-01")));
        assert!(Scope::default().admits_date(&json!({})));
        assert!(Scope::default().is_everything());
        assert!(!scope.is_everything());
    }

    #[test]
    fn a_scope_is_checked() {
        let dated = |from: &str, to: &str| Scope {
            from: Some(from.into()),
            to: Some(to.into()),
            ..Scope::default()
        };
        assert!(dated("2024", "2023").checked().is_err());
        assert!(dated("2024-13", "2025").checked().is_err());
        assert!(dated("spring", "2025").checked().is_err());
        assert_eq!(
            dated(" 2024-1", "2025").checked().map(|s| s.from),
            Err(crate::Error::invalid(
                "not a date:  2024-1 (YYYY, YYYY-MM or YYYY-MM-DD)"
            ))
        );
        let s = Scope {
            codes: vec!["b".into(), "a".into(), "b".into()],
            code_paths: vec!["/Trust/".into(), " ".into()],
            ..Scope::default()
        }
        .checked()
        .unwrap();
        assert_eq!(s.codes, ["a", "b"]);
        assert_eq!(s.code_paths, ["Trust"]);
        assert!(s.has_codes());
        let many = Scope {
            codes: (0..=MAX_SCOPE_CODES).map(|i| i.to_string()).collect(),
            ..Scope::default()
        };
        assert!(many.checked().is_err());
    }

    #[test]
    fn a_stub_keeps_the_metadata_and_drops_the_text() {
        let a = json!({"id": "x", "title": "Qwen", "text": "long", "text_sha256": "ab",
                       "page_starts": [0, 9], "pages": [{"page": 1}], "published": "2024"});
        let s = stub_state(&a);
        assert_eq!(s["text"], "");
        assert_eq!(s["page_starts"], json!([]));
        assert_eq!(s["pages"], json!([]));
        assert_eq!(s["title"], "Qwen");
        assert_eq!(s["text_sha256"], "ab");
        assert!(s.get("languages").is_none());
    }

    #[test]
    fn member_names_are_plain() {
        assert!(valid_member_name("ann.li-2"));
        assert!(valid_member_name("王芳"));
        assert!(!valid_member_name(""));
        assert!(!valid_member_name("a b"));
        assert!(!valid_member_name("../x"));
        assert!(!valid_member_name(".."));
        assert!(!valid_member_name(&"a".repeat(65)));
    }
}
