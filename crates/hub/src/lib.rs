//! The team hub: analysts' notebooks push their changes to it and pull the
//! team's; PostgreSQL holds the team's record (members and their hashed
//! tokens, the append-only change log in the team's order, every entity's
//! current state, the conflicts merges decided, original files by SHA-256).
//!
//! The hub keeps no state of its own between requests (a cache of tokens that
//! passed aside), so several can serve one database. It never depends on the
//! notebook's storage: what crosses is `dossier_model::sync`.

pub mod auth;
pub mod db;
pub mod listen;
pub mod server;
