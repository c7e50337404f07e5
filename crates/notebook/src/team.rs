//! Working as a team: joining a hub, and `sync` — push what changed here,
//! pull what the team changed (see `dossier_model::sync` for the protocol and
//! the merge, `crates/hub` for the hub).
//!
//! What travels is each entity's state, not the operations that made it: an
//! article (its row: metadata and text; its original file separately, by
//! SHA-256), a claim (its row, with its codes named by id), a note (title,
//! body, article), a code, a relation between claims and an entry of a
//! claim's verdict history (each of these three its analyst's). The outbox
//! already names every entity a write touched, in order (a relation or a
//! verdict as a change of its claim), so a push reads the outbox after the
//! last row the hub took; an entity whose state equals its base (what the team
//! last had) is nothing to push — which is also how a pulled change is not
//! pushed back.
//!
//! A pull applies the team's states as ordinary logged writes (`sync` in the
//! history, so the losing value of a conflict stays in the entity's history
//! and an applied change can be undone), except where this notebook changed
//! the entity since its base: that change is pushed next and merged on the hub.
//!
//! Selective sync: a notebook may pull only the articles of its scope whole
//! (codes, dates; [`Scope`]). The hub sends the others as metadata, kept in
//! `team_stub` and listed, not in the article table — so search, exports and
//! `check` see only what is here. The team's claims, notes, relations and
//! verdicts on such an article are held as they came (`team_held`) until the
//! article is pulled — on demand, or by itself once a claim coded in scope
//! arrives for it — and then applied like any pulled change.
//!
//! An article's attribute values and the sets it is in travel in its state
//! (keyed by the names' keys, so they merge one by one); the definitions —
//! attributes, sets with their memos, saved searches — are entities of their
//! own, pushed before the articles that name them.
//!
//! Not synced yet: translations' own history, the glossary, figures' images
//! and tables' structure (a pulled article's blocks are its paragraphs).

use std::collections::HashMap;
use std::time::Duration;

use dossier_model::sync::name_key;
use dossier_model::sync::{
    hlc_after, ConflictEntry, FieldConflict, Hello, PullResponse, PushChange, PushRequest,
    PushResponse, Role, SyncKind, SyncReport, TeamStatus, MAX_BLOB_BYTES, MAX_PULL_CHANGES,
    MAX_PUSH_CHANGES, PROTOCOL,
};
use dossier_model::sync::{
    state_hash, DigestResponse, Divergence, EntitiesRequest, EntityState, PullRequest,
    PulledChange, Scope, ScopeView, StubArticle, VerifyReport, MAX_DIGEST_ENTRIES,
    MAX_ENTITIES_AT_ONCE,
};
use dossier_model::{
    Article, Claim, ClaimRelation, EntityKind, Error, ErrorCode, Note, Result, VerdictChange,
};
use dossier_store::codes::CodeRow;
use dossier_store::journal::EntityRef;
use dossier_store::team::{self, Held, TeamRow};
use dossier_store::{
    articles, attributes, claims, codes, notes, relations, sets, Connection, Write,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::history::{self, ClaimState, CodebookState, Snapshot};
use crate::Notebook;

/// How long one request to the hub may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// Original files sent to or fetched from the hub at once (each up to
/// MAX_BLOB_BYTES in memory).
const FILES_AT_ONCE: usize = 4;
/// Bytes of one answer from the hub (a pull of 1 000 changes with texts).
const MAX_ANSWER_BYTES: u64 = 512 << 20;

/// A hub's address, checked: `http://` only to this machine (tokens must not
/// cross a network in the clear), else `https://`.
fn check_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| Error::invalid(format!("not a hub address: {url} (https://host:port)")))?;
    let host_port = rest.split('/').next().unwrap_or_default();
    if host_port.is_empty() || rest.contains(['?', '#', '@', ' ']) {
        return Err(Error::invalid(format!("not a hub address: {url}")));
    }
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match scheme {
        "http" if loopback => Ok(url.to_string()),
        "http" => Err(Error::invalid(format!(
            "{url}: over plain HTTP your token would cross the network in the clear; \
             use the hub's https:// address (plain http:// only to this machine)"
        ))),
        "https" => Ok(url.to_string()),
        _ => Err(Error::invalid(format!("not a hub address: {url}"))),
    }
}

/// A team's certificate authority file (PEM) is at most this large.
const MAX_CA_BYTES: usize = 1 << 20;

/// The certificates of a team's CA (PEM text), checked: at least one, and
/// nothing else in the file.
fn ca_certificates(pem: &str) -> Result<Vec<ureq::tls::Certificate<'static>>> {
    if pem.len() > MAX_CA_BYTES {
        return Err(Error::invalid(format!(
            "the team's certificate file is larger than {MAX_CA_BYTES} bytes: not a PEM file"
        )));
    }
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem.as_bytes()) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => return Err(Error::invalid(
                "the team's certificate file holds a private key: give the CA's certificate only, \
                     and keep the key where it was",
            )),
            Err(e) => {
                return Err(Error::invalid(format!(
                    "the team's certificate file is not PEM: {e}"
                )))
            }
        }
    }
    if certs.is_empty() {
        return Err(Error::invalid(
            "the team's certificate file holds no certificate (PEM: -----BEGIN CERTIFICATE-----)",
        ));
    }
    Ok(certs)
}

/// `each` for every distinct item (two threads never hold the same file),
/// [`FILES_AT_ONCE`] at a time; the first error stops the rest and is returned.
fn in_parallel<'a>(
    items: impl IntoIterator<Item = &'a str>,
    each: impl Fn(&str) -> Result<()> + Sync,
) -> Result<()> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let mut items: Vec<&str> = items.into_iter().collect();
    items.sort_unstable();
    items.dedup();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || -> Result<()> {
        while !failed.load(Ordering::Relaxed) {
            let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) else {
                return Ok(());
            };
            if let Err(e) = each(item) {
                failed.store(true, Ordering::Relaxed);
                return Err(e);
            }
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..FILES_AT_ONCE.min(items.len()))
            .map(|_| scope.spawn(work))
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err(Error::internal("a file transfer thread panicked")))
        })
    })
}

/// A value for a URL's query: everything but unreserved characters escaped.
fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A team's certificate file, read with its limit.
fn read_ca_file(path: &std::path::Path) -> Result<String> {
    let what = || format!("the team's certificate file {}", path.display());
    let bytes = dossier_model::limits::read_capped(path, MAX_CA_BYTES as u64)
        .map_err(|e| Error::io(what(), e))?;
    let pem = String::from_utf8(bytes)
        .map_err(|_| Error::invalid(format!("{} is not a PEM file", what())))?;
    ca_certificates(&pem)?;
    Ok(pem)
}

/// The hub's HTTP API, with the notebook's token.
struct Hub {
    base: String,
    auth: String,
    agent: ureq::Agent,
}

impl Hub {
    /// `ca`: the team's own certificate authority (PEM) for a hub whose
    /// certificate no public authority signed; without it Mozilla's list of
    /// authorities (built in, so it works offline and alike everywhere).
    fn new(url: &str, token: &str, ca: Option<&str>) -> Result<Hub> {
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(pem) = ca {
            tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&ca_certificates(pem)?));
        }
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .tls_config(tls.build())
            .build();
        Ok(Hub {
            base: check_url(url)?,
            auth: format!("Bearer {}", token.trim()),
            agent: config.into(),
        })
    }

    fn unreachable(&self, e: ureq::Error) -> Error {
        // rustls' verdict on a certificate reaches here inside an IO error.
        let untrusted = match &e {
            ureq::Error::Rustls(_) | ureq::Error::Tls(_) => true,
            ureq::Error::Io(io) => io.to_string().contains("peer certificate"),
            _ => false,
        };
        let hint = if untrusted {
            " — the hub's certificate is not trusted here: if the team has its own certificate \
                 authority, join with its certificate (--ca FILE)"
        } else {
            ""
        };
        Error::new(
            ErrorCode::Unreachable,
            format!("the team hub at {} cannot be reached: {e}{hint}", self.base),
        )
    }

    /// The body of an answer, or the error the hub sent as `{code, message}`.
    fn answer(
        &self,
        resp: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Vec<u8>> {
        let mut resp = resp.map_err(|e| self.unreachable(e))?;
        let status = resp.status();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(|e| self.unreachable(e))?;
        if status.is_success() {
            return Ok(body);
        }
        Err(serde_json::from_slice::<Error>(&body).unwrap_or_else(|_| {
            Error::new(
                ErrorCode::Io,
                format!(
                    "the team hub answered {status}: {}",
                    String::from_utf8_lossy(&body[..body.len().min(200)])
                ),
            )
        }))
    }

    /// Who the token is, checked to speak this Dossier's protocol.
    fn hello(&self) -> Result<Hello> {
        let hello: Hello = self.get("/v1/hello")?;
        if hello.protocol != PROTOCOL {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!(
                    "the hub speaks sync protocol {}, this Dossier {PROTOCOL}: update the older one",
                    hello.protocol
                ),
            ));
        }
        Ok(hello)
    }

    fn json<R: DeserializeOwned>(&self, body: &[u8]) -> Result<R> {
        serde_json::from_slice(body).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("the team hub's answer is not understood: {e}"),
            )
        })
    }

    fn get<R: DeserializeOwned>(&self, path: &str) -> Result<R> {
        let r = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Authorization", &self.auth)
            .call();
        let body = self.answer(r)?;
        self.json(&body)
    }

    fn post<T: Serialize, R: DeserializeOwned>(&self, path: &str, value: &T) -> Result<R> {
        let bytes = serde_json::to_vec(value).map_err(|e| Error::internal(e.to_string()))?;
        let r = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Authorization", &self.auth)
            .header("Content-Type", "application/json")
            .send(&bytes[..]);
        let body = self.answer(r)?;
        self.json(&body)
    }

    fn put_blob(&self, sha: &str, bytes: &[u8]) -> Result<()> {
        let r = self
            .agent
            .put(&format!("{}/v1/blobs/{sha}", self.base))
            .header("Authorization", &self.auth)
            .header("Content-Type", "application/octet-stream")
            .send(bytes);
        self.answer(r).map(|_| ())
    }

    /// An original file, checked against its hash; `None` when the hub has none.
    fn get_blob(&self, sha: &str) -> Result<Option<Vec<u8>>> {
        let r = self
            .agent
            .get(&format!("{}/v1/blobs/{sha}", self.base))
            .header("Authorization", &self.auth)
            .call();
        match self.answer(r) {
            Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == sha => Ok(Some(bytes)),
            Ok(_) => Err(Error::new(
                ErrorCode::Io,
                format!("the team hub sent a file that is not {sha}"),
            )),
            Err(e) if e.code == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn to_value<T: Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::internal(e.to_string()))
}

fn from_value<T: DeserializeOwned>(v: &Value, what: &str) -> Result<T> {
    serde_json::from_value(v.clone()).map_err(|e| {
        Error::invalid(format!(
            "the team's {what} is not one this Dossier reads: {e}"
        ))
    })
}

/// How an entity travels: a claim names its codes by id (a code renamed on
/// another machine stays the same code) and leaves out its verdict (the latest
/// of its verdicts, which travel on their own) and `updated_at` (local); a note
/// leaves out its links (resolved here).
fn state_of(c: &Connection, kind: SyncKind, id: &str) -> Result<Option<Value>> {
    Ok(match kind {
        SyncKind::Article => match articles::get(c, id)? {
            None => None,
            Some(a) => {
                let mut v = to_value(&a)?;
                if let Some(o) = v.as_object_mut() {
                    // Its attribute values and sets, by their names' keys (merged one by one);
                    // left out when it has none, as articles synced before them were.
                    let values: serde_json::Map<String, Value> =
                        attributes::stored_of_article(c, id)?
                            .into_iter()
                            .map(|v| (name_key(&v.name), Value::String(v.value)))
                            .collect();
                    if !values.is_empty() {
                        o.insert("attributes".into(), Value::Object(values));
                    }
                    let in_sets: serde_json::Map<String, Value> = sets::of_article(c, id)?
                        .into_iter()
                        .map(|s| (name_key(&s), Value::Bool(true)))
                        .collect();
                    if !in_sets.is_empty() {
                        o.insert("sets".into(), Value::Object(in_sets));
                    }
                }
                Some(v)
            }
        },
        SyncKind::Claim => match claims::get(c, id)? {
            None => None,
            Some(claim) => {
                let mut ids = Vec::with_capacity(claim.codes.len());
                for path in &claim.codes {
                    ids.extend(codes::by_path(c, path)?.map(|code| code.id));
                }
                ids.sort();
                let mut v = to_value(&claim)?;
                if let Some(o) = v.as_object_mut() {
                    // The verdict is its history's latest entry (verdicts travel on their
                    // own), and `updated_at` moves here when others reply to the claim.
                    o.remove("verdict");
                    o.remove("updated_at");
                    o.insert("codes".into(), to_value(&ids)?);
                }
                Some(v)
            }
        },
        SyncKind::Note => match notes::get(c, id)? {
            None => None,
            Some(n) => {
                let mut v = to_value(&n)?;
                if let Some(o) = v.as_object_mut() {
                    o.remove("links");
                }
                Some(v)
            }
        },
        SyncKind::Code => codes::row(c, id)?.map(|r| to_value(&r)).transpose()?,
        SyncKind::Relation => relations::get(c, id)?.map(|r| to_value(&r)).transpose()?,
        SyncKind::Verdict => relations::verdict(c, id)?
            .map(|v| to_value(&v))
            .transpose()?,
        // Definitions without their place in this notebook's order (each keeps its own).
        SyncKind::Attribute => attributes::def(c, id)?.map(
            |d| serde_json::json!({"name": d.name, "type": d.kind.as_str(), "choices": d.choices}),
        ),
        SyncKind::Set => sets::get(c, id)?
            .map(|s| serde_json::json!({"name": s.name, "description": s.description})),
        SyncKind::SavedSearch => sets::saved_one(c, id)?
            .map(|(s, _)| serde_json::json!({"name": s.name, "query": s.query})),
    })
}

/// Makes an article's attribute values and sets here what its team state
/// says (values of attributes, and sets, not defined here are left out).
fn apply_meta(c: &Connection, id: &str, state: &Value) -> Result<()> {
    let want_values = state.get("attributes").and_then(Value::as_object);
    let have = attributes::stored_of_article(c, id)?;
    for h in &have {
        if !want_values.is_some_and(|m| m.contains_key(&name_key(&h.name))) {
            attributes::clear(c, id, &h.name)?;
        }
    }
    for (key, value) in want_values.into_iter().flatten() {
        let Some(value) = value.as_str() else {
            return Err(Error::invalid("the team's attribute value is not text"));
        };
        let Some(def) = attributes::def(c, key)? else {
            continue;
        };
        let n = def.normalize(value)?;
        if have
            .iter()
            .any(|h| name_key(&h.name) == *key && h.value == n.text)
        {
            continue;
        }
        attributes::put(
            c,
            &attributes::StoredValue {
                article_id: id.to_string(),
                name: def.name,
                value: n.text,
                low: n.low,
                high: n.high,
            },
        )?;
    }
    let want_sets = state.get("sets").and_then(Value::as_object);
    let in_sets = sets::of_article(c, id)?;
    for name in &in_sets {
        if !want_sets.is_some_and(|m| m.contains_key(&name_key(name))) {
            sets::remove(c, name, &[id.to_string()])?;
        }
    }
    for key in want_sets.into_iter().flatten().map(|(k, _)| k) {
        if in_sets.iter().any(|s| name_key(s) == *key) {
            continue;
        }
        if let Some(set) = sets::get(c, key)? {
            sets::add(c, &set.name, &[id.to_string()])?;
        }
    }
    Ok(())
}

/// The name a team's definition gives itself, checked against its key.
fn own_name(v: &Value, id: &str, what: &str) -> Result<String> {
    let name = dossier_model::attributes::valid_name(
        v.get("name").and_then(Value::as_str).unwrap_or_default(),
    )?;
    if name_key(&name) != id {
        return Err(Error::invalid(format!(
            "the team's {what} does not name itself"
        )));
    }
    Ok(name)
}

/// An attribute's definition from the team: changed in place (its values
/// stay), made, or deleted with its values.
fn apply_attribute(c: &Connection, id: &str, state: Option<&Value>) -> Result<()> {
    let entity = EntityRef::new(EntityKind::Attribute, id);
    let before = history::snapshot(c, &entity)?;
    let Some(v) = state else {
        return deleted_here(c, &entity, before, || attributes::undefine(c, id));
    };
    let name = own_name(v, id, "attribute")?;
    let kind = v
        .get("type")
        .and_then(Value::as_str)
        .and_then(dossier_model::attributes::AttributeType::parse)
        .ok_or_else(|| Error::invalid("the team's attribute has no type this Dossier knows"))?;
    let choices: Vec<String> = from_value(
        v.get("choices").unwrap_or(&Value::Array(Vec::new())),
        "attribute's choices",
    )?;
    let def = dossier_model::attributes::AttributeDef {
        name,
        kind,
        choices: dossier_model::attributes::valid_choices(kind, &choices)?,
        used_by: 0,
    };
    if before.is_some() {
        attributes::redefine(c, id, &def)?;
    } else {
        attributes::define(c, &def, None)?;
    }
    let after = history::snapshot(c, &entity)?;
    log_sync(c, &entity, before, after)
}

/// A set from the team: its memo changed, made, or deleted (its articles stay).
fn apply_set(c: &Connection, id: &str, state: Option<&Value>) -> Result<()> {
    let entity = EntityRef::new(EntityKind::Set, id);
    let before = history::snapshot(c, &entity)?;
    let Some(v) = state else {
        return deleted_here(c, &entity, before, || sets::delete(c, id));
    };
    let name = own_name(v, id, "set")?;
    let description = v
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if description.chars().count() > dossier_model::attributes::MAX_DESCRIPTION_CHARS {
        return Err(Error::invalid("the team's set has too long a memo"));
    }
    if before.is_some() {
        sets::describe(c, id, description)?;
    } else {
        sets::create(c, &name, description, None)?;
    }
    let after = history::snapshot(c, &entity)?;
    log_sync(c, &entity, before, after)
}

fn apply_saved_search(c: &Connection, id: &str, state: Option<&Value>) -> Result<()> {
    let entity = EntityRef::new(EntityKind::SavedSearch, id);
    let before = history::snapshot(c, &entity)?;
    let Some(v) = state else {
        return deleted_here(c, &entity, before, || sets::unsave(c, id));
    };
    let name = own_name(v, id, "saved search")?;
    let query = v
        .get("query")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim();
    if query.is_empty() || query.chars().count() > dossier_model::limits::MAX_QUERY_CHARS {
        return Err(Error::invalid(
            "the team's saved search has no query it may have",
        ));
    }
    // A name here in another case keeps its case (and its place).
    let name = match sets::saved_one(c, id)? {
        Some((s, _)) => s.name,
        None => name,
    };
    sets::save(
        c,
        &dossier_model::attributes::SavedSearch {
            name,
            query: query.to_string(),
        },
        None,
    )?;
    let after = history::snapshot(c, &entity)?;
    log_sync(c, &entity, before, after)
}

/// The relations (from it) and verdicts of a claim, with those the team knew
/// of that are gone here: a change of them is logged as a change of the claim.
fn companions(c: &Connection, claim_id: &str) -> Result<Vec<(SyncKind, String)>> {
    let mut keys: Vec<(SyncKind, String)> = Vec::new();
    for r in relations::of_claim(c, claim_id)? {
        if r.from_id == claim_id {
            keys.push((SyncKind::Relation, r.id));
        }
    }
    for v in relations::verdicts(c, claim_id)? {
        keys.push((SyncKind::Verdict, v.id));
    }
    for kind in [SyncKind::Relation, SyncKind::Verdict] {
        for id in team::based_on_claim(c, kind, claim_id)? {
            if !keys.iter().any(|(k, i)| *k == kind && *i == id) {
                keys.push((kind, id));
            }
        }
    }
    Ok(keys)
}

fn state_json(c: &Connection, kind: SyncKind, id: &str) -> Result<Option<String>> {
    Ok(state_of(c, kind, id)?.map(|v| v.to_string()))
}

/// An entity's base as this notebook keeps it: its clock and state.
fn base_of(c: &Connection, kind: SyncKind, id: &str) -> Result<Option<(u64, Option<Value>)>> {
    team::base(c, kind, id)?
        .map(|(hlc, state)| {
            let state = state
                .map(|s| serde_json::from_str::<Value>(&s).map_err(dossier_store::journal::corrupt))
                .transpose()?;
            Ok((hlc, state))
        })
        .transpose()
}

/// The original file an article's state names.
fn article_file(state: Option<&Value>) -> Option<&str> {
    state?.get("sha256")?.as_str()
}

/// Logs a change the team made to an entity, as the history shows it.
fn log_sync(
    c: &Connection,
    entity: &EntityRef,
    before: Option<Snapshot>,
    after: Option<Snapshot>,
) -> Result<()> {
    let trashed = matches!(
        entity.kind,
        EntityKind::Article | EntityKind::Claim | EntityKind::Note
    );
    match (before, after) {
        (None, None) => Ok(()),
        (Some(b), None) if trashed => history::log_delete(c, entity, b),
        // Definitions go without the trash, as when removed here (undo brings them back).
        (Some(b), None) => history::log(c, None, entity, "remove", &Some(b), &None),
        (before, after) => history::log(c, None, entity, "sync", &before, &after),
    }
}

/// The team deleted `entity`: it goes here too (logged, to the trash) if it is here.
fn deleted_here<T>(
    c: &Connection,
    entity: &EntityRef,
    before: Option<Snapshot>,
    delete: impl FnOnce() -> Result<T>,
) -> Result<()> {
    if before.is_some() {
        delete()?;
        log_sync(c, entity, before, None)?;
    }
    Ok(())
}

fn apply_article(c: &Connection, id: &str, state: Option<&Value>) -> Result<()> {
    let entity = EntityRef::new(EntityKind::Article, id);
    let before = history::snapshot(c, &entity)?;
    let Some(v) = state else {
        return deleted_here(c, &entity, before, || articles::delete(c, id));
    };
    let a: Article = from_value(v, "article")?;
    if a.id != id || !dossier_model::limits::is_sha256_hex(&a.sha256) {
        return Err(Error::invalid(
            "the team's article does not name itself or its file",
        ));
    }
    if before.is_some() {
        articles::put_metadata(c, &a)?;
        apply_meta(c, id, v)?;
        let after = history::snapshot(c, &entity)?;
        return log_sync(c, &entity, before, after);
    }
    if hex::encode(Sha256::digest(a.text.as_bytes())) != a.text_sha256 {
        return Err(Error::invalid(
            "the team's article text does not have its SHA-256",
        ));
    }
    // A new article is not logged (as an import is not): deleting it undoes it.
    articles::insert(c, &a)?;
    apply_meta(c, id, v)?;
    dossier_store::journal::feed(c, EntityKind::Article.as_str(), id)
}

fn apply_claim(c: &Connection, id: &str, state: Option<&Value>) -> Result<()> {
    let entity = EntityRef::new(EntityKind::Claim, id);
    let before = history::snapshot(c, &entity)?;
    let Some(v) = state else {
        return deleted_here(c, &entity, before, || claims::delete(c, id));
    };
    let mut v = v.clone();
    let (relations, verdicts, verdict) = match &before {
        Some(Snapshot::Claim(s)) => (s.relations.clone(), s.verdicts.clone(), s.claim.verdict),
        _ => (Vec::new(), Vec::new(), dossier_model::Verdict::default()),
    };
    let mut paths = Vec::new();
    if let Some(ids) = v.get("codes").and_then(Value::as_array) {
        for code_id in ids.iter().filter_map(Value::as_str) {
            paths.extend(codes::row(c, code_id)?.map(|r| r.path));
        }
    }
    if let Some(o) = v.as_object_mut() {
        o.insert("codes".into(), to_value(&paths)?);
        o.insert("verdict".into(), to_value(&verdict)?);
        // Changed here now: when the team's change arrived.
        o.insert("updated_at".into(), Value::String(dossier_store::now()));
    }
    let claim: Claim = from_value(&v, "claim")?;
    if claim.id != id {
        return Err(Error::invalid("the team's claim does not name itself"));
    }
    if !articles::exists(c, &claim.article_id)? {
        return Err(Error::not_found("article of the claim", &claim.article_id));
    }
    history::apply(
        c,
        &entity,
        Some(Snapshot::Claim(Box::new(ClaimState {
            claim,
            relations,
            verdicts,
        }))),
    )?;
    let after = history::snapshot(c, &entity)?;
    log_sync(c, &entity, before, after)
}

/// A relation the team made, changed or deleted, logged as a change of its
/// `from` claim (both claims show it and are re-indexed); both must be here.
fn apply_relation(c: &Connection, id: &str, state: Option<&Value>) -> Result<()> {
    let relation: Option<ClaimRelation> = state.map(|v| from_value(v, "relation")).transpose()?;
    let from = match (&relation, relations::get(c, id)?) {
        (Some(r), _) => r.from_id.clone(),
        (None, Some(here)) => here.from_id,
        (None, None) => return Ok(()), // never here, or gone with its claim
    };
    if let Some(r) = &relation {
        if r.id != id {
            return Err(Error::invalid("the team's relation does not name itself"));
        }
        for end in [&r.from_id, &r.to_id] {
            if claims::get(c, end)?.is_none() {
                return Err(Error::not_found("claim of the relation", end));
            }
        }
    }
    let entity = EntityRef::new(EntityKind::Claim, &from);
    let before = history::snapshot(c, &entity)?;
    relations::delete(c, id)?;
    if let Some(r) = &relation {
        relations::restore(c, r)?;
    }
    let after = history::snapshot(c, &entity)?;
    log_sync(c, &entity, before, after)
}

/// An entry of a claim's verdict history from the team (entries are never
/// changed), logged as a change of its claim; the claim's current verdict is
/// its history's latest entry.
fn apply_verdict(c: &Connection, id: &str, state: Option<&Value>) -> Result<()> {
    let verdict: Option<VerdictChange> = state.map(|v| from_value(v, "verdict")).transpose()?;
    let claim_id = match (&verdict, relations::verdict(c, id)?) {
        (Some(v), _) => v.claim_id.clone(),
        (None, Some(here)) => here.claim_id,
        (None, None) => return Ok(()), // never here, or gone with its claim
    };
    if verdict.as_ref().is_some_and(|v| v.id != id) {
        return Err(Error::invalid("the team's verdict does not name itself"));
    }
    let entity = EntityRef::new(EntityKind::Claim, &claim_id);
    let before = history::snapshot(c, &entity)?;
    if before.is_none() {
        return Err(Error::not_found("claim of the verdict", &claim_id));
    }
    match &verdict {
        Some(v) => relations::restore_verdict(c, v)?,
        None => relations::delete_verdict(c, id)?,
    }
    let latest = current_verdict(&relations::verdicts(c, &claim_id)?);
    relations::restore_current_verdict(c, &claim_id, latest)?;
    let after = history::snapshot(c, &entity)?;
    log_sync(c, &entity, before, after)
}

/// The verdict a history ends with (unverified when it is empty).
fn current_verdict(history: &[VerdictChange]) -> dossier_model::Verdict {
    history.last().map(|v| v.verdict).unwrap_or_default()
}

fn apply_note(c: &Connection, id: &str, state: Option<&Value>) -> Result<()> {
    let entity = EntityRef::new(EntityKind::Note, id);
    let before = history::snapshot(c, &entity)?;
    let Some(v) = state else {
        return deleted_here(c, &entity, before, || notes::delete(c, id));
    };
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.insert("links".into(), Value::Array(Vec::new()));
    }
    let note: Note = from_value(&v, "note")?;
    if note.id != id {
        return Err(Error::invalid("the team's note does not name itself"));
    }
    history::apply(c, &entity, Some(Snapshot::Note(Box::new(note))))?;
    let after = history::snapshot(c, &entity)?;
    log_sync(c, &entity, before, after)
}

/// Applies a run of code changes as one change of the code table (so a
/// rename of a parent and its children, or a swap of two paths, never meets
/// itself half-way). A new code whose path a code of this notebook already
/// has is the same code made twice: every notebook keeps the one with the
/// smaller id (links move to it), so all of them converge on one.
fn apply_codes(c: &Connection, changes: &[(String, Option<Value>)]) -> Result<()> {
    let entity = EntityRef::new(EntityKind::Codebook, "team");
    let mut rows: Vec<CodeRow> = codes::rows(c)?;
    let mut relink: HashMap<String, String> = HashMap::new(); // from -> to
    for (id, state) in changes {
        rows.retain(|r| &r.id != id);
        let Some(v) = state else { continue };
        let row: CodeRow = from_value(v, "code")?;
        if &row.id != id {
            return Err(Error::invalid("the team's code does not name itself"));
        }
        if let Some(twin) = rows.iter().position(|r| r.path == row.path) {
            if rows[twin].id < row.id {
                continue; // ours stays; the team's twin is deleted when this notebook pushes
            }
            let old = rows.remove(twin);
            for r in rows
                .iter_mut()
                .filter(|r| r.parent_id.as_deref() == Some(&old.id))
            {
                r.parent_id = Some(row.id.clone());
            }
            relink.insert(old.id, row.id.clone());
        }
        rows.push(row);
    }
    // Claims under a code that goes to its twin keep it under the twin.
    let mut touched = Vec::new();
    for from in relink.keys() {
        touched.extend(codes::claims_of_code(c, from)?);
    }
    touched.sort();
    touched.dedup();
    let links = codes::links_of(c, &touched)?
        .into_iter()
        .map(|(claim, code)| {
            let code = relink.get(&code).cloned().unwrap_or(code);
            (claim, code)
        })
        .collect();
    let before = history::codebook_state(c, &touched)?;
    history::apply(
        c,
        &entity,
        Some(Snapshot::Codebook(Box::new(CodebookState {
            codes: rows,
            claims: touched.clone(),
            links,
        }))),
    )?;
    let after = history::codebook_state(c, &touched)?;
    log_sync(
        c,
        &entity,
        Some(Snapshot::Codebook(Box::new(before))),
        Some(Snapshot::Codebook(Box::new(after))),
    )
}

/// Records a change this notebook could not take as it came, for the conflicts list.
fn not_applied(
    c: &Connection,
    seq: i64,
    kind: SyncKind,
    id: &str,
    analyst: &str,
    state: Option<&Value>,
    why: &Error,
) -> Result<()> {
    team::add_conflict(
        c,
        seq,
        kind,
        id,
        &FieldConflict {
            field: String::new(),
            kept: Value::String(format!("not applied here: {}", why.message)),
            lost: state.cloned().unwrap_or(Value::Null),
            kept_by: String::new(),
            lost_by: analyst.to_string(),
        },
    )
}

/// The scope a notebook keeps (`team.scope`: the codes chosen, not yet their subtrees).
fn kept_scope(t: &TeamRow) -> Result<Option<Scope>> {
    t.scope
        .as_deref()
        .map(|s| serde_json::from_str::<Scope>(s).map_err(dossier_store::journal::corrupt))
        .transpose()
}

/// The scope as the hub and the local checks read it: each chosen code with
/// every code under it now (a code chosen and since deleted still counts, so
/// that a scope of codes never widens to everything).
fn expanded(c: &Connection, scope: &Scope) -> Result<Scope> {
    if !scope.has_codes() {
        return Ok(scope.clone());
    }
    let rows = codes::rows(c)?;
    // Paths of codes that have come since the scope was set count as those codes here.
    let mut roots = scope.codes.clone();
    for p in &scope.code_paths {
        roots.extend(rows.iter().filter(|r| &r.path == p).map(|r| r.id.clone()));
    }
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in &rows {
        if let Some(p) = r.parent_id.as_deref() {
            children.entry(p).or_default().push(&r.id);
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut stack: Vec<&str> = roots.iter().map(String::as_str).collect();
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            out.push(id.to_string());
            stack.extend(children.get(id).into_iter().flatten().copied());
        }
    }
    out.sort();
    Ok(Scope {
        codes: out,
        ..scope.clone()
    })
}

/// Whether an article not pulled lies in `scope` (expanded) by what this
/// notebook knows of it: its dates, and the codes of the claims held for it.
fn stub_in_scope(c: &Connection, scope: &Scope, article_id: &str) -> Result<bool> {
    let Some((_, _, state)) = team::stub(c, article_id)? else {
        return Ok(false);
    };
    let state: Value = serde_json::from_str(&state).map_err(dossier_store::journal::corrupt)?;
    if !scope.admits(&state) {
        return Ok(false);
    }
    if !scope.has_codes() {
        return Ok(true);
    }
    for h in team::held_for(c, article_id, Some(SyncKind::Claim))? {
        let claim: Value =
            serde_json::from_str(&h.state).map_err(dossier_store::journal::corrupt)?;
        let coded = claim
            .get("codes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|id| scope.codes.binary_search_by(|s| s.as_str().cmp(id)).is_ok());
        if coded {
            return Ok(true);
        }
    }
    Ok(false)
}

/// For a notebook with a scope: keeps a change of the team that concerns an
/// article not pulled (the article's metadata in `team_stub`, the work on it
/// in `team_held`) instead of applying it; true when it was kept (or was the
/// deletion of something kept). `touched` gains the articles not pulled that
/// a claim arrived for (they may have come into scope).
fn hold_if_outside(
    c: &Connection,
    ch: &PulledChange,
    touched: &mut std::collections::HashSet<String>,
) -> Result<bool> {
    let holdable = matches!(
        ch.kind,
        SyncKind::Claim | SyncKind::Note | SyncKind::Relation | SyncKind::Verdict
    );
    if !holdable && ch.kind != SyncKind::Article {
        return Ok(false); // the codebook and definitions are everyone's, always here
    }
    let held = match holdable {
        true => team::held_waits_for(c, ch.kind, &ch.id)?,
        false => None,
    };
    let Some(state) = &ch.state else {
        return match ch.kind {
            // Deleted by the team: what was kept of it goes.
            SyncKind::Article => team::drop_stub(c, &ch.id, true),
            kind => match held {
                Some(_) => team::unhold(c, kind, &ch.id),
                None => Ok(false),
            },
        };
    };
    let stubbed =
        |id: &str| -> Result<Option<String>> { Ok(team::stub(c, id)?.map(|_| id.to_string())) };
    let waits_for = match ch.kind {
        SyncKind::Article => {
            if ch.stub && !articles::exists(c, &ch.id)? {
                team::put_stub(c, &ch.id, ch.seq, ch.hlc, &state.to_string())?;
                return Ok(true);
            }
            // Whole, or here already (its metadata is applied to the article here).
            return Ok(false);
        }
        SyncKind::Code | SyncKind::Attribute | SyncKind::Set | SyncKind::SavedSearch => {
            return Ok(false)
        }
        SyncKind::Claim | SyncKind::Note => match state.get("article_id").and_then(Value::as_str) {
            Some(article) => stubbed(article)?,
            None => None,
        },
        SyncKind::Relation => {
            let mut w = None;
            for end in ["from_id", "to_id"] {
                if let Some(claim) = state.get(end).and_then(Value::as_str) {
                    w = w.or(team::held_waits_for(c, SyncKind::Claim, claim)?);
                }
            }
            w
        }
        SyncKind::Verdict => match state.get("claim_id").and_then(Value::as_str) {
            Some(claim) => team::held_waits_for(c, SyncKind::Claim, claim)?,
            None => None,
        },
    };
    match waits_for {
        Some(article) => {
            if ch.kind == SyncKind::Claim {
                touched.insert(article.clone());
            }
            team::hold(
                c,
                &Held {
                    kind: ch.kind,
                    id: ch.id.clone(),
                    waits_for: article,
                    seq: ch.seq,
                    hlc: ch.hlc,
                    analyst: ch.analyst.clone(),
                    state: state.to_string(),
                },
            )?;
            Ok(true)
        }
        None => {
            if held.is_some() {
                team::unhold(c, ch.kind, &ch.id)?;
            }
            Ok(false)
        }
    }
}

/// The order held changes are applied in once their article is here: claims
/// before what hangs on them.
fn held_rank(kind: SyncKind) -> u8 {
    match kind {
        SyncKind::Claim => 0,
        SyncKind::Note => 1,
        SyncKind::Relation => 2,
        _ => 3,
    }
}

/// An article not pulled as the analyst sees it in the list.
fn stub_article(state: &str, claims: i64) -> Result<StubArticle> {
    let a: Article = serde_json::from_str(state).map_err(dossier_store::journal::corrupt)?;
    Ok(StubArticle {
        id: a.id,
        title: a.title,
        author: a.author,
        published: a.published,
        source_url: a.source_url,
        language: a.language,
        original_name: a.original_name,
        media_type: a.media_type,
        claims: u32::try_from(claims).unwrap_or(u32::MAX),
    })
}

impl Notebook {
    fn team_row(&self) -> Result<TeamRow> {
        self.core.store.read(|c| self.team_row_in(c))
    }

    fn team_row_in(&self, c: &Connection) -> Result<TeamRow> {
        team::get(c)?.ok_or_else(|| {
            Error::invalid(
                "this notebook is not in a team: `dossier team join URL --token T` first",
            )
        })
    }

    /// Sets which of the team's articles this notebook pulls whole: those
    /// coded with one of `codes` (paths; each with everything under it) and
    /// dated within `from`–`to`; `None` (or nothing given) for all of them.
    /// The next sync pulls the articles not pulled that the scope now takes
    /// in; articles already here stay, whatever the scope.
    pub fn team_scope(&self, scope: Option<ScopeView>) -> Result<TeamStatus> {
        self.team_row()?;
        self.core.store.write(Write::Sync, |c| {
            let kept = match scope {
                None => None,
                Some(v) => {
                    // A code not here yet (a scope set before the first sync) is named by
                    // its path, which the hub resolves in the team's codebook.
                    let (mut ids, mut paths) = (Vec::new(), Vec::new());
                    for path in &v.codes {
                        let path = path.trim().trim_matches('/');
                        match codes::by_path(c, path)? {
                            Some(code) => ids.push(code.id),
                            None if !path.is_empty() => paths.push(path.to_string()),
                            None => {}
                        }
                    }
                    let s = Scope {
                        codes: ids,
                        code_paths: paths,
                        from: v.from.filter(|d| !d.trim().is_empty()),
                        to: v.to.filter(|d| !d.trim().is_empty()),
                        sets: v.sets,
                        attributes: v.attributes,
                    }
                    .checked()?;
                    (!s.is_everything()).then_some(s)
                }
            };
            let json = kept
                .as_ref()
                .map(to_value)
                .transpose()?
                .map(|v| v.to_string());
            team::set_scope(c, json.as_deref())
        })?;
        self.team_status()?
            .ok_or_else(|| Error::internal("the team link was lost"))
    }

    /// The team's articles this notebook has not pulled (outside its scope),
    /// the latest dated first.
    pub fn team_stubs(&self, limit: usize) -> Result<Vec<StubArticle>> {
        self.core.store.read(|c| {
            team::stubs(c, limit.min(100_000), None)?
                .into_iter()
                .map(|(state, claims)| stub_article(&state, claims))
                .collect()
        })
    }

    /// Pulls articles not pulled (by id) with the team's work on them now.
    pub fn team_pull(&self, ids: &[String]) -> Result<SyncReport> {
        let t = self.team_row()?;
        self.core.store.read(|c| {
            for id in ids {
                if team::stub(c, id)?.is_none() {
                    return Err(if articles::exists(c, id)? {
                        Error::invalid(format!("article {id} is here already"))
                    } else {
                        Error::not_found("article of the team not pulled", id)
                    });
                }
            }
            Ok(())
        })?;
        let hub = Hub::new(&t.url, &t.token, t.ca.as_deref())?;
        hub.hello()?;
        let mut report = SyncReport::default();
        self.fetch_stubs(&hub, ids, &mut report)?;
        self.nudge();
        Ok(report)
    }

    /// Pulls these articles not pulled whole from the hub, with the work held
    /// for them; counted in `report.pulled`.
    fn fetch_stubs(&self, hub: &Hub, ids: &[String], report: &mut SyncReport) -> Result<()> {
        for chunk in ids.chunks(MAX_ENTITIES_AT_ONCE) {
            let states: Vec<EntityState> = hub.post(
                "/v1/entities",
                &EntitiesRequest {
                    kind: SyncKind::Article,
                    ids: chunk.to_vec(),
                },
            )?;
            self.fetch_originals(
                hub,
                states
                    .iter()
                    .filter_map(|st| article_file(st.state.as_ref())),
            )?;
            let (pulled, conflicts) = self.logged_team(|c| {
                let (mut pulled, mut conflicts) = (0u32, 0u32);
                for st in states.iter().filter(|st| st.kind == SyncKind::Article) {
                    let Some((seq, _, _)) = team::stub(c, &st.id)? else {
                        continue; // here already
                    };
                    let Some(state) = &st.state else {
                        team::drop_stub(c, &st.id, true)?; // the team deleted it meanwhile
                        continue;
                    };
                    match dossier_store::savepoint(c, || apply_article(c, &st.id, Some(state)))? {
                        Ok(()) => {
                            let now = state_json(c, SyncKind::Article, &st.id)?;
                            team::set_base(c, SyncKind::Article, &st.id, st.hlc, now.as_deref())?;
                            conflicts += self.release(c, &st.id)?;
                            pulled += 1;
                        }
                        Err(e) => {
                            not_applied(c, seq, SyncKind::Article, &st.id, "", Some(state), &e)?;
                            conflicts += 1;
                        }
                    }
                }
                Ok((pulled, conflicts))
            })?;
            report.pulled += pulled;
            report.conflicts += conflicts;
        }
        Ok(())
    }

    /// An article not pulled is here now: what was held for it is applied
    /// (or held again for another article not pulled, a relation to a claim
    /// there); returns the changes that could not be applied.
    fn release(&self, c: &Connection, article_id: &str) -> Result<u32> {
        team::drop_stub(c, article_id, false)?;
        let mut held = team::held_for(c, article_id, None)?;
        held.sort_by_key(|h| (held_rank(h.kind), h.seq));
        let mut failed = 0;
        for h in held {
            team::unhold(c, h.kind, &h.id)?;
            let state: Value =
                serde_json::from_str(&h.state).map_err(dossier_store::journal::corrupt)?;
            let ch = PulledChange {
                seq: h.seq,
                kind: h.kind,
                id: h.id.clone(),
                analyst: h.analyst.clone(),
                origin: String::new(),
                hlc: h.hlc,
                state: Some(state),
                conflicts: Vec::new(),
                stub: false,
            };
            if hold_if_outside(c, &ch, &mut Default::default())? {
                continue;
            }
            match dossier_store::savepoint(c, || {
                self.apply_one(c, h.kind, &h.id, ch.state.as_ref())
            })? {
                Ok(()) => {
                    let now = state_json(c, h.kind, &h.id)?;
                    team::set_base(c, h.kind, &h.id, h.hlc, now.as_deref())?;
                }
                Err(e) => {
                    not_applied(c, h.seq, h.kind, &h.id, &h.analyst, ch.state.as_ref(), &e)?;
                    failed += 1;
                }
            }
        }
        Ok(failed)
    }

    /// Links this notebook to a team's hub with an analyst's token (checked
    /// with the hub). Nothing is sent yet: the next `sync` pushes the notebook
    /// and pulls the team. `ca_file`: the team's own certificate authority
    /// (PEM), for a hub whose certificate no public authority signed; it is
    /// kept with the link.
    pub fn team_join(
        &self,
        url: &str,
        token: &str,
        ca_file: Option<&std::path::Path>,
    ) -> Result<TeamStatus> {
        let ca = ca_file.map(read_ca_file).transpose()?;
        let hub = Hub::new(url, token, ca.as_deref())?;
        let hello = hub.hello()?;
        let origin = dossier_store::new_id();
        self.core.store.write(Write::Sync, |c| {
            team::join(
                c,
                &hub.base,
                token.trim(),
                &hello.analyst,
                hello.role,
                &origin,
                ca.as_deref(),
            )
        })?;
        self.team_status()?
            .ok_or_else(|| Error::internal("the team link was not kept"))
    }

    /// The team this notebook is in, if any.
    pub fn team_status(&self) -> Result<Option<TeamStatus>> {
        self.core.store.read(|c| {
            let Some(t) = team::get(c)? else {
                return Ok(None);
            };
            let scope = match kept_scope(&t)? {
                Some(s) => {
                    let mut paths = Vec::with_capacity(s.codes.len());
                    for id in &s.codes {
                        paths.push(codes::row(c, id)?.map_or_else(|| id.clone(), |r| r.path));
                    }
                    paths.extend(s.code_paths.iter().cloned());
                    paths.sort();
                    // Sets and attributes by their names here, where they are here.
                    let mut in_sets = Vec::with_capacity(s.sets.len());
                    for key in &s.sets {
                        in_sets.push(sets::get(c, key)?.map_or_else(|| key.clone(), |x| x.name));
                    }
                    let mut values = Vec::with_capacity(s.attributes.len());
                    for a in s.attributes {
                        let name = attributes::def(c, &a.name)?.map_or(a.name, |d| d.name);
                        values.push(dossier_model::sync::AttributeMatch {
                            name,
                            value: a.value,
                        });
                    }
                    Some(ScopeView {
                        codes: paths,
                        from: s.from,
                        to: s.to,
                        sets: in_sets,
                        attributes: values,
                    })
                }
                None => None,
            };
            Ok(Some(TeamStatus {
                scope,
                not_pulled: team::stub_count(c)?,
                pending: team::pending_count(c, t.pushed_seq)?,
                conflicts: team::conflict_count(c)?,
                url: t.url,
                analyst: t.analyst,
                role: t.role,
                joined_at: t.joined_at,
                last_sync: t.last_sync,
                pulled_seq: t.pulled_seq,
            }))
        })
    }

    /// Unlinks this notebook from its team; its content stays.
    pub fn team_leave(&self) -> Result<bool> {
        self.core.store.write(Write::Sync, team::leave)
    }

    /// The conflicts the team's merges decided, newest first.
    pub fn team_conflicts(&self, limit: usize) -> Result<Vec<ConflictEntry>> {
        self.core
            .store
            .read(|c| team::conflicts(c, limit.min(10_000)))
    }

    /// Pushes this notebook's changes since the last sync, then pulls the
    /// team's. Safe to interrupt at any point: what the hub acknowledged is
    /// not sent again, what was pulled and applied is not applied again.
    pub fn sync(&self) -> Result<SyncReport> {
        let t = self.team_row()?;
        let hub = Hub::new(&t.url, &t.token, t.ca.as_deref())?;
        // Who the token is now (the owner may have changed the member's role), and
        // whether the hub still speaks this Dossier's protocol.
        let hello = hub.hello()?;
        if hello.role != t.role {
            self.core
                .store
                .write(Write::Sync, |c| team::set_role(c, hello.role))?;
        }
        let mut report = SyncReport::default();
        if hello.role != Role::Reader {
            self.push(&hub, &t, &mut report)?;
        }
        self.pull(&hub, &mut report)?;
        // A scope changed since the last sync: pull what it takes in now.
        if self.core.store.read(team::scope_pending)? {
            let wanted = self.core.store.read(|c| {
                let scope = match kept_scope(&self.team_row_in(c)?)? {
                    Some(s) => expanded(c, &s)?,
                    None => Scope::default(),
                };
                let mut ids = Vec::new();
                for id in team::stub_ids(c)? {
                    if stub_in_scope(c, &scope, &id)? {
                        ids.push(id);
                    }
                }
                Ok(ids)
            })?;
            self.fetch_stubs(&hub, &wanted, &mut report)?;
            self.core.store.write(Write::Sync, team::scope_applied)?;
        }
        self.core.store.write(Write::Sync, team::synced_now)?;
        self.nudge();
        Ok(report)
    }

    /// Compares every entity the team holds with this notebook's, by the hash
    /// of its state (run it after a sync: what changed here since is counted
    /// as pending, not compared). A divergence is a fault of Dossier's to
    /// report; with `repair`, each divergent entity is set to the team's state
    /// (a logged write, so it can be undone) and counted in `repaired` when it
    /// then hashes alike.
    pub fn verify_sync(&self, repair: bool) -> Result<VerifyReport> {
        let t = self.team_row()?;
        let hub = Hub::new(&t.url, &t.token, t.ca.as_deref())?;
        let mut report = VerifyReport::default();
        // What waits in the outbox to be pushed is not comparable yet; a state
        // unlike the team's with nothing waiting is a divergence.
        let waiting = self.core.store.read(|c| {
            let mut keys = std::collections::HashSet::new();
            let mut after = t.pushed_seq;
            loop {
                let rows = team::pending(c, after, 10_000)?;
                let Some(last) = rows.last().map(|r| r.0) else {
                    return Ok(keys);
                };
                keys.extend(rows.into_iter().map(|(_, kind, id, _)| (kind, id)));
                after = last;
            }
        })?;
        let mut after: Option<(SyncKind, String)> = None;
        loop {
            let mut path = format!("/v1/digest?limit={MAX_DIGEST_ENTRIES}");
            if let Some((kind, id)) = &after {
                path.push_str(&format!(
                    "&after_kind={}&after_id={}",
                    kind.as_str(),
                    query_escape(id)
                ));
            }
            let page: DigestResponse = hub.get(&path)?;
            let n = page.entries.len();
            self.core.store.read(|c| {
                for e in &page.entries {
                    report.checked += 1;
                    if waiting.contains(&(e.kind, e.id.clone())) {
                        report.pending += 1;
                        continue;
                    }
                    let kept = match e.kind {
                        SyncKind::Article => team::stub(c, &e.id)?.is_some(),
                        SyncKind::Claim
                        | SyncKind::Note
                        | SyncKind::Relation
                        | SyncKind::Verdict => team::held_waits_for(c, e.kind, &e.id)?.is_some(),
                        _ => false,
                    };
                    if kept {
                        report.not_pulled += 1;
                        continue;
                    }
                    let here = state_of(c, e.kind, &e.id)?;
                    let hash = here.as_ref().map(state_hash);
                    let what = match (&hash, &e.hash) {
                        (a, b) if a == b => {
                            report.same += 1;
                            continue;
                        }
                        (None, Some(_)) => "missing_here",
                        (Some(_), None) => "only_here",
                        _ => "differs",
                    };
                    report.divergent.push(Divergence {
                        kind: e.kind,
                        id: e.id.clone(),
                        what: what.into(),
                    });
                }
                Ok(())
            })?;
            match page.entries.last() {
                Some(last) if n >= MAX_DIGEST_ENTRIES => {
                    after = Some((last.kind, last.id.clone()));
                }
                _ => break,
            }
        }
        if repair {
            for d in &report.divergent {
                if self.repair_one(&hub, d)? {
                    report.repaired += 1;
                }
            }
        }
        Ok(report)
    }

    /// Sets one entity to the team's state; whether it is alike afterwards.
    fn repair_one(&self, hub: &Hub, d: &Divergence) -> Result<bool> {
        let team: EntityState = hub.get(&format!(
            "/v1/entities/{}/{}",
            d.kind.as_str(),
            query_escape(&d.id)
        ))?;
        if d.kind == SyncKind::Article {
            self.fetch_originals(hub, article_file(team.state.as_ref()))?;
        }
        self.logged_team(|c| {
            let applied = dossier_store::savepoint(c, || {
                self.apply_one(c, d.kind, &d.id, team.state.as_ref())
            })?;
            if applied.is_err() {
                return Ok(false);
            }
            let now = state_of(c, d.kind, &d.id)?;
            team::set_base(
                c,
                d.kind,
                &d.id,
                team.hlc,
                now.as_ref().map(Value::to_string).as_deref(),
            )?;
            Ok(now == team.state)
        })
    }

    fn push(&self, hub: &Hub, t: &TeamRow, report: &mut SyncReport) -> Result<()> {
        let mut after = t.pushed_seq;
        loop {
            let rows = self
                .core
                .store
                .read(|c| team::pending(c, after, MAX_PUSH_CHANGES))?;
            let Some(upto) = rows.last().map(|r| r.0) else {
                return Ok(());
            };
            // Each entity once, where it first appears (an article before its claims),
            // stamped by its latest write.
            let mut order: Vec<(SyncKind, String)> = Vec::new();
            let mut latest: HashMap<(SyncKind, String), u64> = HashMap::new();
            for (_, kind, id, at) in rows {
                let key = (kind, id);
                match latest.get_mut(&key) {
                    Some(ms) => *ms = (*ms).max(at),
                    None => {
                        latest.insert(key.clone(), at);
                        order.push(key);
                    }
                }
            }
            let mut changes = Vec::new();
            let mut new_files = Vec::new();
            self.core.store.read(|c| {
                // A claim's relations and verdicts go after every claim of the batch (a
                // relation needs both its claims where it lands).
                let claims_here: Vec<(String, u64)> = order
                    .iter()
                    .filter(|(k, _)| *k == SyncKind::Claim)
                    .map(|key| (key.1.clone(), latest.get(key).copied().unwrap_or(0)))
                    .collect();
                for (claim_id, wall) in claims_here {
                    for key in companions(c, &claim_id)? {
                        if let std::collections::hash_map::Entry::Vacant(e) =
                            latest.entry(key.clone())
                        {
                            e.insert(wall);
                            order.push(key);
                        }
                    }
                }
                // The definitions an article's values and sets name go first (a notebook
                // that pulls the article needs them to take its values), and definitions
                // before what uses them in general: codes before claims.
                let mut named: Vec<(SyncKind, String)> = Vec::new();
                for (kind, id) in order.iter().filter(|(k, _)| *k == SyncKind::Article) {
                    let wall = latest.get(&(*kind, id.clone())).copied().unwrap_or(0);
                    let keys = attributes::stored_of_article(c, id)?
                        .into_iter()
                        .map(|v| (SyncKind::Attribute, name_key(&v.name)))
                        .chain(
                            sets::of_article(c, id)?
                                .into_iter()
                                .map(|s| (SyncKind::Set, name_key(&s))),
                        );
                    for key in keys {
                        if let std::collections::hash_map::Entry::Vacant(e) =
                            latest.entry(key.clone())
                        {
                            e.insert(wall);
                            named.push(key);
                        }
                    }
                }
                order.extend(named);
                order.sort_by_key(|(kind, _)| {
                    !matches!(
                        kind,
                        SyncKind::Code
                            | SyncKind::Attribute
                            | SyncKind::Set
                            | SyncKind::SavedSearch
                    )
                });
                for key in &order {
                    let (kind, id) = key;
                    let state = state_of(c, *kind, id)?;
                    let base = base_of(c, *kind, id)?;
                    let known = base.is_some();
                    let (base_hlc, base_state) = base.unwrap_or((0, None));
                    if known && state == base_state {
                        continue; // nothing new for the team (or what it sent us)
                    }
                    if !known && state.is_none() {
                        continue; // made and deleted before the team saw it
                    }
                    if *kind == SyncKind::Article && base_state.is_none() {
                        new_files.extend(article_file(state.as_ref()).map(str::to_string));
                    }
                    let wall = latest.get(key).copied().unwrap_or(0);
                    changes.push(PushChange {
                        kind: *kind,
                        id: id.clone(),
                        hlc: hlc_after(base_hlc, wall),
                        base: base_state,
                        state,
                    });
                }
                Ok(())
            })?;
            self.send_files(hub, &new_files)?;
            let req = PushRequest {
                protocol: PROTOCOL,
                origin: t.origin.clone(),
                after,
                upto,
                changes,
            };
            let resp: PushResponse = hub.post("/v1/push", &req)?;
            self.logged_team(|c| {
                let refused: std::collections::HashSet<(SyncKind, &str)> = resp
                    .refused
                    .iter()
                    .map(|r| (r.kind, r.id.as_str()))
                    .collect();
                for ch in &req.changes {
                    if !refused.contains(&(ch.kind, ch.id.as_str())) {
                        let json = ch.state.as_ref().map(Value::to_string);
                        team::set_base(c, ch.kind, &ch.id, ch.hlc, json.as_deref())?;
                    }
                }
                // A refused change is put back to the team's state, and listed.
                for r in &resp.refused {
                    let mine = req
                        .changes
                        .iter()
                        .find(|ch| ch.kind == r.kind && ch.id == r.id);
                    team::add_conflict(
                        c,
                        0,
                        r.kind,
                        &r.id,
                        &FieldConflict {
                            field: String::new(),
                            kept: r.current.clone().unwrap_or(Value::Null),
                            lost: mine.and_then(|m| m.state.clone()).unwrap_or(Value::Null),
                            kept_by: format!("hub: {}", r.reason),
                            lost_by: t.analyst.clone(),
                        },
                    )?;
                    let applied = dossier_store::savepoint(c, || {
                        self.apply_one(c, r.kind, &r.id, r.current.as_ref())
                    })?;
                    if applied.is_ok() {
                        let now = state_json(c, r.kind, &r.id)?;
                        team::set_base(c, r.kind, &r.id, 0, now.as_deref())?;
                    }
                }
                team::set_pushed(c, resp.acked)
            })?;
            if !resp.replayed {
                report.pushed +=
                    u32::try_from(req.changes.len() - resp.refused.len()).unwrap_or(u32::MAX);
            }
            report.conflicts += u32::try_from(resp.refused.len()).unwrap_or(u32::MAX);
            after = resp.acked.max(upto);
        }
    }

    /// Sends the originals the hub does not have yet.
    fn send_files(&self, hub: &Hub, hashes: &[String]) -> Result<()> {
        for chunk in hashes.chunks(1_000) {
            #[derive(serde::Deserialize)]
            struct Missing {
                missing: Vec<String>,
            }
            let m: Missing =
                hub.post("/v1/blobs/missing", &serde_json::json!({ "hashes": chunk }))?;
            self.upload(hub, &m.missing)?;
        }
        Ok(())
    }

    /// Sends original files, [`FILES_AT_ONCE`] at a time: each is its own request
    /// and its own transaction on the hub, so one after another the push waited on
    /// round trips and commits (profiled: docs/BENCHMARKS.md, "Team hub").
    fn upload(&self, hub: &Hub, hashes: &[String]) -> Result<()> {
        in_parallel(hashes.iter().map(String::as_str), |sha| {
            let bytes =
                crate::structure::read_kept(self, sha, "an original file", MAX_BLOB_BYTES as u64)?;
            hub.put_blob(sha, &bytes)
        })
    }

    /// Fetches the original files named by articles' states that this notebook
    /// lacks, [`FILES_AT_ONCE`] at a time, checked against their hashes; one the
    /// hub has none of is left out.
    fn fetch_originals<'a>(
        &self,
        hub: &Hub,
        hashes: impl IntoIterator<Item = &'a str>,
    ) -> Result<()> {
        let sources = self.core.dir.join(crate::SOURCES_DIR);
        let wanted = hashes
            .into_iter()
            .filter(|sha| dossier_model::limits::is_sha256_hex(sha) && !sources.join(sha).exists());
        in_parallel(wanted, |sha| match hub.get_blob(sha)? {
            Some(bytes) => crate::structure::keep_file(&self.core.dir, sha, &bytes),
            None => Ok(()),
        })
    }

    fn apply_one(
        &self,
        c: &Connection,
        kind: SyncKind,
        id: &str,
        state: Option<&Value>,
    ) -> Result<()> {
        match kind {
            SyncKind::Article => apply_article(c, id, state),
            SyncKind::Claim => apply_claim(c, id, state),
            SyncKind::Note => apply_note(c, id, state),
            SyncKind::Code => apply_codes(c, &[(id.to_string(), state.cloned())]),
            SyncKind::Relation => apply_relation(c, id, state),
            SyncKind::Verdict => apply_verdict(c, id, state),
            SyncKind::Attribute => apply_attribute(c, id, state),
            SyncKind::Set => apply_set(c, id, state),
            SyncKind::SavedSearch => apply_saved_search(c, id, state),
        }
    }

    fn pull(&self, hub: &Hub, report: &mut SyncReport) -> Result<()> {
        loop {
            let t = self.team_row()?;
            let scope = self
                .core
                .store
                .read(|c| kept_scope(&t)?.map(|s| expanded(c, &s)).transpose())?;
            let resp: PullResponse = hub.post(
                "/v1/pull",
                &PullRequest {
                    since: t.pulled_seq,
                    limit: MAX_PULL_CHANGES,
                    scope: scope.clone(),
                },
            )?;
            let Some(last) = resp.changes.last().map(|c| c.seq) else {
                return Ok(());
            };
            // The originals of new articles, kept before their rows are written.
            self.fetch_originals(
                hub,
                resp.changes
                    .iter()
                    .filter(|ch| ch.kind == SyncKind::Article && !ch.stub)
                    .filter_map(|ch| article_file(ch.state.as_ref())),
            )?;
            let n = resp.changes.len();
            let mut touched = std::collections::HashSet::new();
            let conflicts = self.logged_team(|c| {
                // Outbox rows this transaction writes are the team's changes, nothing to push;
                // when nothing was waiting to be pushed before it, the cursor moves past them.
                let head_before = dossier_store::outbox::last_seq(c)?;
                let mut conflicts = 0u32;
                let mut i = 0;
                while i < n {
                    let ch = &resp.changes[i];
                    // A run of codes is applied together.
                    let mut j = i + 1;
                    if ch.kind == SyncKind::Code {
                        while j < n && resp.changes[j].kind == SyncKind::Code {
                            j += 1;
                        }
                    }
                    for ch in &resp.changes[i..j] {
                        for f in &ch.conflicts {
                            team::add_conflict(c, ch.seq, ch.kind, &ch.id, f)?;
                            conflicts += 1;
                        }
                    }
                    // Within a run, an entity's last change is its state in the team now.
                    let mut last_of: HashMap<&str, usize> = HashMap::new();
                    for (k, ch) in resp.changes[i..j].iter().enumerate() {
                        last_of.insert(ch.id.as_str(), k);
                    }
                    let mut take = Vec::new();
                    for (k, ch) in resp.changes[i..j].iter().enumerate() {
                        if last_of.get(ch.id.as_str()) != Some(&k) {
                            continue;
                        }
                        // Of an article not pulled: kept, not applied.
                        if hold_if_outside(c, ch, &mut touched)? {
                            continue;
                        }
                        let local = state_of(c, ch.kind, &ch.id)?;
                        if local == ch.state {
                            team::set_base(
                                c,
                                ch.kind,
                                &ch.id,
                                ch.hlc,
                                local.map(|v| v.to_string()).as_deref(),
                            )?;
                            continue;
                        }
                        let base = base_of(c, ch.kind, &ch.id)?;
                        let known = base.is_some();
                        let base_state = base.and_then(|(_, state)| state);
                        if (known || local.is_some()) && local != base_state {
                            // Changed here since: pushed next time, merged on the hub.
                            continue;
                        }
                        take.push(ch);
                    }
                    if !take.is_empty() {
                        let applied = dossier_store::savepoint(c, || {
                            if ch.kind == SyncKind::Code {
                                let run: Vec<(String, Option<Value>)> = take
                                    .iter()
                                    .map(|ch| (ch.id.clone(), ch.state.clone()))
                                    .collect();
                                apply_codes(c, &run)
                            } else {
                                self.apply_one(c, ch.kind, &ch.id, ch.state.as_ref())
                            }
                        })?;
                        match applied {
                            Ok(()) => {
                                for ch in &take {
                                    let now = state_json(c, ch.kind, &ch.id)?;
                                    team::set_base(c, ch.kind, &ch.id, ch.hlc, now.as_deref())?;
                                    // An article not pulled came whole (into the scope): what
                                    // was held for it follows.
                                    if ch.kind == SyncKind::Article
                                        && ch.state.is_some()
                                        && team::stub(c, &ch.id)?.is_some()
                                    {
                                        conflicts += self.release(c, &ch.id)?;
                                    }
                                }
                            }
                            Err(e) => {
                                for ch in &take {
                                    not_applied(
                                        c,
                                        ch.seq,
                                        ch.kind,
                                        &ch.id,
                                        &ch.analyst,
                                        ch.state.as_ref(),
                                        &e,
                                    )?;
                                    conflicts += 1;
                                }
                            }
                        }
                    }
                    i = j;
                }
                team::set_pulled(c, last)?;
                if team::get(c)?.is_some_and(|t| t.pushed_seq >= head_before) {
                    team::set_pushed(c, dossier_store::outbox::last_seq(c)?)?;
                }
                Ok(conflicts)
            })?;
            let theirs = resp.changes.iter().filter(|c| c.origin != t.origin).count();
            report.pulled += u32::try_from(theirs).unwrap_or(u32::MAX);
            report.conflicts += conflicts;
            // Articles not pulled that a claim coded in scope arrived for come whole now.
            if scope.as_ref().is_some_and(Scope::has_codes) {
                let wanted = self.core.store.read(|c| {
                    // Read again: the page may have brought the codes a claim names.
                    let scope = match kept_scope(&t)? {
                        Some(s) => expanded(c, &s)?,
                        None => return Ok(Vec::new()),
                    };
                    let mut ids = Vec::new();
                    for id in &touched {
                        if stub_in_scope(c, &scope, id)? {
                            ids.push(id.clone());
                        }
                    }
                    Ok(ids)
                })?;
                self.fetch_stubs(hub, &wanted, report)?;
            }
            self.nudge();
            if n < MAX_PULL_CHANGES {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_cross_the_network_only_encrypted() {
        assert_eq!(
            check_url("http://127.0.0.1:7878/").unwrap(),
            "http://127.0.0.1:7878"
        );
        assert!(check_url("http://localhost:7878").is_ok());
        assert!(check_url("http://[::1]:7878").is_ok());
        assert!(check_url("http://team.example.org:7878").is_err());
        assert!(check_url("http://10.0.0.5").is_err());
        assert!(check_url("ftp://127.0.0.1").is_err());
        assert!(check_url("http://user@127.0.0.1").is_err());
        assert!(check_url("127.0.0.1:7878").is_err());
    }
}
