//! Draws regions of a PDF's pages as PNG images (the report's crop of a region
//! claim: the chart or table the analyst drew a rectangle around).
//!
//! The renderer is hayro (pure Rust, no scripting, no network). A PDF is
//! outside data, so drawing is bounded like every other reader: at most
//! `MAX_REGIONS` regions per call, each at most `MAX_CROP_PIXELS` pixels (the
//! scale drops for a large region), pages and rectangles validated against the
//! document, and the call runs in the extraction child (`sandbox::crop_isolated`)
//! with its deadline and memory limit. A region that cannot be drawn is `None`;
//! the others are still drawn.

use std::sync::Arc;

use dossier_model::{Error, ErrorCode, PageRect, Result};
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{render_into, RenderCache, RenderSettings};

/// Regions drawn in one call.
pub const MAX_REGIONS: usize = 500;
/// Pixels in one crop (about 1 600 × 1 250).
pub const MAX_CROP_PIXELS: f32 = 2_000_000.0;
/// The scale a crop is drawn at when it fits: 2 pixels per point (144 dpi).
pub const CROP_SCALE: f32 = 2.0;

/// The scale a `w` × `h` point region is drawn at: `CROP_SCALE`, lowered so the
/// crop stays within `MAX_CROP_PIXELS`.
fn scale_for(w: f32, h: f32) -> f32 {
    let at = w * h * CROP_SCALE * CROP_SCALE;
    if at <= MAX_CROP_PIXELS {
        CROP_SCALE
    } else {
        CROP_SCALE * (MAX_CROP_PIXELS / at).sqrt()
    }
}

/// Draws each of `regions` of the PDF `bytes` (rectangles in points from the
/// page's top-left corner, as the page view and import measure them) as a PNG.
/// Runs in this process: call `sandbox::crop_isolated` for outside data.
pub fn crop_regions_unisolated(bytes: &[u8], regions: &[PageRect]) -> Result<Vec<Option<Vec<u8>>>> {
    if regions.len() > MAX_REGIONS {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("at most {MAX_REGIONS} regions are drawn at once"),
        ));
    }
    let pdf = Pdf::new(Arc::new(bytes.to_vec())).map_err(|e| {
        Error::new(
            ErrorCode::Unsupported,
            format!("the PDF could not be opened for drawing ({e:?})"),
        )
    })?;
    let pages = pdf.pages();
    let cache = RenderCache::new();
    let settings = InterpreterSettings::default();
    let render = RenderSettings::default();
    let mut out = Vec::with_capacity(regions.len());
    for r in regions {
        let Some(page) = (r.page as usize).checked_sub(1).and_then(|i| pages.get(i)) else {
            out.push(None);
            continue;
        };
        let (pw, ph) = page.render_dimensions();
        // The rectangle, clamped to the page; nothing left of it is nothing to draw.
        let (x0, y0) = (r.x0.max(0.0), r.y0.max(0.0));
        let (x1, y1) = (r.x1.min(pw), r.y1.min(ph));
        let finite = [x0, y0, x1, y1].iter().all(|v| v.is_finite());
        if !finite || x1 - x0 < 1.0 || y1 - y0 < 1.0 {
            out.push(None);
            continue;
        }
        let s = scale_for(x1 - x0, y1 - y0);
        let w = ((x1 - x0) * s).ceil().clamp(1.0, f32::from(u16::MAX)) as u16;
        let h = ((y1 - y0) * s).ceil().clamp(1.0, f32::from(u16::MAX)) as u16;
        let mut ctx = RenderContext::new(w, h);
        // The page as the view draws it (crop box, rotation, y down), moved so the
        // region's corner is the image's, and scaled.
        let transform = Affine::scale(f64::from(s))
            * Affine::translate((-f64::from(x0), -f64::from(y0)))
            * page.initial_transform(true).to_kurbo();
        render_into(page, &cache, &settings, &render, &mut ctx, transform);
        ctx.flush();
        let mut pixmap = Pixmap::new(w, h);
        ctx.render_with(
            &mut pixmap,
            &mut Resources::default(),
            RasterizerSettings {
                target_init: TargetInit::Clear(WHITE),
                ..Default::default()
            },
        );
        out.push(pixmap.into_png().ok());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_region_is_drawn_at_a_lower_scale_within_the_pixel_budget() {
        assert_eq!(scale_for(200.0, 100.0), CROP_SCALE);
        let s = scale_for(2000.0, 2000.0);
        assert!(s < CROP_SCALE);
        assert!(2000.0 * s * 2000.0 * s <= MAX_CROP_PIXELS * 1.001);
    }

    #[test]
    fn a_file_that_is_not_a_pdf_is_an_error_not_a_panic() {
        let r = PageRect {
            page: 1,
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert!(crop_regions_unisolated(b"not a pdf", &[r]).is_err());
    }
}
