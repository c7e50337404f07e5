//! Connections: one writer, a few readers.
//!
//! Why not one `Mutex<Connection>`: searches, list views and exports would
//! queue behind an import. In WAL mode readers never block the writer nor each
//! other, so a handful of reader connections lets the window stay live while a
//! bulk import writes. Four readers cover the UI, an export and the indexer on
//! a 2-core machine; more would only hold file descriptors and page caches.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use dossier_model::{Error, ErrorCode, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::{migrate, sql_err};

const READERS: usize = 4;
/// How long a statement waits for another process's write lock before `Busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    reader_freed: Condvar,
    /// The change-feed rows this process wrote, as ranges `(after, up to]`
    /// (the newest few hundred): a window following the feed skips its own
    /// changes, which it has shown already.
    own_feed: Mutex<std::collections::VecDeque<(i64, i64)>>,
}

impl Store {
    /// Opens (creating when missing) the database at `path` and applies pending migrations.
    /// Refuses a database written by a newer Dossier.
    pub fn open(path: &Path) -> Result<Store> {
        let mut writer = open_connection(path, false)?;
        migrate::migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| open_connection(path, true))
            .collect::<Result<Vec<_>>>()?;
        Ok(Store {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers: Mutex::new(readers),
            reader_freed: Condvar::new(),
            own_feed: Default::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on a reader connection (waits while all are in use), inside
    /// one read transaction: everything `f` reads comes from one snapshot of
    /// the database (an export of many articles never mixes states), and the
    /// statements share one WAL read lock instead of taking it each.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = {
            let mut pool = self.readers.lock().map_err(|_| poisoned())?;
            loop {
                if let Some(c) = pool.pop() {
                    break c;
                }
                pool = self.reader_freed.wait(pool).map_err(|_| poisoned())?;
            }
        };
        // Return the connection even when `f` panics, so the pool never shrinks.
        struct Return<'a>(&'a Store, Option<Connection>);
        impl Drop for Return<'_> {
            fn drop(&mut self) {
                if let Some(c) = self.1.take() {
                    // Ends the read transaction, also after an error or a panic in `f`.
                    if !c.is_autocommit() {
                        let _ = c.execute_batch("ROLLBACK");
                    }
                    if let Ok(mut pool) = self.0.readers.lock() {
                        pool.push(c);
                        self.0.reader_freed.notify_one();
                    }
                }
            }
        }
        let guard = Return(self, Some(conn));
        let c = guard.1.as_ref().expect("present until drop");
        c.prepare_cached("BEGIN DEFERRED")
            .and_then(|mut s| s.execute([]))
            .map_err(sql_err)?;
        f(c)
    }

    /// Runs `f` inside one `BEGIN IMMEDIATE` transaction; commits when it returns Ok,
    /// rolls back otherwise. Nothing is ever half-written. `why` says how the
    /// write relates to the change log (see [`Write`]).
    pub fn write<T>(&self, why: Write, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let _ = why;
        let mut conn = self.writer.lock().map_err(|_| poisoned())?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_err)?;
        // Writes are serialised by SQLite: feed rows past the head seen at
        // the start of this transaction are this transaction's own.
        let head = |c: &Connection| {
            c.query_row("SELECT coalesce(max(seq), 0) FROM change_feed", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(sql_err)
        };
        let before = head(&tx)?;
        let value = f(&tx)?;
        let after = head(&tx)?;
        tx.commit().map_err(sql_err)?;
        if after > before {
            let mut own = self.own_feed.lock().map_err(|_| poisoned())?;
            own.push_back((before, after));
            while own.len() > 512 {
                own.pop_front();
            }
        }
        Ok(value)
    }

    /// Whether this process wrote the change-feed row `seq` (as far as it remembers).
    pub fn wrote_feed_row(&self, seq: i64) -> bool {
        self.own_feed
            .lock()
            .map(|own| own.iter().any(|&(a, b)| seq > a && seq <= b))
            .unwrap_or(false)
    }

    /// Copies the database into `dest` through SQLite's online backup API, so the
    /// copy is consistent even while other connections write.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.read(|conn| {
            let mut out = Connection::open(dest).map_err(sql_err)?;
            let backup = rusqlite::backup::Backup::new(conn, &mut out).map_err(sql_err)?;
            backup
                .run_to_completion(256, Duration::from_millis(5), None)
                .map_err(sql_err)
        })
    }
}

/// Copies the database at `src` (another notebook's, never modified: opened
/// read-only) into `dest` through the online backup API.
pub fn copy_database(src: &Path, dest: &Path) -> Result<()> {
    let from = Connection::open_with_flags(
        src,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err)?;
    let mut out = Connection::open(dest).map_err(sql_err)?;
    let backup = rusqlite::backup::Backup::new(&from, &mut out).map_err(sql_err)?;
    backup
        .run_to_completion(256, Duration::from_millis(5), None)
        .map_err(sql_err)
}

/// How a write relates to the change log, said at every write. The user's
/// changes to claims, notes, codes and articles are `Logged`: the façade's
/// journal helpers (and only they) write them, and [`crate::journal::record`]
/// logs each with its outbox row in the same transaction. The other kinds are
/// the writes history deliberately does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// A change the caller logs in the same transaction (`journal::record`).
    Logged,
    /// New articles from an import: undone by deleting them (which is logged),
    /// not by the log, which would otherwise hold a second copy of every text.
    NewArticles,
    /// The default codebook of a notebook being created.
    NewNotebook,
    /// The analyst's preferences (a dismissed suggestion), not content.
    Preferences,
    /// Housekeeping of the log itself (purging the trash).
    Maintenance,
    /// The notebook's link to its team (cursors, bases, the conflicts list);
    /// the team's changes themselves are applied as `Logged` writes.
    Sync,
}

impl Store {
    /// `PRAGMA integrity_check`: an empty list when the database is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        self.read(|conn| {
            let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(sql_err)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(sql_err)?;
            let lines: Vec<String> = rows.collect::<Result<_, _>>().map_err(sql_err)?;
            Ok(lines.into_iter().filter(|l| l != "ok").collect())
        })
    }

    /// How many rows reference rows that do not exist (`PRAGMA foreign_key_check`).
    pub fn foreign_key_violations(&self) -> Result<i64> {
        self.read(|conn| {
            conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .map_err(sql_err)
        })
    }
}

fn poisoned() -> Error {
    Error::new(
        ErrorCode::Internal,
        "a database connection was poisoned by an earlier panic",
    )
}

fn open_connection(path: &Path, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI
    };
    let conn = Connection::open_with_flags(path, flags).map_err(sql_err)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql_err)?;
    // journal_mode=WAL persists in the file; setting it on every open is harmless
    // and repairs a file copied without its mode. synchronous=NORMAL is durable
    // across application crashes in WAL mode (only an OS crash can lose the last
    // commits); FULL would fsync every commit and make bulk import crawl.
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql_err)?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(sql_err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(sql_err)?;
    // SQLite's default page cache is 2 MB; on a notebook of hundreds of
    // megabytes every B-tree walk then goes back to the OS (measured: ~140
    // reads per claim insert at 100 000 articles). The writer, which walks the
    // indexes on every insert, gets 64 MB; readers keep 4 MB each (a bigger reader
    // cache mostly held the article list the window reads once: +25 MB idle).
    // The memory is only taken as pages are actually used.
    let cache_kib = if read_only { 4 * 1024 } else { 64 * 1024 };
    conn.pragma_update(None, "cache_size", -cache_kib)
        .map_err(sql_err)?;
    crate::table::register_functions(&conn)?;
    // An export reads a dozen statements per article (the article, its claims,
    // their codes and translations in a few widths, notes, relations,
    // attributes, sets, pages): rusqlite's default cache of 16 evicted them in
    // turn, and every article re-parsed its SQL (seen in perf as SQLite's parser).
    conn.set_prepared_statement_cache_capacity(64);
    // The query planner stability guarantee: a cached statement keeps its plan
    // when its bound values change. Without it SQLite (built with STAT4)
    // prepared statements such as "the claims of article ?1" again on every
    // new binding — a third of an export's time, in SQLite's parser (perf).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(sql_err)?;
    // macOS: plain fsync does not reach the platter; ask for F_FULLFSYNC on checkpoints.
    #[cfg(target_os = "macos")]
    conn.pragma_update(None, "checkpoint_fullfsync", "ON")
        .map_err(sql_err)?;
    Ok(conn)
}
