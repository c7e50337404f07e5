//! One error type for the whole application. The `code` is a closed set the UI
//! and scripts act on; the `message` is for people.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The closed set of error codes. Add one only when a caller must act on it
/// differently from the existing ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// An id (article, claim, note, code) does not exist.
    NotFound,
    /// The request itself is malformed (empty title, confidence out of range…).
    InvalidInput,
    /// The quote of a new claim does not occur in the article.
    QuoteNotFound,
    /// A code path that is not in the codebook.
    UnknownCode,
    /// Something with the same identity already exists.
    Conflict,
    /// A file that cannot be read or whose format is not supported.
    Unsupported,
    /// The notebook was written by a newer Dossier.
    NotebookTooNew,
    /// Another process holds the notebook and did not let go in time.
    Busy,
    /// Reading or writing a file failed.
    Io,
    /// The database reported an error.
    Storage,
    /// The search index reported an error.
    Index,
    /// The user cancelled a long operation.
    Cancelled,
    /// A path the user did not pick (in a dialog, by dropping it on the window or on
    /// the command line): the window may not name files by itself.
    Forbidden,
    /// A bug: should never reach a user.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::QuoteNotFound => "quote_not_found",
            ErrorCode::UnknownCode => "unknown_code",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Unsupported => "unsupported",
            ErrorCode::NotebookTooNew => "notebook_too_new",
            ErrorCode::Busy => "busy",
            ErrorCode::Io => "io",
            ErrorCode::Storage => "storage",
            ErrorCode::Index => "index",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Internal => "internal",
        }
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
