//! Backups: one zip with a consistent snapshot of the database (SQLite's
//! online backup API, so the app can keep writing meanwhile), the original
//! source files and a manifest; and restoring such a zip into a new notebook,
//! whose search index is then rebuilt from the restored database.

use std::io::Write;
use std::path::{Path, PathBuf};

use dossier_model::limits::is_sha256_hex;
use dossier_model::{Error, ErrorCode, Result};
use dossier_store::{articles, claims, notes, now};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::exporting::APP_VERSION;
use crate::{Notebook, DB_FILE, SOURCES_DIR};

pub const BACKUP_FORMAT: &str = "dossier-backup/1";
const MANIFEST: &str = "manifest.json";
/// A restore never unpacks more than this, whatever the archive and the disk.
const MAX_RESTORE_BYTES: u64 = 256 << 30;
/// ... nor more than this multiple of the archive's own size.
const MAX_RESTORE_RATIO: u64 = 50;
/// ... and leaves at least this much of the disk free.
const RESTORE_DISK_MARGIN: u64 = 256 << 20;
/// Entries a backup may hold (a database, a manifest and one file per article).
const MAX_RESTORE_ENTRIES: usize = 5_000_000;

/// The bytes a restore of an archive of `archive_len` may unpack with `free` bytes free.
fn restore_budget(archive_len: u64, free: Option<u64>) -> u64 {
    let by_ratio = archive_len.saturating_mul(MAX_RESTORE_RATIO).max(1 << 20);
    let by_disk = free.map_or(u64::MAX, |f| f.saturating_sub(RESTORE_DISK_MARGIN));
    by_ratio.min(by_disk).min(MAX_RESTORE_BYTES)
}

/// Free bytes on the disk that holds `dir` (or its nearest existing ancestor).
fn free_space_near(dir: &Path) -> Option<u64> {
    dir.ancestors()
        .find(|a| a.exists())
        .and_then(|a| fs4::available_space(a).ok())
}

/// Writes through and hashes what it writes.
struct HashingWriter<W: Write> {
    out: W,
    hasher: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn zip_err(context: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("{context}: {e}"))
}

impl Notebook {
    /// Writes a backup zip to `out` (through a temporary file, renamed at the end).
    pub fn backup(&self, out: &Path, progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        let dir = out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating '{}'", dir.display()), e))?;
        let snapshot = tempfile_in(dir, "sqlite")?;
        let tmp_zip = tempfile_in(dir, "zip")?;
        let result = (|| {
            self.core.store.backup_to(&snapshot)?;
            let (a, c, n) = self.core.store.read(|conn| {
                Ok((
                    articles::count(conn)?,
                    claims::count(conn)?,
                    notes::count(conn)?,
                ))
            })?;
            let sources = self.source_files()?;
            let total = sources.len() + 1;
            let file = std::fs::File::create(&tmp_zip)
                .map_err(|e| Error::io(format!("creating '{}'", tmp_zip.display()), e))?;
            let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
            let deflate = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true);
            let manifest = json!({
                "format": BACKUP_FORMAT,
                "created_at": now(),
                "app_version": APP_VERSION,
                "schema_version": dossier_store::migrate::latest_version(),
                "notebook": self.title(),
                "articles": a, "claims": c, "notes": n,
                "sources": sources.len(),
            });
            zip.start_file(MANIFEST, deflate)
                .map_err(|e| zip_err("writing the backup", e))?;
            zip.write_all(&serde_json::to_vec_pretty(&manifest).expect("json"))
                .map_err(|e| Error::io("writing the backup", e))?;
            progress(0, total);
            copy_into_zip(&mut zip, DB_FILE, &snapshot, deflate)?;
            for (i, path) in sources.iter().enumerate() {
                progress(i + 1, total);
                let name = format!(
                    "{SOURCES_DIR}/{}",
                    path.file_name().expect("file").to_string_lossy()
                );
                copy_into_zip(&mut zip, &name, path, deflate)?;
            }
            let mut inner = zip
                .finish()
                .map_err(|e| zip_err("finishing the backup", e))?;
            inner
                .flush()
                .map_err(|e| Error::io("writing the backup", e))?;
            let file = inner
                .into_inner()
                .map_err(|e| Error::io("writing the backup", e.into_error()))?;
            file.sync_all()
                .map_err(|e| Error::io("writing the backup", e))?;
            std::fs::rename(&tmp_zip, out)
                .map_err(|e| Error::io(format!("writing '{}'", out.display()), e))?;
            progress(total, total);
            Ok(())
        })();
        let _ = std::fs::remove_file(&snapshot);
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp_zip);
        }
        result
    }

    /// The original files kept in `sources/`, sorted.
    fn source_files(&self) -> Result<Vec<PathBuf>> {
        let dir = self.core.dir.join(SOURCES_DIR);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(format!("listing '{}'", dir.display()), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| is_sha256_hex(&n.to_string_lossy()))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    /// Restores a backup zip into `into`, which must not exist or be empty,
    /// and opens it. Every entry is checked before anything lands in `into`:
    /// only the manifest, the database and `sources/<sha256>` files whose
    /// content matches their name are accepted.
    pub fn restore(backup: &Path, into: &Path) -> Result<Notebook> {
        if into.exists()
            && std::fs::read_dir(into)
                .map_err(|e| Error::io(format!("reading '{}'", into.display()), e))?
                .next()
                .is_some()
        {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!(
                    "'{}' is not empty; restore into a new folder",
                    into.display()
                ),
            ));
        }
        let file = std::fs::File::open(backup)
            .map_err(|e| Error::io(format!("opening '{}'", backup.display()), e))?;
        let archive_len = file.metadata().map(|m| m.len()).unwrap_or(0);
        // What a restore may unpack: a multiple of the archive (deflate's own limit is
        // ~1000:1; a database and text compress 3–10:1), never more than the disk can
        // take with room to spare, and never more than MAX_RESTORE_BYTES.
        let parent = into
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let free = free_space_near(parent);
        let total = restore_budget(archive_len, free);
        let what = format!("'{}'", backup.display());
        let mut zip = dossier_ingest::archive::Archive::open_with(
            std::io::BufReader::new(file),
            &what,
            dossier_ingest::archive::Limits {
                entries: MAX_RESTORE_ENTRIES,
                entry_bytes: total,
                total_bytes: total,
            },
        )
        .map_err(|e| {
            Error::new(
                ErrorCode::Unsupported,
                format!("{what} is not a Dossier backup: {}", e.message),
            )
        })?;
        let manifest: serde_json::Value = {
            if !zip.has(MANIFEST) {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    format!("{what} is not a Dossier backup (no manifest)"),
                ));
            }
            let buf = zip.read_at_most(MANIFEST, 1 << 20)?;
            serde_json::from_slice(&buf).map_err(|e| {
                Error::new(
                    ErrorCode::Unsupported,
                    format!("the backup's manifest is damaged: {e}"),
                )
            })?
        };
        if manifest.get("format").and_then(|f| f.as_str()) != Some(BACKUP_FORMAT) {
            return Err(Error::new(
                ErrorCode::Unsupported,
                "this backup was written in a format this version of Dossier does not know",
            ));
        }
        // A staging folder of our own, next to the target: created here (it must not
        // exist), so removing it on failure only ever removes what this restore made.
        let staging = into.with_file_name(format!(
            ".{}.restoring-{}",
            into.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            dossier_store::new_id()
        ));
        if let Some(parent) = staging.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("creating '{}'", parent.display()), e))?;
        }
        std::fs::create_dir(&staging)
            .and_then(|()| std::fs::create_dir(staging.join(SOURCES_DIR)))
            .map_err(|e| Error::io(format!("creating '{}'", staging.display()), e))?;
        let unpacked = (|| {
            let mut has_db = false;
            for name in zip.names() {
                let target = if name == MANIFEST {
                    continue;
                } else if name == DB_FILE {
                    has_db = true;
                    staging.join(DB_FILE)
                } else if let Some(hash) = name
                    .strip_prefix(&format!("{SOURCES_DIR}/"))
                    .filter(|h| is_sha256_hex(h))
                {
                    staging.join(SOURCES_DIR).join(hash)
                } else {
                    return Err(Error::new(
                        ErrorCode::Unsupported,
                        format!(
                            "the backup holds an unexpected entry '{}'; nothing was restored",
                            dossier_model::limits::printable(&name)
                        ),
                    ));
                };
                let out = std::fs::File::create_new(&target)
                    .map_err(|e| Error::io(format!("writing '{}'", target.display()), e))?;
                let mut sink = HashingWriter {
                    out: std::io::BufWriter::new(out),
                    hasher: Sha256::new(),
                };
                zip.copy_to(&name, &mut sink)?;
                let file = sink.out.into_inner().map_err(|e| {
                    Error::io(format!("writing '{}'", target.display()), e.into_error())
                })?;
                file.sync_all()
                    .map_err(|e| Error::io(format!("writing '{}'", target.display()), e))?;
                if let Some(hash) = name.strip_prefix(&format!("{SOURCES_DIR}/")) {
                    if hex::encode(sink.hasher.finalize()) != hash {
                        return Err(Error::new(ErrorCode::Unsupported, format!("the source file '{hash}' in the backup is damaged; nothing was restored")));
                    }
                }
            }
            if !has_db {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    "the backup holds no database",
                ));
            }
            // Every hash the database names must be one before the notebook is opened
            // anywhere (opening checks it too; this keeps the staging folder private).
            let store = dossier_store::Store::open(&staging.join(DB_FILE))?;
            if let Some(bad) = store.read(articles::malformed_source_hash)? {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    format!(
                        "the backup's database names an original file '{}' that is not a SHA-256; nothing was restored",
                        dossier_model::limits::printable(&bad.chars().take(80).collect::<String>())
                    ),
                ));
            }
            // A restored notebook leaves its team: the hub holds the original's changes up
            // to a point this copy may be behind, and a second notebook syncing as the same
            // origin would have changes taken for replays. Joining again is safe (a new
            // origin; what is the same on both sides changes nothing).
            store.write(dossier_store::Write::Sync, dossier_store::team::leave)?;
            Ok(())
        })();
        if let Err(e) = unpacked {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        if into.exists() {
            std::fs::remove_dir(into)
                .map_err(|e| Error::io(format!("replacing the empty '{}'", into.display()), e))?;
        }
        if let Some(parent) = into.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("creating '{}'", parent.display()), e))?;
        }
        std::fs::rename(&staging, into).map_err(|e| {
            Error::io(
                format!("moving the restored notebook to '{}'", into.display()),
                e,
            )
        })?;
        // Opening migrates an older schema and rebuilds the (absent) index from SQLite.
        let nb = Notebook::open(into)?;
        let problems = nb.core.store.integrity_check()?;
        if !problems.is_empty() {
            return Err(Error::new(
                ErrorCode::Storage,
                format!("the restored database is damaged: {}", problems.join("; ")),
            ));
        }
        nb.flush_index()?;
        Ok(nb)
    }
}

fn tempfile_in(dir: &Path, ext: &str) -> Result<PathBuf> {
    let p = dir.join(format!(
        ".dossier-backup-{}-{}.{ext}",
        std::process::id(),
        dossier_store::new_id()
    ));
    Ok(p)
}

fn copy_into_zip<W: Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    name: &str,
    path: &Path,
    opts: zip::write::SimpleFileOptions,
) -> Result<()> {
    zip.start_file(name, opts)
        .map_err(|e| zip_err("writing the backup", e))?;
    let mut f = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("reading '{}'", path.display()), e))?;
    std::io::copy(&mut f, zip)
        .map_err(|e| Error::io(format!("adding '{}' to the backup", path.display()), e))?;
    Ok(())
}
