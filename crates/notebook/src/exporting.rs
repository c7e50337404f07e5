//! Export use cases: gather the scope from SQLite, hand plain data to
//! `dossier-export`, write the result without ever overwriting silently.

use std::io::Write;
use std::path::{Path, PathBuf};

use dossier_export::{
    csv, id_suffix, markdown, obsidian, qda, references, report, safe_file_name, w3c,
    ArticleBundle, ExportData,
};
use dossier_model::{Article, Error, ErrorCode, ExportFormat, ExportScope, Note, Result};
use dossier_store::{articles, claims, codes, new_id, notes, now, relations};

use crate::Notebook;

pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

impl Notebook {
    /// Writes an export and returns the files written. Existing files are never
    /// overwritten unless `force`. Markdown to a path ending in `.md` gives one
    /// combined file, to any other path a folder with one file per article;
    /// Obsidian always writes a folder; every other format writes one file.
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
        if format == ExportFormat::Backup {
            if scope.article_id.is_some() || scope.code.is_some() {
                return Err(Error::invalid(
                    "a backup always covers the whole notebook; leave out the article and code",
                ));
            }
            refuse_existing(out, force)?;
            self.backup(out, progress)?;
            return Ok(vec![out.to_path_buf()]);
        }
        if matches!(format, ExportFormat::Csv | ExportFormat::W3c) {
            return self.export_streamed(format, out, scope, force, progress);
        }
        let data = self.gather(scope, progress)?;
        let articles: Vec<&Article> = data.bundles.iter().map(|b| &b.article).collect();
        let single = |bytes: &[u8]| -> Result<Vec<PathBuf>> {
            refuse_existing(out, force)?;
            write_file(out, bytes)?;
            Ok(vec![out.to_path_buf()])
        };
        match format {
            ExportFormat::Csv | ExportFormat::W3c => unreachable!("streamed above"),
            ExportFormat::Markdown if is_md_file(out) => {
                single(markdown::combined_document(&data.bundles).as_bytes())
            }
            ExportFormat::Markdown => {
                let files: Vec<(String, String)> = data
                    .bundles
                    .iter()
                    .map(|b| {
                        let name = format!(
                            "{} ({}).md",
                            safe_file_name(&b.article.title),
                            id_suffix(&b.article.id)
                        );
                        (name, markdown::article_document(b))
                    })
                    .collect();
                write_folder(out, &files, force)
            }
            ExportFormat::Obsidian => {
                let files: Vec<(String, String)> = obsidian::vault(&data)
                    .into_iter()
                    .map(|f| (f.path, f.text))
                    .collect();
                write_folder(out, &files, force)
            }
            ExportFormat::Qdpx => {
                // A PDF goes as itself (a PDF source), checked against its SHA-256.
                let original = |a: &dossier_model::Article| self.original_of(a).ok();
                let bytes = qda::qdpx_bytes(&data, &original)
                    .map_err(|e| Error::io("writing the REFI-QDA project", e))?;
                single(&bytes)
            }
            ExportFormat::Qdc => {
                single(qda::codebook_xml(&data.codes, &format!("Dossier {APP_VERSION}")).as_bytes())
            }
            ExportFormat::Csl => single(&pretty(&references::csl_json(&articles))?),
            ExportFormat::Bibtex => single(references::bibtex(&articles).as_bytes()),
            ExportFormat::Ris => single(references::ris(&articles).as_bytes()),
            ExportFormat::Html => {
                let crops = self.region_crops(&data);
                single(report::html_with_crops(&data, &crops).as_bytes())
            }
            ExportFormat::Backup => unreachable!("handled above"),
        }
    }

    /// The HTML report of `scope` as a string, for the app to print (to PDF).
    pub fn report_html(&self, scope: &ExportScope) -> Result<String> {
        let data = self.gather(scope, &mut |_, _| {})?;
        let crops = self.region_crops(&data);
        Ok(report::html_with_crops(&data, &crops))
    }

    /// Each region claim's area of its page, drawn from the original PDF (in
    /// the extraction child, with its limits) for the report. An original
    /// that is missing or cannot be drawn leaves its claims without an image,
    /// which the report says.
    fn region_crops(&self, data: &ExportData) -> report::Crops {
        let mut crops = report::Crops::new();
        for b in &data.bundles {
            let regions: Vec<(&str, dossier_model::PageRect)> = b
                .claims
                .iter()
                .filter_map(|c| c.region.map(|r| (c.id.as_str(), r)))
                .collect();
            if regions.is_empty() || b.article.media_type != "application/pdf" {
                continue;
            }
            let drawn = self.original_of(&b.article).and_then(|bytes| {
                let rects: Vec<_> = regions.iter().map(|(_, r)| *r).collect();
                dossier_ingest::sandbox::crop_isolated(&bytes, &b.article.title, &rects)
            });
            match drawn {
                Ok(images) => {
                    for ((id, _), image) in regions.iter().zip(images) {
                        crops.insert(id.to_string(), image);
                    }
                }
                Err(_) => {
                    for (id, _) in &regions {
                        crops.insert(id.to_string(), None);
                    }
                }
            }
        }
        crops
    }

    /// Everything an export of `scope` covers.
    fn gather(
        &self,
        scope: &ExportScope,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ExportData> {
        let bundles = self.bundles(scope, progress)?;
        let (codes, notes) = self.core.store.read(|c| {
            let codes = codes::list(c)?;
            let notes: Vec<Note> = if scope.article_id.is_none() && scope.code.is_none() {
                notes::list(c, None)?
            } else {
                let mut seen = std::collections::HashSet::new();
                bundles
                    .iter()
                    .flat_map(|b| b.notes.iter())
                    .filter(|n| seen.insert(n.id.clone()))
                    .cloned()
                    .collect()
            };
            Ok((codes, notes))
        })?;
        let (attributes, sets) = self.core.store.read(|c| {
            Ok((
                dossier_store::attributes::defs(c)?,
                dossier_store::sets::list(c)?,
            ))
        })?;
        Ok(ExportData {
            title: self.title(),
            generated_at: now(),
            app_version: APP_VERSION.to_string(),
            bundles,
            codes,
            notes,
            attributes,
            sets,
        })
    }

    /// The notebook's name: its folder without `.dossier`.
    pub fn title(&self) -> String {
        self.core
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(".dossier").to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "Dossier".into())
    }

    fn bundles(
        &self,
        scope: &ExportScope,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<ArticleBundle>> {
        let mut out = Vec::new();
        self.for_each_bundle(scope, progress, &mut |b| {
            out.push(b);
            Ok(())
        })?;
        Ok(out)
    }

    /// Hands the scope's articles to `f` one at a time (with their claims,
    /// notes and relations), all from one consistent read of the database.
    fn for_each_bundle(
        &self,
        scope: &ExportScope,
        progress: &mut dyn FnMut(usize, usize),
        f: &mut dyn FnMut(ArticleBundle) -> Result<()>,
    ) -> Result<()> {
        self.core.store.read(|c| {
            if let Some(code) = &scope.code {
                codes::require(c, code)?;
            }
            let ids: Vec<String> = match &scope.article_id {
                Some(id) => {
                    articles::get(c, id)?.ok_or_else(|| Error::not_found("article", id))?;
                    vec![id.clone()]
                }
                None => {
                    let all = articles::list(c)?.into_iter().rev().map(|a| a.id);
                    match &scope.code {
                        // Only the articles with claims under the code are read.
                        Some(code) => {
                            let with: std::collections::HashSet<String> =
                                claims::article_ids_with_code(c, code)?
                                    .into_iter()
                                    .collect();
                            all.filter(|id| with.contains(id)).collect()
                        }
                        None => all.collect(),
                    }
                }
            };
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
                // The relations starting at each claim, claim by claim, each claim's in
                // the order they were made — read in one statement for the article.
                let mut from: std::collections::HashMap<String, Vec<_>> =
                    std::collections::HashMap::new();
                for r in relations::from_article(c, &id)? {
                    from.entry(r.from_id.clone()).or_default().push(r);
                }
                let relations: Vec<_> = claims
                    .iter()
                    .flat_map(|claim| from.remove(&claim.id).unwrap_or_default())
                    .collect();
                let attributes = dossier_store::attributes::values_of(c, &article.id)?;
                let sets = dossier_store::sets::of_article(c, &article.id)?;
                let locations = locations(c, &article, &claims)?;
                f(ArticleBundle {
                    article,
                    claims,
                    notes,
                    relations,
                    attributes,
                    sets,
                    locations,
                })?;
            }
            progress(total, total);
            Ok(())
        })
    }

    /// Formats written one article at a time (CSV, W3C): only one article is in
    /// memory; the file is written beside the target and renamed into place
    /// when complete.
    fn export_streamed(
        &self,
        format: ExportFormat,
        out: &Path,
        scope: &ExportScope,
        force: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<PathBuf>> {
        refuse_existing(out, force)?;
        write_atomically(out, |writer| {
            if format == ExportFormat::Csv {
                let names: Vec<String> = self.attributes()?.into_iter().map(|a| a.name).collect();
                let mut stream = csv::Stream::new(writer, &names)?;
                self.for_each_bundle(scope, progress, &mut |b| stream.push(&b))?;
                stream.finish()
            } else {
                let mut stream = w3c::CollectionWriter::new(
                    writer,
                    &new_id(),
                    &self.title(),
                    &now(),
                    APP_VERSION,
                )?;
                self.for_each_bundle(scope, progress, &mut |b| {
                    for c in &b.claims {
                        stream.push(&b.article, c, &b.relations, b.locations.get(&c.id))?;
                    }
                    Ok(())
                })?;
                stream.finish().map(drop)
            }
        })?;
        Ok(vec![out.to_path_buf()])
    }
}

/// Each claim's page and rectangles in a PDF article, from one read of its
/// pages; empty for other articles.
fn locations(
    c: &dossier_store::Connection,
    article: &dossier_model::Article,
    claims: &[dossier_model::Claim],
) -> Result<std::collections::HashMap<String, dossier_model::Location>> {
    let mut out = std::collections::HashMap::new();
    let pages = article.page_starts.len() as u32;
    if pages == 0 || claims.is_empty() {
        return Ok(out);
    }
    let layout = dossier_store::layout::pages(c, &article.sha256, 1, pages)?;
    for claim in claims {
        if let Some(l) = dossier_model::layout::locate_claim(&layout, claim) {
            out.insert(claim.id.clone(), l);
        }
    }
    Ok(out)
}

fn pretty(v: &serde_json::Value) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(v).map_err(|e| Error::internal(format!("serialising JSON: {e}")))
}

fn is_md_file(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

pub(crate) fn refuse_existing(path: &Path, force: bool) -> Result<()> {
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

/// Writes `files` (relative paths with `/`, made of safe names) under `dir`.
/// Every name is planned first, so nothing is written when one would be refused.
fn write_folder(dir: &Path, files: &[(String, String)], force: bool) -> Result<Vec<PathBuf>> {
    if dir.is_file() {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("'{}' is a file, not a folder", dir.display()),
        ));
    }
    let mut planned = Vec::new();
    // Names that differ only in case are one file on Windows and macOS: two of
    // them would overwrite each other there, so no export plans both.
    let mut folded = std::collections::HashSet::new();
    for (rel, _) in files {
        if !folded.insert(rel.to_lowercase()) {
            return Err(Error::internal(format!(
                "two exported files would share the name '{rel}'"
            )));
        }
        // The exporters build these names from `safe_file_name`; refuse anything
        // that could still climb out of the chosen folder.
        if rel
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
            || rel.contains('\\')
        {
            return Err(Error::internal(format!("refusing the export path '{rel}'")));
        }
        let path = rel
            .split('/')
            .fold(dir.to_path_buf(), |p, part| p.join(part));
        refuse_existing(&path, force)?;
        planned.push(path);
    }
    for ((_, text), path) in files.iter().zip(&planned) {
        write_file(path, text.as_bytes())?;
    }
    Ok(planned)
}

/// Writes through a temporary file in the same folder, so a crash never leaves a half file.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(path, |mut w| {
        w.write_all(bytes)
            .and_then(|_| w.flush())
            .map_err(|e| Error::io(format!("writing '{}'", path.display()), e))
    })
}

/// Writes `path` through `write` into a temporary file beside it, renamed into
/// place only when complete: a reader never sees half a file, and a failed
/// export leaves nothing behind.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(std::io::BufWriter<std::fs::File>) -> Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating '{}'", dir.display()), e))?;
    let tmp = dir.join(format!(
        ".dossier-export-{}-{}.tmp",
        std::process::id(),
        new_id()
    ));
    let result = std::fs::File::create(&tmp)
        .map_err(|e| Error::io(format!("writing '{}'", path.display()), e))
        .and_then(|file| write(std::io::BufWriter::new(file)))
        .and_then(|_| {
            std::fs::rename(&tmp, path)
                .map_err(|e| Error::io(format!("writing '{}'", path.display()), e))
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
