//! Where text sits on a PDF's pages (`dossier_model::layout`): a claim's page
//! and rectangles, and a page's words for the page view. Import recorded the
//! words with the article; everything here is read from that record.

use dossier_model::layout::locate;
use dossier_model::{Article, Claim, Error, Location, PageGeometry, PageMark, PageView, Result};
use dossier_store::{articles, layout};

use crate::Notebook;

impl Notebook {
    /// The page and rectangles of a span of an article's text; `None` for an
    /// article without pages (not a PDF) or a span no recorded word meets.
    pub fn locate(&self, article_id: &str, start: u32, end: u32) -> Result<Option<Location>> {
        let article = self.article(article_id)?;
        self.locate_in(&article, start, end)
    }

    /// A claim's page and rectangles (see [`Notebook::locate`]).
    pub fn locate_claim(&self, claim: &Claim) -> Result<Option<Location>> {
        if let Some(r) = claim.region {
            return Ok(Some(r.into()));
        }
        let article = self
            .core
            .store
            .read(|c| articles::get(c, &claim.article_id))?;
        match article {
            Some(a) => self.locate_in(&a, claim.start, claim.end),
            None => Ok(None),
        }
    }

    pub(crate) fn locate_in(
        &self,
        article: &Article,
        start: u32,
        end: u32,
    ) -> Result<Option<Location>> {
        let (Some(first), Some(last)) = (
            article.page_at(start),
            article.page_at(end.saturating_sub(1).max(start)),
        ) else {
            return Ok(None);
        };
        self.ensure_layout(article)?;
        let pages = self
            .core
            .store
            .read(|c| layout::pages(c, &article.sha256, first, last))?;
        Ok(locate(&pages, start, end))
    }

    /// Records the page layout of a PDF imported before Dossier recorded
    /// layouts, once, from its original: the original is read again (in the
    /// sandbox, as at import) and its layout kept only when the text it gives is
    /// the article's text, character for character (same SHA-256) — the words'
    /// spans are offsets into that text. Otherwise the article keeps no layout
    /// (its pages show without a text layer) and this session does not try again.
    fn ensure_layout(&self, article: &Article) -> Result<()> {
        if article.media_type != "application/pdf" || article.page_starts.is_empty() {
            return Ok(());
        }
        let sha = &article.sha256;
        if self.core.store.read(|c| layout::page_count(c, sha))? > 0 {
            return Ok(());
        }
        {
            let mut tried = self
                .core
                .layout_tried
                .lock()
                .map_err(|_| Error::internal("a lock was poisoned"))?;
            if !tried.insert(sha.clone()) {
                return Ok(());
            }
        }
        let Ok(bytes) = self.original_of(article) else {
            return Ok(());
        };
        let Ok(extracted) = dossier_ingest::extract(&bytes, &article.original_name) else {
            return Ok(());
        };
        use sha2::{Digest, Sha256};
        let text_sha = hex::encode(Sha256::digest(extracted.canonical_text().as_bytes()));
        if text_sha != article.text_sha256 || extracted.geometry.is_empty() {
            return Ok(());
        }
        self.core
            .store
            .write(dossier_store::Write::Maintenance, |c| {
                layout::put(c, sha, &extracted.geometry)
            })
    }

    /// What the page view draws for one page: its size, words and the
    /// rectangles of every claim of the article on it.
    pub fn page_view(&self, article_id: &str, page: u32) -> Result<PageView> {
        let geometry = self.page_layout(article_id, page)?;
        let claims = self.claims(Some(article_id), None)?;
        let marks = claims
            .into_iter()
            .filter_map(|c| {
                let at = dossier_model::layout::locate_claim(std::slice::from_ref(&geometry), &c)?;
                if at.page != page {
                    return None;
                }
                Some(PageMark {
                    claim_id: c.id,
                    rects: at.rects,
                })
            })
            .collect();
        Ok(PageView { geometry, marks })
    }

    /// One page of a PDF article: its size and its words with their spans.
    pub fn page_layout(&self, article_id: &str, page: u32) -> Result<PageGeometry> {
        let article = self.article(article_id)?;
        let count = article.page_starts.len() as u32;
        if page == 0 || page > count {
            return Err(Error::invalid(if count == 0 {
                format!("'{}' has no pages (it is not a PDF)", article.title)
            } else {
                format!(
                    "page {page} is not in '{}' (pages 1–{count})",
                    article.title
                )
            }));
        }
        self.ensure_layout(&article)?;
        Ok(self
            .core
            .store
            .read(|c| layout::page(c, &article.sha256, page))?
            // Imported before Dossier recorded pages, or a page without text.
            .unwrap_or(PageGeometry {
                page,
                width: 0.0,
                height: 0.0,
                words: Vec::new(),
            }))
    }
}

/// Originals larger than this are not handed to the page view (imports refuse
/// larger files anyway).
const MAX_ORIGINAL_BYTES: u64 = dossier_ingest::MAX_FILE_BYTES;

impl Notebook {
    /// The bytes of an article's original file, as imported (for the page
    /// view). Checked against the SHA-256 it was stored under, so the window
    /// never shows a file that changed on disk as if it were the original.
    pub fn original_bytes(&self, article_id: &str) -> Result<Vec<u8>> {
        self.original_of(&self.article(article_id)?)
    }

    /// The original of an article already read, checked as `original_bytes` checks it.
    pub(crate) fn original_of(&self, article: &Article) -> Result<Vec<u8>> {
        crate::structure::read_kept(
            self,
            &article.sha256,
            &format!("the original of '{}'", article.title),
            MAX_ORIGINAL_BYTES,
        )
    }
}
