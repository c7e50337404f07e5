//! Where an article's text sits on its PDF pages.
//!
//! Import records, for every word of a PDF that could be found in the
//! canonical text, its code-point span and its box on the page. From that a
//! claim — a span of the canonical text — gets its page and its rectangles
//! (one per line it covers), so the page view can draw it and exports can
//! cite it by region, while the canonical text stays the only anchor.
//!
//! Coordinates are PDF points (1/72 inch) with the origin at the top-left
//! corner of the page's media box and y growing downwards: the frame
//! `pdftotext -bbox` reports, and the one of RFC 3778's `viewrect`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A rectangle on one page, in points from the page's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PageRect {
    /// 1-based.
    pub page: u32,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl PageRect {
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
    /// Whether a rectangle read from outside can be a region: finite corners
    /// within ten million points, a positive width and height, a page number
    /// from 1 to 99 999.
    pub fn is_plausible(&self) -> bool {
        [self.x0, self.y0, self.x1, self.y1]
            .iter()
            .all(|v| v.is_finite() && v.abs() < 1e7)
            && self.x1 > self.x0
            && self.y1 > self.y0
            && (1..100_000).contains(&self.page)
    }

    /// Whether the two rectangles share area on the same page.
    pub fn overlaps(&self, other: &PageRect) -> bool {
        self.page == other.page
            && self.x0 < other.x1
            && other.x0 < self.x1
            && self.y0 < other.y1
            && other.y0 < self.y1
    }
}

/// Where a span of a PDF article's text is: the page it starts on and one
/// rectangle per line it covers (possibly on several pages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Location {
    pub page: u32,
    pub rects: Vec<PageRect>,
}

impl Location {
    /// The rectangle around what it covers on its first page (where a
    /// citation by page and area points): the union of the rectangles there.
    pub fn bounds(&self) -> PageRect {
        let mut on_page = self.rects.iter().filter(|r| r.page == self.page);
        let Some(first) = on_page.next() else {
            return PageRect {
                page: self.page,
                x0: 0.0,
                y0: 0.0,
                x1: 0.0,
                y1: 0.0,
            };
        };
        on_page.fold(*first, |a, r| PageRect {
            x0: a.x0.min(r.x0),
            y0: a.y0.min(r.y0),
            x1: a.x1.max(r.x1),
            y1: a.y1.max(r.y1),
            ..a
        })
    }
}

impl From<PageRect> for Location {
    /// A region: its page and its one rectangle.
    fn from(r: PageRect) -> Location {
        Location {
            page: r.page,
            rects: vec![r],
        }
    }
}

/// A word of a page: its code-point span in the canonical text and its box.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WordBox {
    pub start: u32,
    pub end: u32,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// One page's size and words, in reading order (the order of the text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PageGeometry {
    /// 1-based.
    pub page: u32,
    pub width: f32,
    pub height: f32,
    pub words: Vec<WordBox>,
}

/// A claim's rectangles on one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PageMark {
    pub claim_id: String,
    pub rects: Vec<PageRect>,
}

/// What the page view draws for one page: its size, its words (the text
/// layer analysts select on) and the claims on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PageView {
    pub geometry: PageGeometry,
    pub marks: Vec<PageMark>,
}

/// Bytes of one packed word: start, end (u32) and the box (4 × f32), little-endian.
const WORD_BYTES: usize = 24;

/// Words a page may hold; a page that draws more keeps the first ones.
pub const MAX_WORDS_PER_PAGE: usize = 50_000;

/// The words as stored: 24 bytes each.
pub fn pack_words(words: &[WordBox]) -> Vec<u8> {
    let mut out = Vec::with_capacity(words.len() * WORD_BYTES);
    for w in words {
        out.extend_from_slice(&w.start.to_le_bytes());
        out.extend_from_slice(&w.end.to_le_bytes());
        for v in [w.x0, w.y0, w.x1, w.y1] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

/// Reads packed words back; a truncated tail, non-finite boxes and empty or
/// backward spans are dropped, so a damaged row cannot yield nonsense.
pub fn unpack_words(bytes: &[u8]) -> Vec<WordBox> {
    let u = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let f = |b: &[u8]| f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    bytes
        .chunks_exact(WORD_BYTES)
        .take(MAX_WORDS_PER_PAGE)
        .map(|c| WordBox {
            start: u(&c[0..4]),
            end: u(&c[4..8]),
            x0: f(&c[8..12]),
            y0: f(&c[12..16]),
            x1: f(&c[16..20]),
            y1: f(&c[20..24]),
        })
        .filter(|w| {
            w.end > w.start
                && [w.x0, w.y0, w.x1, w.y1].iter().all(|v| v.is_finite())
                && w.x1 >= w.x0
                && w.y1 >= w.y0
        })
        .collect()
}

/// The rectangles covering `[start, end)` on `pages`: words wholly inside
/// count whole, a word cut by the span counts for the share of its
/// characters inside (text runs left to right within a word), and words that
/// follow each other on one line merge into one rectangle. `None` when no
/// recorded word meets the span.
pub fn locate(pages: &[PageGeometry], start: u32, end: u32) -> Option<Location> {
    if end <= start {
        return None;
    }
    let mut rects: Vec<PageRect> = Vec::new();
    for page in pages {
        // Words are in text order, so the ones that meet the span are a run.
        let first = page.words.partition_point(|w| w.end <= start);
        for w in page.words[first..].iter().take_while(|w| w.start < end) {
            if w.end <= start {
                continue;
            }
            let len = (w.end - w.start) as f32;
            let from = start.max(w.start) - w.start;
            let to = end.min(w.end) - w.start;
            let width = w.x1 - w.x0;
            let piece = PageRect {
                page: page.page,
                x0: w.x0 + width * from as f32 / len,
                y0: w.y0,
                x1: w.x0 + width * to as f32 / len,
                y1: w.y1,
            };
            match rects.last_mut() {
                Some(last) if same_line(last, &piece) => {
                    last.x0 = last.x0.min(piece.x0);
                    last.x1 = last.x1.max(piece.x1);
                    last.y0 = last.y0.min(piece.y0);
                    last.y1 = last.y1.max(piece.y1);
                }
                _ => rects.push(piece),
            }
        }
    }
    let page = rects.first()?.page;
    Some(Location { page, rects })
}

/// Where a claim is on the pages: its region when it is a region claim, else
/// the rectangles of its text (see [`locate`]).
pub fn locate_claim(pages: &[PageGeometry], claim: &crate::Claim) -> Option<Location> {
    match claim.region {
        Some(r) => Some(r.into()),
        None => locate(pages, claim.start, claim.end),
    }
}

/// The text span a rectangle on `page` stands for: from the first to the last
/// word whose centre lies inside it; when none does, the word nearest to it
/// on the page (a figure's caption, usually). `None` when the page has no
/// recorded words.
pub fn region_span(page: &PageGeometry, rect: &PageRect) -> Option<(u32, u32)> {
    let centre = |w: &WordBox| ((w.x0 + w.x1) / 2.0, (w.y0 + w.y1) / 2.0);
    let inside: Vec<&WordBox> = page
        .words
        .iter()
        .filter(|w| {
            let (x, y) = centre(w);
            x >= rect.x0 && x <= rect.x1 && y >= rect.y0 && y <= rect.y1
        })
        .collect();
    if let (Some(start), Some(end)) = (
        inside.iter().map(|w| w.start).min(),
        inside.iter().map(|w| w.end).max(),
    ) {
        return Some((start, end));
    }
    // Distance from the rectangle to a word's box (0 when they touch).
    let gap = |w: &WordBox| {
        let dx = (rect.x0 - w.x1).max(w.x0 - rect.x1).max(0.0);
        let dy = (rect.y0 - w.y1).max(w.y0 - rect.y1).max(0.0);
        dx * dx + dy * dy
    };
    page.words
        .iter()
        .min_by(|a, b| gap(a).total_cmp(&gap(b)))
        .map(|w| (w.start, w.end))
}

/// Two boxes on one page whose vertical extents mostly coincide, the second
/// starting to the right of where the first began: the same line of text.
fn same_line(a: &PageRect, b: &PageRect) -> bool {
    if a.page != b.page || b.x0 < a.x0 {
        return false;
    }
    let shared = a.y1.min(b.y1) - a.y0.max(b.y0);
    let smaller = a.height().min(b.height());
    smaller > 0.0 && shared >= 0.5 * smaller
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(start: u32, end: u32, x0: f32, y0: f32, x1: f32) -> WordBox {
        WordBox {
            start,
            end,
            x0,
            y0,
            x1,
            y1: y0 + 10.0,
        }
    }

    fn page() -> PageGeometry {
        // "alpha beta" on one line, "gamma" on the next, "delta" on page 2.
        PageGeometry {
            page: 1,
            width: 600.0,
            height: 800.0,
            words: vec![
                word(0, 5, 100.0, 50.0, 150.0),
                word(6, 10, 160.0, 50.0, 200.0),
                word(11, 16, 100.0, 65.0, 150.0),
            ],
        }
    }

    #[test]
    fn words_on_a_line_merge_and_a_new_line_starts_a_rectangle() {
        let pages = vec![
            page(),
            PageGeometry {
                page: 2,
                width: 600.0,
                height: 800.0,
                words: vec![word(18, 23, 100.0, 50.0, 150.0)],
            },
        ];
        let all = locate(&pages, 0, 23).unwrap();
        assert_eq!(all.page, 1);
        assert_eq!(all.rects.len(), 3);
        assert_eq!((all.rects[0].x0, all.rects[0].x1), (100.0, 200.0));
        assert_eq!((all.rects[1].y0, all.rects[2].page), (65.0, 2));
        // Around both lines of page 1, not the line on page 2.
        let b = all.bounds();
        assert_eq!(
            (b.page, b.x0, b.y0, b.x1, b.y1),
            (1, 100.0, 50.0, 200.0, 75.0)
        );
    }

    #[test]
    fn a_cut_word_counts_for_its_share() {
        // "ha be": the last two letters of alpha and the first two of beta.
        let l = locate(&[page()], 3, 8).unwrap();
        assert_eq!(l.rects.len(), 1);
        assert_eq!((l.rects[0].x0, l.rects[0].x1), (130.0, 180.0));
        assert!(
            locate(&[page()], 5, 6).is_none(),
            "the space between words has no box"
        );
        assert!(locate(&[page()], 4, 4).is_none());
    }

    #[test]
    fn a_region_stands_for_the_words_inside_it_or_the_nearest_one() {
        let p = page();
        let rect = |x0, y0, x1, y1| PageRect {
            page: 1,
            x0,
            y0,
            x1,
            y1,
        };
        // Around "beta" alone, then around all three words.
        assert_eq!(
            region_span(&p, &rect(155.0, 45.0, 210.0, 58.0)),
            Some((6, 10))
        );
        assert_eq!(
            region_span(&p, &rect(90.0, 45.0, 210.0, 80.0)),
            Some((0, 16))
        );
        // An empty area below the text: the nearest word, gamma.
        assert_eq!(
            region_span(&p, &rect(100.0, 200.0, 300.0, 400.0)),
            Some((11, 16))
        );
        let empty = PageGeometry { words: vec![], ..p };
        assert_eq!(region_span(&empty, &rect(0.0, 0.0, 10.0, 10.0)), None);
    }

    #[test]
    fn packing_round_trips_and_drops_damage() {
        let words = page().words;
        let bytes = pack_words(&words);
        assert_eq!(unpack_words(&bytes), words);
        assert_eq!(unpack_words(&bytes[..bytes.len() - 3]).len(), 2);
        let mut bad = words.clone();
        bad[1].x0 = f32::NAN;
        bad[2].end = 0;
        assert_eq!(unpack_words(&pack_words(&bad)).len(), 1);
    }
}
