//! One error type for the whole application. The `code` is a closed set the UI
//! and scripts act on; the `message` is for people.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::wire_enum! {
    /// The closed set of error codes. Add one only when a caller must act on it
    /// differently from the existing ones.
    pub enum ErrorCode {
        /// An id (article, claim, note, code) does not exist.
        NotFound = "not_found",
        /// The request itself is malformed (empty title, confidence out of range…).
        InvalidInput = "invalid_input",
        /// The quote of a new claim does not occur in the article.
        QuoteNotFound = "quote_not_found",
        /// A code path that is not in the codebook.
        UnknownCode = "unknown_code",
        /// Something with the same identity already exists.
        Conflict = "conflict",
        /// A file that cannot be read or whose format is not supported.
        Unsupported = "unsupported",
        /// The notebook was written by a newer Dossier.
        NotebookTooNew = "notebook_too_new",
        /// Another process holds the notebook and did not let go in time.
        Busy = "busy",
        /// Reading or writing a file failed.
        Io = "io",
        /// The database reported an error.
        Storage = "storage",
        /// The search index reported an error.
        Index = "index",
        /// The user cancelled a long operation.
        Cancelled = "cancelled",
        /// A path the user did not pick (in a dialog, by dropping it on the window or on
        /// the command line): the window may not name files by itself.
        Forbidden = "forbidden",
        /// The team's hub did not accept the notebook's token (wrong, revoked,
        /// or a reader's token used to push).
        Unauthorized = "unauthorized",
        /// The team's hub cannot be reached (offline, or it is down): the
        /// notebook works on and syncs later.
        Unreachable = "unreachable",
        /// A bug: should never reach a user.
        Internal = "internal",
    }
}

/// `{code, message}`: what every failing operation returns, across every boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }
    pub fn not_found(what: &str, id: &str) -> Self {
        Error::new(ErrorCode::NotFound, format!("no {what} with id '{id}'"))
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidInput, message)
    }
    pub fn io(context: impl std::fmt::Display, err: std::io::Error) -> Self {
        Error::new(ErrorCode::Io, format!("{context}: {err}"))
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::Internal, message)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
