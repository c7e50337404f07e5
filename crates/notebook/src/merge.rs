//! Merging another notebook into this one (a second analyst's coding of the same articles).

use dossier_model::{Error, Result};

use crate::Notebook;

impl Notebook {
    /// Brings another notebook's articles, claims (with their analysts), codes
    /// and notes into this one — how two analysts' coding of the same articles
    /// meets for `agreement`. The other notebook is read, never changed: its
    /// database is copied (online backup) into a scratch notebook, exported as
    /// a REFI-QDA project and imported here, which matches articles by their
    /// text, keeps ids, and adds nothing twice. Returns the import's summary.
    pub fn merge_notebook(&self, other: &std::path::Path) -> Result<String> {
        let db = other.join(crate::DB_FILE);
        if !db.exists() {
            return Err(Error::new(
                dossier_model::ErrorCode::NotFound,
                format!("'{}' is not a Dossier notebook", other.display()),
            ));
        }
        if other.canonicalize().ok() == self.dir().canonicalize().ok() {
            return Err(Error::invalid("a notebook cannot be merged into itself"));
        }
        let scratch = tempfile_dir(self.dir())?;
        let result = (|| {
            let copy = scratch.join("other.dossier");
            std::fs::create_dir_all(&copy)
                .map_err(|e| Error::io("creating a scratch folder", e))?;
            dossier_store::copy_database(&db, &copy.join(crate::DB_FILE))?;
            let theirs = Notebook::open_with(
                &copy,
                crate::OpenOptions {
                    background_indexer: false,
                    ..Default::default()
                },
            )?;
            let qdpx = scratch.join("other.qdpx");
            theirs.export(
                dossier_model::ExportFormat::Qdpx,
                &qdpx,
                &dossier_model::ExportScope::default(),
                true,
            )?;
            drop(theirs);
            let bytes =
                std::fs::read(&qdpx).map_err(|e| Error::io("reading the scratch project", e))?;
            let outcome = self
                .import_interchange_with(
                    "merge.qdpx",
                    &bytes,
                    crate::interop::InterchangeLimits::MERGE,
                )?
                .ok_or_else(|| Error::internal("the scratch project was not recognised"))?;
            if let Some(e) = outcome.error {
                return Err(Error::invalid(e));
            }
            Ok(outcome.summary.unwrap_or_default())
        })();
        let _ = std::fs::remove_dir_all(&scratch);
        result
    }
}

/// A scratch folder beside the notebook (same file system, cleaned up by the caller).
fn tempfile_dir(notebook: &std::path::Path) -> Result<std::path::PathBuf> {
    let dir = notebook.join(format!(".merge-{}", dossier_store::new_id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating a scratch folder", e))?;
    Ok(dir)
}
