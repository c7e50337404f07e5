//! All of the hub's SQL: the schema's migrations, members and their tokens,
//! the push that merges a notebook's changes into the team's record, the
//! pull of changes in the team's order, and original files.

use std::str::FromStr;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use dossier_model::names::WireEnum;
use dossier_model::sync::{
    merge3, FieldConflict, Hello, PullResponse, PulledChange, PushRequest, PushResponse, Refusal,
    Role, Side, SyncKind, MAX_PULL_CHANGES, PROTOCOL,
};
use dossier_model::sync::{
    state_hash, stub_state, DigestEntry, DigestResponse, EntityState, Scope, MAX_DIGEST_ENTRIES,
    MAX_ENTITIES_AT_ONCE,
};
use dossier_model::{Error, ErrorCode, Result};
use serde_json::Value;
use tokio_postgres::NoTls;

/// The schema's migrations, in order; `hub_schema.version` says how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_team.sql"),
    include_str!("../migrations/0002_relations_verdicts.sql"),
    include_str!("../migrations/0003_scope.sql"),
    include_str!("../migrations/0004_attributes_sets.sql"),
];

/// Any two hub processes that write the change log take this transaction
/// lock first (see migration 0001).
const CHANGE_LOG_LOCK: i64 = 0x0d05_51e2;

/// Characters of an entity's id.
const MAX_ID_CHARS: usize = 200;

/// A database error with its causes (tokio-postgres says only "db error" at
/// the top; the server's message is its source).
pub(crate) fn db_err(e: impl std::error::Error) -> Error {
    let mut message = format!("PostgreSQL: {e}");
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::new(ErrorCode::Storage, message)
}

/// A pool of connections to the team's database.
pub fn pool(url: &str, size: usize) -> Result<Pool> {
    let config = tokio_postgres::Config::from_str(url)
        .map_err(|e| Error::invalid(format!("not a PostgreSQL connection URL: {e}")))?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .build()
        .map_err(db_err)
}

async fn client(pool: &Pool) -> Result<deadpool_postgres::Object> {
    pool.get().await.map_err(db_err)
}

/// Creates or upgrades the schema; returns its version. Several hubs may
/// start at once: the migrations run under a lock, one transaction each.
pub async fn migrate(pool: &Pool) -> Result<usize> {
    let mut c = client(pool).await?;
    c.batch_execute("CREATE TABLE IF NOT EXISTS hub_schema (version INTEGER NOT NULL)")
        .await
        .map_err(db_err)?;
    loop {
        let tx = c.transaction().await.map_err(db_err)?;
        tx.execute("LOCK TABLE hub_schema IN EXCLUSIVE MODE", &[])
            .await
            .map_err(db_err)?;
        let version: i32 = tx
            .query_opt("SELECT version FROM hub_schema", &[])
            .await
            .map_err(db_err)?
            .map(|r| r.get(0))
            .unwrap_or(0);
        let version = usize::try_from(version).unwrap_or(usize::MAX);
        if version > MIGRATIONS.len() {
            return Err(Error::new(
                ErrorCode::NotebookTooNew,
                format!(
                    "the team's database has schema version {version}; this hub knows {} — update the hub",
                    MIGRATIONS.len()
                ),
            ));
        }
        if version == MIGRATIONS.len() {
            tx.commit().await.map_err(db_err)?;
            return Ok(version);
        }
        tx.batch_execute(MIGRATIONS[version])
            .await
            .map_err(db_err)?;
        let next = i32::try_from(version + 1).unwrap_or(i32::MAX);
        tx.execute("DELETE FROM hub_schema", &[])
            .await
            .map_err(db_err)?;
        tx.execute("INSERT INTO hub_schema (version) VALUES ($1)", &[&next])
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
    }
}

/// Refuses to serve a database whose schema is not this hub's.
pub async fn check_schema(pool: &Pool) -> Result<()> {
    let c = client(pool).await?;
    let version: Option<i32> = c
        .query_opt("SELECT version FROM hub_schema", &[])
        .await
        .ok()
        .flatten()
        .map(|r| r.get(0));
    match version {
        Some(v) if usize::try_from(v).ok() == Some(MIGRATIONS.len()) => Ok(()),
        _ => Err(Error::invalid(
            "the team's database is not at this hub's schema: run `dossier-hub migrate --database URL` first",
        )),
    }
}

/// A member as a request's token identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub role: Role,
}

impl Member {
    /// Owners and analysts push; a reader's push or upload is refused.
    pub fn may_push(&self) -> Result<()> {
        if self.role == Role::Reader {
            return Err(Error::new(
                ErrorCode::Unauthorized,
                format!(
                    "{} has a reader's token: readers pull, they cannot push",
                    self.name
                ),
            ));
        }
        Ok(())
    }
}

/// A member's row: its role, the hash of its token's secret, whether revoked.
pub(crate) struct TokenRow {
    pub member: Member,
    pub hash: String,
    pub revoked: bool,
}

/// A value of one of the model's string enums read from the database; an
/// unknown name (a newer hub's schema) is an error, never a default.
fn stored<T: WireEnum>(name: &str, what: &str) -> Result<T> {
    T::from_name(name)
        .ok_or_else(|| Error::internal(format!("unknown {what} in the database: {name}")))
}

/// Adds a member (or gives a revoked one a new token) with the hash of its secret.
pub(crate) async fn add_member(
    pool: &Pool,
    name: &str,
    role: Role,
    token_id: &str,
    hash: &str,
) -> Result<()> {
    let c = client(pool).await?;
    let n = c
        .execute(
            "INSERT INTO member (name, role, token_id, token_hash) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO UPDATE SET role = $2, token_id = $3, token_hash = $4,
                 created_at = now(), revoked_at = NULL
             WHERE member.revoked_at IS NOT NULL",
            &[&name, &role.as_str(), &token_id, &hash],
        )
        .await
        .map_err(db_err)?;
    if n == 0 {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("{name} already has a token; revoke it first to give them a new one"),
        ));
    }
    Ok(())
}

/// Revokes a member's token; false when there is no such member.
pub async fn revoke(pool: &Pool, name: &str) -> Result<bool> {
    let c = client(pool).await?;
    let n = c
        .execute(
            "UPDATE member SET revoked_at = coalesce(revoked_at, now()) WHERE name = $1",
            &[&name],
        )
        .await
        .map_err(db_err)?;
    Ok(n > 0)
}

pub(crate) async fn token_row(pool: &Pool, token_id: &str) -> Result<Option<TokenRow>> {
    let c = client(pool).await?;
    let row = c
        .query_opt(
            "SELECT name, role, token_hash, revoked_at IS NOT NULL FROM member WHERE token_id = $1",
            &[&token_id],
        )
        .await
        .map_err(db_err)?;
    row.map(|r| {
        Ok(TokenRow {
            member: Member {
                name: r.get(0),
                role: stored(r.get(1), "role")?,
            },
            hash: r.get(2),
            revoked: r.get(3),
        })
    })
    .transpose()
}

async fn head(c: &impl deadpool_postgres::GenericClient) -> Result<i64> {
    c.query_one("SELECT coalesce(max(seq), 0) FROM change", &[])
        .await
        .map_err(db_err)
        .map(|r| r.get(0))
}

pub async fn hello(pool: &Pool, member: &Member) -> Result<Hello> {
    let c = client(pool).await?;
    Ok(Hello {
        analyst: member.name.clone(),
        role: member.role,
        head: head(&c).await?,
        protocol: PROTOCOL,
    })
}

fn check_id(kind: SyncKind, id: &str) -> Result<()> {
    if id.is_empty()
        || id.chars().count() > MAX_ID_CHARS
        || id.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(Error::invalid(format!(
            "not a valid {} id: {}",
            kind.as_str(),
            dossier_model::limits::shorten(id, 80)
        )));
    }
    Ok(())
}

/// Merges a notebook's batch of changes into the team's record, in one
/// transaction: all of it or none, and a batch taken before is not taken again.
pub async fn push(pool: &Pool, member: &Member, req: &PushRequest) -> Result<PushResponse> {
    member.may_push()?;
    if req.protocol != PROTOCOL {
        return Err(Error::invalid(format!(
            "this hub speaks sync protocol {PROTOCOL}, the notebook {}: update Dossier",
            req.protocol
        )));
    }
    if !dossier_model::limits::is_canonical_uuid(&req.origin) {
        return Err(Error::invalid("the notebook's origin is not a UUID"));
    }
    if req.changes.len() > dossier_model::sync::MAX_PUSH_CHANGES || req.upto < req.after {
        return Err(Error::invalid(
            "a push holds at most 500 changes of one outbox range",
        ));
    }
    for ch in &req.changes {
        check_id(ch.kind, &ch.id)?;
    }
    let mut c = client(pool).await?;
    let tx = c.transaction().await.map_err(db_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOG_LOCK])
        .await
        .map_err(db_err)?;
    tx.execute(
        "INSERT INTO origin (origin, analyst) VALUES ($1, $2) ON CONFLICT (origin) DO NOTHING",
        &[&req.origin, &member.name],
    )
    .await
    .map_err(db_err)?;
    let row = tx
        .query_one(
            "SELECT analyst, acked FROM origin WHERE origin = $1 FOR UPDATE",
            &[&req.origin],
        )
        .await
        .map_err(db_err)?;
    let (owner, acked): (String, i64) = (row.get(0), row.get(1));
    if owner != member.name {
        return Err(Error::new(
            ErrorCode::Unauthorized,
            "this notebook joined the team as another analyst; join again with your own token",
        ));
    }
    if acked >= req.upto {
        return Ok(PushResponse {
            acked,
            replayed: true,
            refused: Vec::new(),
        });
    }
    let mut refused = Vec::new();
    for ch in &req.changes {
        let current = tx
            .query_opt(
                "SELECT e.owner, e.hlc, e.state, c.analyst, e.seq FROM entity e JOIN change c ON c.seq = e.seq
                 WHERE e.kind = $1 AND e.id = $2 FOR UPDATE OF e",
                &[&ch.kind.as_str(), &ch.id],
            )
            .await
            .map_err(db_err)?;
        let (owner, hlc, state, last_by, last_seq): (
            Option<String>,
            i64,
            Option<Value>,
            String,
            i64,
        ) = match &current {
            Some(r) => (Some(r.get(0)), r.get(1), r.get(2), r.get(3), r.get(4)),
            None => (None, 0, None, String::new(), 0),
        };
        // A claim (a relation, a verdict) belongs to the analyst who made it: others
        // reply with relations, verdicts or notes, never by changing it.
        if ch.kind.owned() {
            if let Some(owner) = owner.as_deref().filter(|o| *o != member.name) {
                refused.push(Refusal {
                    kind: ch.kind,
                    id: ch.id.clone(),
                    reason: format!("the {} is {owner}'s: only they change it", ch.kind.as_str()),
                    current: state,
                });
                continue;
            }
        }
        let hlc_theirs = u64::try_from(hlc).unwrap_or(0);
        let (merged, conflicts) = merge3(
            ch.base.as_ref(),
            Side {
                state: state.as_ref(),
                hlc: hlc_theirs,
                analyst: &last_by,
            },
            Side {
                state: ch.state.as_ref(),
                hlc: ch.hlc,
                analyst: &member.name,
            },
        );
        if current.is_some() && merged == state {
            // Nothing new for the team (a retry, or the same edit made twice).
            // What the merge decided against stays on record all the same.
            if !conflicts.is_empty() {
                insert_conflicts(&tx, last_seq, &conflicts).await?;
            }
            continue;
        }
        if current.is_none() && merged.is_none() {
            continue; // made and deleted before the team saw it
        }
        let new_hlc = i64::try_from(ch.hlc.max(hlc_theirs)).unwrap_or(i64::MAX);
        let seq: i64 = tx
            .query_one(
                "INSERT INTO change (kind, id, analyst, origin, hlc, state) VALUES ($1, $2, $3, $4, $5, $6)
                 RETURNING seq",
                &[&ch.kind.as_str(), &ch.id, &member.name, &req.origin, &new_hlc, &merged],
            )
            .await
            .map_err(db_err)?
            .get(0);
        tx.execute(
            "INSERT INTO entity (kind, id, owner, hlc, state, seq) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (kind, id) DO UPDATE SET hlc = $4, state = $5, seq = $6",
            &[
                &ch.kind.as_str(),
                &ch.id,
                &member.name,
                &new_hlc,
                &merged,
                &seq,
            ],
        )
        .await
        .map_err(db_err)?;
        insert_conflicts(&tx, seq, &conflicts).await?;
    }
    tx.execute(
        "UPDATE origin SET acked = $2, seen_at = now() WHERE origin = $1",
        &[&req.origin, &req.upto],
    )
    .await
    .map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;
    Ok(PushResponse {
        acked: req.upto,
        replayed: false,
        refused,
    })
}

async fn insert_conflicts(
    tx: &tokio_postgres::Transaction<'_>,
    seq: i64,
    conflicts: &[FieldConflict],
) -> Result<()> {
    for f in conflicts {
        tx.execute(
            "INSERT INTO conflict (seq, field, kept, lost, kept_by, lost_by) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&seq, &f.field, &f.kept, &f.lost, &f.kept_by, &f.lost_by],
        )
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// The team's changes after `since`, oldest first, with the conflicts each
/// decided; articles outside `scope` as metadata only ([`stub_state`]).
pub async fn pull(
    pool: &Pool,
    since: i64,
    limit: usize,
    scope: Option<&Scope>,
) -> Result<PullResponse> {
    let scope = scope.filter(|s| !s.is_everything());
    if let Some(s) = scope {
        for id in &s.codes {
            check_id(SyncKind::Code, id)?;
        }
    }
    let limit = i64::try_from(limit.clamp(1, MAX_PULL_CHANGES)).unwrap_or(1);
    let mut c = client(pool).await?;
    // One snapshot for the changes, their conflicts and the head.
    let tx = c
        .build_transaction()
        .read_only(true)
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .start()
        .await
        .map_err(db_err)?;
    let rows = tx
        .query(
            "SELECT seq, kind, id, analyst, origin, hlc, state FROM change
             WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&since, &limit],
        )
        .await
        .map_err(db_err)?;
    let mut changes = Vec::with_capacity(rows.len());
    for r in &rows {
        changes.push(PulledChange {
            seq: r.get(0),
            kind: stored(r.get(1), "kind")?,
            id: r.get(2),
            analyst: r.get(3),
            origin: r.get(4),
            hlc: u64::try_from(r.get::<_, i64>(5)).unwrap_or(0),
            state: r.get(6),
            conflicts: Vec::new(),
            stub: false,
        });
    }
    if let (Some(first), Some(last)) = (changes.first(), changes.last()) {
        let (first, last) = (first.seq, last.seq);
        let rows = tx
            .query(
                "SELECT seq, field, kept, lost, kept_by, lost_by FROM conflict
                 WHERE seq BETWEEN $1 AND $2 ORDER BY id",
                &[&first, &last],
            )
            .await
            .map_err(db_err)?;
        for r in rows {
            let seq: i64 = r.get(0);
            if let Ok(i) = changes.binary_search_by_key(&seq, |c| c.seq) {
                changes[i].conflicts.push(FieldConflict {
                    field: r.get(1),
                    kept: r.get(2),
                    lost: r.get(3),
                    kept_by: r.get(4),
                    lost_by: r.get(5),
                });
            }
        }
    }
    if let Some(scope) = scope {
        outside_scope(&tx, scope, &mut changes).await?;
    }
    let head = head(&tx).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(PullResponse { changes, head })
}

/// The code ids a scope names: its ids, and the codes its paths name in the
/// team's codebook now, each with every code under it.
async fn scope_codes(tx: &tokio_postgres::Transaction<'_>, scope: &Scope) -> Result<Vec<String>> {
    let mut ids = scope.codes.clone();
    if !scope.code_paths.is_empty() {
        let rows = tx
            .query(
                "SELECT id, state->>'path' FROM entity WHERE kind = 'code' AND state IS NOT NULL",
                &[],
            )
            .await
            .map_err(db_err)?;
        for r in rows {
            let (id, path): (String, Option<String>) = (r.get(0), r.get(1));
            let Some(path) = path else { continue };
            let under = |p: &String| {
                path == *p
                    || path
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            };
            if scope.code_paths.iter().any(under) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// Turns the articles of a page that lie outside `scope` into stubs, judged
/// by the articles' states now and the team's claims on them now.
async fn outside_scope(
    tx: &tokio_postgres::Transaction<'_>,
    scope: &Scope,
    changes: &mut [PulledChange],
) -> Result<()> {
    // Judged by what the articles are now (a set an article has left since does
    // not bring it in), in one query for the page.
    let articles: Vec<String> = changes
        .iter()
        .filter(|ch| ch.kind == SyncKind::Article && ch.state.is_some())
        .map(|ch| ch.id.clone())
        .collect();
    let candidates: Vec<String> = if articles.is_empty() {
        Vec::new()
    } else {
        tx.query(
            "SELECT id, state FROM entity WHERE kind = 'article' AND id = ANY($1)",
            &[&articles],
        )
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|r| {
            r.get::<_, Option<Value>>(1)
                .is_some_and(|s| scope.admits(&s))
        })
        .map(|r| r.get(0))
        .collect()
    };
    let coded: std::collections::HashSet<String> = if !scope.has_codes() {
        candidates.into_iter().collect()
    } else if candidates.is_empty() {
        Default::default()
    } else {
        let codes = scope_codes(tx, scope).await?;
        tx.query(
            "SELECT DISTINCT state->>'article_id' FROM entity
             WHERE kind = 'claim' AND state->>'article_id' = ANY($1) AND state->'codes' ?| $2",
            &[&candidates, &codes],
        )
        .await
        .map_err(db_err)?
        .into_iter()
        .filter_map(|r| r.get::<_, Option<String>>(0))
        .collect()
    };
    for ch in changes.iter_mut() {
        if ch.kind != SyncKind::Article || coded.contains(&ch.id) {
            continue;
        }
        if let Some(state) = &ch.state {
            ch.state = Some(stub_state(state));
            ch.stub = true;
        }
    }
    Ok(())
}

/// A page of every entity's state hash, in (kind, id) order after `after`
/// (for `sync --verify`). The states are hashed here, as they are now.
pub async fn digest(
    pool: &Pool,
    after: Option<(SyncKind, String)>,
    limit: usize,
) -> Result<DigestResponse> {
    let limit = i64::try_from(limit.clamp(1, MAX_DIGEST_ENTRIES)).unwrap_or(1);
    let (kind, id) = match &after {
        Some((kind, id)) => {
            check_id(*kind, id)?;
            (kind.as_str(), id.as_str())
        }
        None => ("", ""),
    };
    let c = client(pool).await?;
    let rows = c
        .query(
            "SELECT kind, id, state FROM entity WHERE (kind, id) > ($1, $2)
             ORDER BY kind, id LIMIT $3",
            &[&kind, &id, &limit],
        )
        .await
        .map_err(db_err)?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in rows {
        let state: Option<Value> = r.get(2);
        entries.push(DigestEntry {
            kind: stored(r.get(0), "kind")?,
            id: r.get(1),
            hash: state.as_ref().map(state_hash),
        });
    }
    Ok(DigestResponse { entries })
}

/// Several entities of one kind as the team holds them now (those it has).
pub async fn entities(pool: &Pool, kind: SyncKind, ids: &[String]) -> Result<Vec<EntityState>> {
    if ids.len() > MAX_ENTITIES_AT_ONCE {
        return Err(Error::invalid(format!(
            "at most {MAX_ENTITIES_AT_ONCE} entities at a time"
        )));
    }
    for id in ids {
        check_id(kind, id)?;
    }
    let c = client(pool).await?;
    let rows = c
        .query(
            "SELECT id, hlc, state FROM entity WHERE kind = $1 AND id = ANY($2) ORDER BY id",
            &[&kind.as_str(), &ids],
        )
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| EntityState {
            kind,
            id: r.get(0),
            hlc: u64::try_from(r.get::<_, i64>(1)).unwrap_or(0),
            state: r.get(2),
        })
        .collect())
}

/// One entity as the team holds it now.
pub async fn entity(pool: &Pool, kind: SyncKind, id: &str) -> Result<Option<EntityState>> {
    Ok(entities(pool, kind, &[id.to_string()]).await?.pop())
}

/// Of these hashes, the ones the hub has no file for.
pub async fn missing_blobs(pool: &Pool, hashes: &[String]) -> Result<Vec<String>> {
    let c = client(pool).await?;
    let have: std::collections::HashSet<String> = c
        .query("SELECT sha256 FROM blob WHERE sha256 = ANY($1)", &[&hashes])
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    Ok(hashes
        .iter()
        .filter(|h| !have.contains(*h))
        .cloned()
        .collect())
}

/// Keeps an original file (the caller checked its hash).
pub async fn put_blob(pool: &Pool, sha256: &str, bytes: &[u8]) -> Result<()> {
    let c = client(pool).await?;
    c.execute(
        "INSERT INTO blob (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
        &[&sha256, &bytes],
    )
    .await
    .map_err(db_err)?;
    Ok(())
}

pub async fn get_blob(pool: &Pool, sha256: &str) -> Result<Option<Vec<u8>>> {
    let c = client(pool).await?;
    Ok(
        c.query_opt("SELECT bytes FROM blob WHERE sha256 = $1", &[&sha256])
            .await
            .map_err(db_err)?
            .map(|r| r.get(0)),
    )
}
