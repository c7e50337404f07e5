//! The structure of an article's text — headings, paragraphs, tables with
//! their cells, figures with their images — and the figures' images, served
//! from the notebook only.

use dossier_model::blocks::{paragraphs, Block};
use dossier_model::{Error, ErrorCode, Result};
use dossier_store::structure;
use sha2::{Digest, Sha256};

use crate::Notebook;

/// A figure's image larger than this is not served (import keeps none larger).
const MAX_IMAGE_BYTES: u64 = 16 * 1024 * 1024;

impl Notebook {
    /// The blocks of an article's text as spans of it. An article imported
    /// before blocks were recorded (or whose text was read again since) is
    /// given as its paragraphs, on their pages.
    pub fn blocks(&self, article_id: &str) -> Result<Vec<Block>> {
        let a = self.article(article_id)?;
        let stored = self
            .core
            .store
            .read(|c| structure::get(c, &a.sha256, &a.text_sha256))?;
        Ok(stored.unwrap_or_else(|| paragraphs(&a.text, &a.page_starts)))
    }

    /// The bytes and media type of an image one of the article's figures
    /// shows. Only such an image is served (never another file of the
    /// notebook), checked against its SHA-256.
    pub fn figure_image(&self, article_id: &str, sha256: &str) -> Result<(Vec<u8>, String)> {
        if !dossier_model::limits::is_sha256_hex(sha256) {
            return Err(Error::invalid("an image is named by its SHA-256"));
        }
        let image = self
            .blocks(article_id)?
            .into_iter()
            .filter_map(|b| b.image)
            .find(|i| i.sha256 == sha256)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("article {article_id} shows no image {sha256}"),
                )
            })?;
        let bytes = read_kept(self, sha256, "a figure's image", MAX_IMAGE_BYTES)?;
        Ok((bytes, image.media_type))
    }
}

/// Keeps `bytes` as `sources/<sha256>` (written to a temporary file and
/// renamed, so a crash never leaves half a file under the name); nothing
/// to do when the file is there.
pub(crate) fn keep_file(dir: &std::path::Path, sha256: &str, bytes: &[u8]) -> Result<()> {
    if !dossier_model::limits::is_sha256_hex(sha256) {
        return Err(Error::internal("a kept file is not named by its SHA-256"));
    }
    let dir = dir.join(crate::SOURCES_DIR);
    let target = dir.join(sha256);
    if target.exists() {
        return Ok(());
    }
    let tmp = dir.join(format!(".{sha256}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io("saving the original file", e))?;
    std::fs::rename(&tmp, &target).map_err(|e| Error::io("saving the original file", e))
}

/// A file kept under `sources/` by its SHA-256, read whole (within `max`
/// bytes) and checked against its name, so nothing that changed on disk is
/// shown as what was imported.
pub(crate) fn read_kept(nb: &Notebook, sha256: &str, what: &str, max: u64) -> Result<Vec<u8>> {
    if !dossier_model::limits::is_sha256_hex(sha256) {
        return Err(Error::internal(format!(
            "{what} is not named by its SHA-256"
        )));
    }
    let path = nb.core.dir.join(crate::SOURCES_DIR).join(sha256);
    let len = std::fs::metadata(&path)
        .map_err(|e| Error::io(format!("reading {what}"), e))?
        .len();
    if len > max {
        return Err(Error::invalid(format!(
            "{what} is larger than {} MB",
            max / 1_000_000
        )));
    }
    let bytes = std::fs::read(&path).map_err(|e| Error::io(format!("reading {what}"), e))?;
    if hex::encode(Sha256::digest(&bytes)) != sha256 {
        return Err(Error::new(
            ErrorCode::Io,
            format!(
                "{what} changed on disk (sources/{sha256}); `dossier check` reports it, a backup restores it"
            ),
        ));
    }
    Ok(bytes)
}
