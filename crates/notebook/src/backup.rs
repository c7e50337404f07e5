//! Backups: one zip with a consistent snapshot of the database (SQLite's
//! online backup API, so the app can keep writing meanwhile), the original
//! source files and a manifest; and restoring such a zip into a new notebook,
//! whose search index is then rebuilt from the restored database.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use dossier_model::{Error, ErrorCode, Result};
use dossier_store::{articles, claims, notes, now};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::exporting::APP_VERSION;
use crate::{Notebook, DB_FILE, SOURCES_DIR};

pub const BACKUP_FORMAT: &str = "dossier-backup/1";
const MANIFEST: &str = "manifest.json";
/// A restore refuses archives that claim to unpack to more than this.
const MAX_RESTORE_BYTES: u64 = 256 << 30;

fn is_source_name(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
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
                    .is_some_and(|n| is_source_name(&n.to_string_lossy()))
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
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
            Error::new(
                ErrorCode::Unsupported,
                format!("'{}' is not a Dossier backup: {e}", backup.display()),
            )
        })?;
        let manifest: serde_json::Value = {
            let mut entry = zip.by_name(MANIFEST).map_err(|_| {
                Error::new(
                    ErrorCode::Unsupported,
                    format!(
                        "'{}' is not a Dossier backup (no manifest)",
                        backup.display()
                    ),
                )
            })?;
            let mut buf = Vec::new();
            (&mut entry)
                .take(1 << 20)
                .read_to_end(&mut buf)
                .map_err(|e| Error::io("reading the manifest", e))?;
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
        let declared: u64 = (0..zip.len())
            .filter_map(|i| zip.by_index_raw(i).ok().map(|e| e.size()))
            .sum();
        if declared > MAX_RESTORE_BYTES {
            return Err(Error::new(
                ErrorCode::Unsupported,
                "the backup claims to unpack to more than 256 GB",
            ));
        }
        let staging = into.with_file_name(format!(
            ".{}.restoring-{}",
            into.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(staging.join(SOURCES_DIR))
            .map_err(|e| Error::io(format!("creating '{}'", staging.display()), e))?;
        let unpacked = (|| {
            let mut has_db = false;
            for i in 0..zip.len() {
                let mut entry = zip
                    .by_index(i)
                    .map_err(|e| zip_err("reading the backup", e))?;
                let name = entry.name().to_string();
                let target = if name == MANIFEST {
                    continue;
                } else if name == DB_FILE {
                    has_db = true;
                    staging.join(DB_FILE)
                } else if let Some(hash) = name
                    .strip_prefix(&format!("{SOURCES_DIR}/"))
                    .filter(|h| is_source_name(h))
                {
                    staging.join(SOURCES_DIR).join(hash)
                } else {
                    return Err(Error::new(
                        ErrorCode::Unsupported,
                        format!(
                            "the backup holds an unexpected entry '{name}'; nothing was restored"
                        ),
                    ));
                };
                let size = entry.size();
                let mut out = std::fs::File::create(&target)
                    .map_err(|e| Error::io(format!("writing '{}'", target.display()), e))?;
                let mut hasher = Sha256::new();
                let mut buf = vec![0u8; 1 << 16];
                let mut limited = (&mut entry).take(size);
                loop {
                    let n = limited
                        .read(&mut buf)
                        .map_err(|e| Error::io(format!("unpacking '{name}'"), e))?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                    out.write_all(&buf[..n])
                        .map_err(|e| Error::io(format!("writing '{}'", target.display()), e))?;
                }
                out.sync_all()
                    .map_err(|e| Error::io(format!("writing '{}'", target.display()), e))?;
                if let Some(hash) = name.strip_prefix(&format!("{SOURCES_DIR}/")) {
                    if hex::encode(hasher.finalize()) != hash {
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
