//! Mapping SQLite errors into Dossier's error codes, and the shared clock.

use dossier_model::names::WireEnum;
use dossier_model::{EntityKind, Error, ErrorCode};

/// Turns a rusqlite error into Dossier's error; lock contention becomes `Busy`
/// so that the UI can tell the user another process is writing.
pub fn sql_err(err: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(e, _) = &err {
        match e.code {
            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                return Error::new(
                    ErrorCode::Busy,
                    "the notebook is busy: another Dossier process is writing to it; try again in a moment",
                )
            }
            rusqlite::ErrorCode::ConstraintViolation => {
                return Error::new(ErrorCode::Conflict, format!("the change conflicts with existing data: {err}"))
            }
            _ => {}
        }
    }
    Error::new(ErrorCode::Storage, format!("database error: {err}"))
}

/// Current time as RFC 3339 UTC with millisecond precision.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The same UUID (version 8, from SHA-256) for the same `seed` in every
/// notebook: ids of things every notebook creates alike (the default codebook).
pub fn stable_id(seed: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(seed.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Milliseconds since 1970 of a time `now()` wrote.
pub fn millis(at: &str) -> Option<u64> {
    chrono::DateTime::parse_from_rfc3339(at)
        .ok()
        .and_then(|t| u64::try_from(t.timestamp_millis()).ok())
}

/// An entity kind read from a column; an unknown name is an error, never
/// mistaken for another kind.
pub fn entity_kind(name: String) -> rusqlite::Result<EntityKind> {
    wire_column(name, "entity kind")
}

/// A value of one of the model's string enums (a role, a kind of synced
/// entity…) read from a column; an unknown name is an error, never a default.
pub fn wire_column<T: WireEnum>(name: String, what: &str) -> rusqlite::Result<T> {
    T::from_name(&name).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown {what} '{name}'").into(),
        )
    })
}
