//! `check --repair`: fix what can be fixed without guessing, say what was
//! done, and report what remains. The search index is rebuilt from SQLite;
//! original files that no article references any more (left by deleted
//! articles, or by an import that crashed between writing the file and
//! committing its row) are removed once they are old enough not to belong to
//! an import still running. Damage to the database itself or to an original
//! file is never "repaired": the report points to a backup.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use dossier_model::{RepairReport, Result};
use dossier_store::articles;
use dossier_store::Write;

use crate::{indexer, Notebook, SOURCES_DIR};

/// A file this young may belong to an import in flight.
const ORPHAN_GRACE: Duration = Duration::from_secs(10 * 60);

impl Notebook {
    pub fn repair(&self) -> Result<RepairReport> {
        let mut actions = Vec::new();
        self.flush_index()?;
        let before = self.check()?;
        if before.problems.iter().any(|p| p.contains("search index")) {
            let n = indexer::rebuild(&self.core, &mut |_, _| {})?;
            actions.push(format!(
                "rebuilt the search index from the database ({n} documents)"
            ));
        }
        let mut referenced: HashSet<String> = self
            .core
            .store
            .read(articles::source_hashes)?
            .into_iter()
            .map(|(_, sha)| sha)
            .collect();
        // Articles in the trash can come back: their original files stay.
        referenced.extend(self.trashed_article_sources()?);
        // So do the images their figures show.
        let images: Vec<String> = self
            .core
            .store
            .read(dossier_store::structure::images)?
            .into_iter()
            .filter(|(source, _)| referenced.contains(source))
            .map(|(_, image)| image)
            .collect();
        let originals = referenced.clone();
        referenced.extend(images);
        let dir = self.core.dir.join(SOURCES_DIR);
        let now = SystemTime::now();
        let mut removed = 0;
        let mut bytes = 0u64;
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let Ok(meta) = e.metadata() else { continue };
                let old = meta
                    .modified()
                    .ok()
                    .and_then(|m| now.duration_since(m).ok())
                    .is_some_and(|age| age > ORPHAN_GRACE);
                // Only files Dossier names (by their SHA-256) are ever candidates.
                let orphan =
                    dossier_model::limits::is_sha256_hex(&name) && !referenced.contains(&name);
                if meta.is_file() && orphan && old && std::fs::remove_file(e.path()).is_ok() {
                    removed += 1;
                    bytes += meta.len();
                }
            }
        }
        if removed > 0 {
            actions.push(format!(
                "removed {removed} original file(s) no article uses any more ({:.1} MB)",
                bytes as f64 / 1e6
            ));
        }
        let (pages, structures) = self.core.store.write(Write::Maintenance, |c| {
            Ok((
                dossier_store::layout::collect(c, &originals)?,
                dossier_store::structure::collect(c, &originals)?,
            ))
        })?;
        if structures > 0 {
            actions.push(format!(
                "removed the text structure of {structures} original(s) no article uses any more"
            ));
        }
        if pages > 0 {
            actions.push(format!(
                "removed the page layout of {pages} PDF page(s) no article uses any more"
            ));
        }
        let mut check = self.check()?;
        if check
            .problems
            .iter()
            .any(|p| p.starts_with("database") || p.starts_with("source file"))
        {
            check.problems.push(
                "the damage above cannot be repaired in place: restore the latest backup (`dossier restore`)".into(),
            );
        }
        if actions.is_empty() {
            actions.push("nothing needed repair".into());
        }
        Ok(RepairReport { actions, check })
    }

    /// Writes a backup into `<notebook>/backups/` when the newest there is
    /// older than `every` (or there is none), and keeps the newest `keep`.
    /// Returns the new file, if one was written.
    pub fn rotate_backups(
        &self,
        every: Duration,
        keep: usize,
    ) -> Result<Option<std::path::PathBuf>> {
        let dir = self.core.dir.join(BACKUPS_DIR);
        std::fs::create_dir_all(&dir)
            .map_err(|e| dossier_model::Error::io(format!("creating '{}'", dir.display()), e))?;
        let mut existing = self.backups()?;
        let newest_age = existing
            .last()
            .and_then(|p| p.metadata().ok())
            .and_then(|m| m.modified().ok())
            .and_then(|m| SystemTime::now().duration_since(m).ok());
        let mut written = None;
        if newest_age.is_none_or(|age| age >= every) {
            let stamp = dossier_store::now()
                .replace([':', '-'], "")
                .replace('T', "-");
            let name = format!("backup-{}.zip", &stamp[..stamp.len().min(15)]);
            let path = dir.join(name);
            self.backup(&path, &mut |_, _| {})?;
            existing.push(path.clone());
            written = Some(path);
        }
        while existing.len() > keep.max(1) {
            let oldest = existing.remove(0);
            let _ = std::fs::remove_file(oldest);
        }
        Ok(written)
    }

    /// The automatic backups of this notebook, oldest first.
    pub fn backups(&self) -> Result<Vec<std::path::PathBuf>> {
        let dir = self.core.dir.join(BACKUPS_DIR);
        let mut list: Vec<std::path::PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().is_some_and(|n| {
                        n.to_string_lossy().starts_with("backup-")
                            && n.to_string_lossy().ends_with(".zip")
                    })
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        // Names carry the UTC time, so they sort by age.
        list.sort();
        Ok(list)
    }
}

pub const BACKUPS_DIR: &str = "backups";
