//! Where text sits on a PDF's pages (`dossier_model::layout`): a claim's page
//! and rectangles, and a page's words for the page view. Import recorded the
//! words with the article; everything here is read from that record.

use dossier_model::layout::locate;
use dossier_model::{Article, Claim, Error, Location, PageGeometry, Result};
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
        let pages = self
            .core
            .store
            .read(|c| layout::pages(c, &article.sha256, first, last))?;
        Ok(locate(&pages, start, end))
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
