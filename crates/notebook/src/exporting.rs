//! Export use cases: gather the scope from SQLite, hand plain data to `dossier-export`.

use std::path::{Path, PathBuf};

use dossier_export::{csv, markdown, safe_file_name, ArticleBundle};
use dossier_model::{Error, ErrorCode, ExportFormat, ExportScope, Result};
use dossier_store::{articles, claims, codes, notes};

use crate::Notebook;

impl Notebook {
    /// Writes an export and returns the files written. Existing files are never
    /// overwritten unless `force`. For Markdown, a path ending in `.md` gets one
    /// combined file; any other path is a folder with one file per article.
    pub fn export(
        &self,
        format: ExportFormat,
        out: &Path,
        scope: &ExportScope,
        force: bool,
    ) -> Result<Vec<PathBuf>> {
        self.export_with_progress(format, out, scope, force, &mut |_, _| {})
    }

    /// As `export`, reporting `(articles done, articles in scope)` as it goes.
    pub fn export_with_progress(
        &self,
        format: ExportFormat,
        out: &Path,
        scope: &ExportScope,
        force: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<PathBuf>> {
        let bundles = self.bundles(scope, progress)?;
        let written = match format {
            ExportFormat::Csv => {
                refuse_existing(out, force)?;
                let mut buf = Vec::new();
                csv::write(&bundles, &mut buf)?;
                write_file(out, &buf)?;
                vec![out.to_path_buf()]
            }
            ExportFormat::Markdown if is_md_file(out) => {
                refuse_existing(out, force)?;
                write_file(out, markdown::combined_document(&bundles).as_bytes())?;
                vec![out.to_path_buf()]
            }
            ExportFormat::Markdown => {
                if out.is_file() {
                    return Err(Error::new(
                        ErrorCode::Conflict,
                        format!("'{}' is a file, not a folder", out.display()),
                    ));
                }
                std::fs::create_dir_all(out)
                    .map_err(|e| Error::io(format!("creating '{}'", out.display()), e))?;
                let mut files = Vec::new();
                // Plan every name first so that nothing is written when one would be refused.
                for b in &bundles {
                    let short = b.article.id.rsplit('-').next().unwrap_or(&b.article.id);
                    let name = format!(
                        "{} ({}).md",
                        safe_file_name(&b.article.title),
                        &short[short.len().saturating_sub(6)..]
                    );
                    let path = out.join(name);
                    refuse_existing(&path, force)?;
                    files.push(path);
                }
                for (b, path) in bundles.iter().zip(&files) {
                    write_file(path, markdown::article_document(b).as_bytes())?;
                }
                files
            }
        };
        Ok(written)
    }

    fn bundles(
        &self,
        scope: &ExportScope,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<ArticleBundle>> {
        self.core.store.read(|c| {
            if let Some(code) = &scope.code {
                codes::require(c, code)?;
            }
            let ids: Vec<String> = match &scope.article_id {
                Some(id) => {
                    articles::get(c, id)?.ok_or_else(|| Error::not_found("article", id))?;
                    vec![id.clone()]
                }
                None => articles::list(c)?.into_iter().rev().map(|a| a.id).collect(),
            };
            let mut out = Vec::new();
            let total = ids.len();
            for (done, id) in ids.into_iter().enumerate() {
                progress(done, total);
                let article =
                    articles::get(c, &id)?.ok_or_else(|| Error::not_found("article", &id))?;
                let claims = claims::list(c, Some(&id), scope.code.as_deref())?;
                // A code scope keeps only the articles that have such claims.
                if scope.code.is_some() && claims.is_empty() {
                    continue;
                }
                let notes = notes::list(c, Some(&id))?;
                out.push(ArticleBundle {
                    article,
                    claims,
                    notes,
                });
            }
            Ok(out)
        })
    }
}

fn is_md_file(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn refuse_existing(path: &Path, force: bool) -> Result<()> {
    if path.exists() && !force {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!(
                "'{}' already exists; choose another name or overwrite explicitly (--force)",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// Writes through a temporary file in the same folder, so a crash never leaves a half file.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating '{}'", dir.display()), e))?;
    let tmp = dir.join(format!(".dossier-export-{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)
        .map_err(|e| Error::io(format!("writing '{}'", path.display()), e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(format!("writing '{}'", path.display()), e))
}
