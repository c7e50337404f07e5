//! The hub's HTTP API. Every request names its member by a bearer token and
//! is authorised here; errors go back as `{code, message}`.
//!
//! ```text
//! GET  /v1/hello                  who the token is, the team's head
//! POST /v1/push                   PushRequest -> PushResponse      (owner, analyst)
//! GET  /v1/pull?since=N&limit=M   PullResponse (everything)
//! POST /v1/pull                   PullRequest -> PullResponse (a notebook's scope)
//! GET  /v1/digest?after_kind=K&after_id=I&limit=M   every entity's state hash (sync --verify)
//! GET  /v1/entities/{kind}/{id}   one entity's state now (sync --verify --repair)
//! POST /v1/entities               EntitiesRequest -> [EntityState] (articles pulled on demand)
//! POST /v1/blobs/missing          {"hashes": [...]} -> {"missing": [...]}
//! PUT  /v1/blobs/{sha256}         an original file                 (owner, analyst)
//! GET  /v1/blobs/{sha256}         an original file
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use deadpool_postgres::Pool;
use dossier_model::limits::is_sha256_hex;
use dossier_model::sync::{
    DigestResponse, EntitiesRequest, EntityState, Hello, PullRequest, PullResponse, PushRequest,
    PushResponse, Scope, SyncKind, MAX_BLOB_BYTES, MAX_DIGEST_ENTRIES, MAX_PULL_CHANGES,
    MAX_PUSH_BYTES,
};
use dossier_model::{Error, ErrorCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::Tokens;
use crate::db::{self, Member};
use crate::listen::Tls;

/// How long one request may hold a database connection.
const REQUEST_BUDGET: Duration = Duration::from_secs(120);
/// Hashes in one `blobs/missing` question.
const MAX_HASHES: usize = 1_000;
/// Bytes of a pull's scope or a list of entities (10 000 code ids fit).
const MAX_SCOPE_BYTES: usize = 1 << 20;

struct Hub {
    pool: Pool,
    tokens: Tokens,
}

/// An error as the API answers it.
struct ApiError(Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self.0.code {
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::InvalidInput => StatusCode::BAD_REQUEST,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::Busy => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("dossier-hub: {}", self.0.message);
        }
        (status, Json(self.0)).into_response()
    }
}

type ApiResult<T> = std::result::Result<T, ApiError>;

/// Runs a request's database work within the budget.
async fn within<T>(f: impl std::future::Future<Output = dossier_model::Result<T>>) -> ApiResult<T> {
    match tokio::time::timeout(REQUEST_BUDGET, f).await {
        Ok(r) => Ok(r?),
        Err(_) => {
            Err(Error::new(ErrorCode::Busy, "the hub's database did not answer in time").into())
        }
    }
}

async fn member(hub: &Hub, headers: &HeaderMap) -> ApiResult<Member> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| Error::new(ErrorCode::Unauthorized, "no bearer token"))?;
    within(hub.tokens.member(&hub.pool, token)).await
}

fn may_write(m: &Member) -> ApiResult<()> {
    Ok(m.may_push()?)
}

async fn hello(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> ApiResult<Json<Hello>> {
    let m = member(&hub, &headers).await?;
    Ok(Json(within(db::hello(&hub.pool, &m)).await?))
}

async fn push(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<PushResponse>> {
    let m = member(&hub, &headers).await?;
    may_write(&m)?;
    let req: PushRequest = serde_json::from_slice(&body)
        .map_err(|e| Error::invalid(format!("not a push request: {e}")))?;
    Ok(Json(within(db::push(&hub.pool, &m, &req)).await?))
}

#[derive(Deserialize)]
struct PullQuery {
    since: i64,
    limit: Option<usize>,
}

async fn pull(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> ApiResult<Json<PullResponse>> {
    member(&hub, &headers).await?;
    let limit = q.limit.unwrap_or(MAX_PULL_CHANGES);
    Ok(Json(
        within(db::pull(&hub.pool, q.since, limit, None)).await?,
    ))
}

/// A pull for a notebook's scope (its code ids can be many: they travel in the body).
async fn pull_scoped(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<PullResponse>> {
    member(&hub, &headers).await?;
    let req: PullRequest = serde_json::from_slice(&body)
        .map_err(|e| Error::invalid(format!("not a pull request: {e}")))?;
    let scope = req.scope.map(Scope::checked).transpose()?;
    Ok(Json(
        within(db::pull(&hub.pool, req.since, req.limit, scope.as_ref())).await?,
    ))
}

async fn entities(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Vec<EntityState>>> {
    member(&hub, &headers).await?;
    let req: EntitiesRequest = serde_json::from_slice(&body)
        .map_err(|e| Error::invalid(format!("not a list of entities: {e}")))?;
    Ok(Json(
        within(db::entities(&hub.pool, req.kind, &req.ids)).await?,
    ))
}

/// A kind of synced entity as a request names it.
fn kind_named(name: &str) -> Result<SyncKind, Error> {
    SyncKind::parse(name).ok_or_else(|| Error::invalid(format!("not a kind of entity: {name:.40}")))
}

#[derive(Deserialize)]
struct DigestQuery {
    after_kind: Option<String>,
    after_id: Option<String>,
    limit: Option<usize>,
}

async fn digest(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Query(q): Query<DigestQuery>,
) -> ApiResult<Json<DigestResponse>> {
    member(&hub, &headers).await?;
    let after = match (q.after_kind, q.after_id) {
        (Some(kind), Some(id)) => Some((kind_named(&kind)?, id)),
        (None, None) => None,
        _ => return Err(Error::invalid("after_kind and after_id go together").into()),
    };
    let limit = q.limit.unwrap_or(MAX_DIGEST_ENTRIES);
    Ok(Json(within(db::digest(&hub.pool, after, limit)).await?))
}

async fn entity(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Path((kind, id)): Path<(String, String)>,
) -> ApiResult<Json<EntityState>> {
    member(&hub, &headers).await?;
    let kind = kind_named(&kind)?;
    within(db::entity(&hub.pool, kind, &id))
        .await?
        .map(Json)
        .ok_or_else(|| Error::not_found(kind.as_str(), &id).into())
}

#[derive(Deserialize)]
struct Hashes {
    hashes: Vec<String>,
}

#[derive(Serialize)]
struct Missing {
    missing: Vec<String>,
}

async fn missing(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Json(q): Json<Hashes>,
) -> ApiResult<Json<Missing>> {
    member(&hub, &headers).await?;
    if q.hashes.len() > MAX_HASHES || !q.hashes.iter().all(|h| is_sha256_hex(h)) {
        return Err(
            Error::invalid("at most 1 000 SHA-256 hashes (64 hex digits) at a time").into(),
        );
    }
    let missing = within(db::missing_blobs(&hub.pool, &q.hashes)).await?;
    Ok(Json(Missing { missing }))
}

fn check_hash(sha: &str) -> ApiResult<()> {
    if !is_sha256_hex(sha) {
        return Err(Error::invalid("not a SHA-256 hash").into());
    }
    Ok(())
}

async fn put_blob(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Path(sha): Path<String>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let m = member(&hub, &headers).await?;
    may_write(&m)?;
    check_hash(&sha)?;
    if hex::encode(Sha256::digest(&body)) != sha {
        return Err(
            Error::invalid("the file's bytes do not have the SHA-256 its address names").into(),
        );
    }
    within(db::put_blob(&hub.pool, &sha, &body)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn get_blob(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Path(sha): Path<String>,
) -> ApiResult<Vec<u8>> {
    member(&hub, &headers).await?;
    check_hash(&sha)?;
    within(db::get_blob(&hub.pool, &sha))
        .await?
        .ok_or_else(|| Error::not_found("file", &sha).into())
}

/// The routes, over a pool of the team's database.
pub fn router(pool: Pool) -> Router {
    let hub = Arc::new(Hub {
        pool,
        tokens: Tokens::default(),
    });
    Router::new()
        .route("/v1/hello", get(hello))
        .route(
            "/v1/push",
            post(push).layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)),
        )
        .route(
            "/v1/pull",
            get(pull)
                .post(pull_scoped)
                .layer(DefaultBodyLimit::max(MAX_SCOPE_BYTES)),
        )
        .route(
            "/v1/entities",
            post(entities).layer(DefaultBodyLimit::max(MAX_SCOPE_BYTES)),
        )
        .route("/v1/digest", get(digest))
        .route("/v1/entities/{kind}/{id}", get(entity))
        .route("/v1/blobs/missing", post(missing))
        .route(
            "/v1/blobs/{sha}",
            put(put_blob)
                .get(get_blob)
                .layer(DefaultBodyLimit::max(MAX_BLOB_BYTES)),
        )
        .with_state(hub)
}

/// Tokens must not cross a network in the clear: without TLS the hub
/// listens on loopback only.
pub fn check_listen(addr: &SocketAddr, tls: bool) -> dossier_model::Result<()> {
    if !tls && !addr.ip().is_loopback() {
        return Err(Error::invalid(format!(
            "{addr} is not a loopback address: over plain HTTP, tokens would cross the network in the clear. \
             Give the hub a certificate (--tls-cert and --tls-key), or listen on 127.0.0.1 or ::1 \
             (behind a TLS-terminating proxy)"
        )));
    }
    Ok(())
}

/// Serves until `shutdown` resolves (over TLS when `tls` is given); `ready`
/// is told the address once listening.
pub async fn serve(
    pool: Pool,
    listen: SocketAddr,
    tls: Option<Tls>,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> dossier_model::Result<()> {
    check_listen(&listen, tls.is_some())?;
    db::check_schema(&pool).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| Error::io(format!("listening on {listen}"), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("the listening address", e))?;
    ready(addr);
    crate::listen::serve(listener, tls, router(pool), shutdown).await
}
