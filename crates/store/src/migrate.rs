//! Forward-only migrations, embedded in the binary.
//!
//! Each file of `migrations/` runs in its own `BEGIN IMMEDIATE` transaction
//! together with the `user_version` bump, so a crash leaves the database at the
//! previous version, never half-way. A database whose `user_version` is higher
//! than the last migration we know was written by a newer Dossier: we refuse it
//! rather than guess, and never reset user data to "recover".

use dossier_model::{Error, ErrorCode, Result};
use rusqlite::{Connection, TransactionBehavior};

use crate::sql_err;

/// `(version, sql)`, in order. Never edit a released file: add a new one.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../../../migrations/0001_init.sql")),
    (2, include_str!("../../../migrations/0002_page_starts.sql")),
    (3, include_str!("../../../migrations/0003_versions.sql")),
    (
        4,
        include_str!("../../../migrations/0004_relations_verdicts.sql"),
    ),
    (5, include_str!("../../../migrations/0005_suggestions.sql")),
    (6, include_str!("../../../migrations/0006_history.sql")),
    (
        7,
        include_str!("../../../migrations/0007_source_url_index.sql"),
    ),
    (
        8,
        include_str!("../../../migrations/0008_article_library_index.sql"),
    ),
    (9, include_str!("../../../migrations/0009_change_steps.sql")),
    (10, include_str!("../../../migrations/0010_reading.sql")),
    (
        11,
        include_str!("../../../migrations/0011_redo_chain_index.sql"),
    ),
    (
        12,
        include_str!("../../../migrations/0012_attributes_sets.sql"),
    ),
    (
        13,
        include_str!("../../../migrations/0013_translations_glossary_memos.sql"),
    ),
    (14, include_str!("../../../migrations/0014_pdf_pages.sql")),
    (15, include_str!("../../../migrations/0015_blocks.sql")),
    (16, include_str!("../../../migrations/0016_team.sql")),
    (17, include_str!("../../../migrations/0017_team_ca.sql")),
    (
        18,
        include_str!("../../../migrations/0018_sync_relations_verdicts.sql"),
    ),
    (19, include_str!("../../../migrations/0019_team_scope.sql")),
    (20, include_str!("../../../migrations/0020_outbox_meta.sql")),
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

pub fn user_version(conn: &Connection) -> Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql_err)
}

/// Applies every pending migration. Returns the versions applied.
pub fn migrate(conn: &mut Connection) -> Result<Vec<u32>> {
    let current = user_version(conn)?;
    let latest = latest_version();
    if current > latest {
        return Err(Error::new(
            ErrorCode::NotebookTooNew,
            format!(
                "this notebook was written by a newer version of Dossier (schema {current}; this version knows up to {latest}); please update Dossier"
            ),
        ));
    }
    // An existing notebook is copied (online backup API) before its schema
    // changes, so an upgrade can always be undone by hand.
    if current >= 1 && current < latest {
        if let Some(path) = conn.path().map(std::path::PathBuf::from) {
            let backup = path.with_file_name(format!(
                "{}.before-schema-{latest}.bak",
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ));
            conn.backup(rusqlite::MAIN_DB, &backup, rusqlite::backup::NO_PROGRESS)
                .map_err(|e| {
                    Error::new(
                        ErrorCode::Storage,
                        format!("backing up before the upgrade failed: {e}"),
                    )
                })?;
        }
    }
    let mut applied = Vec::new();
    for &(version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_err)?;
        // Re-check inside the lock: another process may have migrated meanwhile.
        if user_version(&tx)? >= version {
            continue;
        }
        tx.execute_batch(sql).map_err(|e| {
            Error::new(
                ErrorCode::Storage,
                format!("migration {version} failed: {e}"),
            )
        })?;
        tx.pragma_update(None, "user_version", version)
            .map_err(sql_err)?;
        tx.commit().map_err(sql_err)?;
        applied.push(version);
    }
    Ok(applied)
}
