//! A matrix as CSV, and the charts the window draws, checked before they are
//! written: an SVG must be a drawing (no script, no foreign content, nothing
//! loaded from elsewhere) and a PNG a PNG, each within a size limit.

use dossier_model::matrix::Matrix;
use dossier_model::{Error, Result};

/// The largest chart accepted for writing.
pub const MAX_CHART_BYTES: usize = 32 << 20;

/// One row per non-empty cell (tidy data for R, pandas or a spreadsheet's
/// pivot table): both labels, the count and its splits by stance and verdict.
/// RFC 4180 with CRLF line ends, UTF-8 with a BOM.
pub fn matrix_csv(m: &Matrix) -> Result<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let err = |e: csv::Error| Error::internal(format!("writing CSV: {e}"));
        let rows = m.rows.to_string();
        let cols = m.cols.to_string();
        w.write_record([
            rows.as_str(),
            cols.as_str(),
            "count",
            "supports",
            "contests",
            "neutral",
            "unclear",
            "unverified",
            "supported",
            "disputed",
            "refuted",
        ])
        .map_err(err)?;
        for c in &m.cells {
            let label =
                |labels: &[String], i: u32| labels.get(i as usize).cloned().unwrap_or_default();
            let s = &c.stance;
            let v = &c.verdict;
            let numbers = [
                c.count,
                s.supports,
                s.contests,
                s.neutral,
                s.unclear,
                v.unverified,
                v.supported,
                v.disputed,
                v.refuted,
            ];
            let mut record = vec![
                crate::csv::neutralise(&label(&m.row_labels, c.row)),
                crate::csv::neutralise(&label(&m.col_labels, c.col)),
            ];
            record.extend(numbers.iter().map(u32::to_string));
            w.write_record(&record).map_err(err)?;
        }
        w.flush()
            .map_err(|e| Error::internal(format!("writing CSV: {e}")))?;
    }
    Ok(out)
}

/// SVG elements a chart may contain.
const SVG_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "rect",
    "line",
    "path",
    "polyline",
    "polygon",
    "circle",
    "ellipse",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "clipPath",
    "style",
    "linearGradient",
    "stop",
    "marker",
];

/// Whether `svg` is a drawing and nothing else; the reason when it is not.
pub fn check_svg(svg: &str) -> Result<()> {
    if svg.len() > MAX_CHART_BYTES {
        return Err(Error::invalid("the chart is too large to save"));
    }
    let bad = |why: String| Err(Error::invalid(format!("not saved: the chart {why}")));
    let doc = match roxmltree::Document::parse_with_options(
        svg,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        },
    ) {
        Ok(d) => d,
        Err(e) => return bad(format!("is not well-formed SVG ({e})")),
    };
    if doc.root_element().tag_name().name() != "svg" {
        return bad("is not an SVG drawing".into());
    }
    for node in doc.descendants() {
        if node.is_element() {
            let name = node.tag_name().name();
            if !SVG_ELEMENTS.contains(&name) {
                return bad(format!("contains <{name}>, which a chart does not need"));
            }
            for a in node.attributes() {
                let n = a.name().to_ascii_lowercase();
                if n.starts_with("on") || n == "href" {
                    return bad(format!("has an attribute '{}'", a.name()));
                }
                if a.value().to_ascii_lowercase().contains("url(") && !a.value().contains("url(#") {
                    return bad("refers to something outside it".into());
                }
            }
        }
        if let Some(text) = node.text() {
            let lower = text.to_ascii_lowercase();
            if node
                .parent_element()
                .is_some_and(|p| p.tag_name().name() == "style")
                && (lower.contains("@import")
                    || (lower.contains("url(") && !lower.contains("url(#")))
            {
                return bad("has a style that loads something".into());
            }
        }
    }
    Ok(())
}

/// Whether `bytes` is a PNG within the size limit.
pub fn check_png(bytes: &[u8]) -> Result<()> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() > MAX_CHART_BYTES {
        return Err(Error::invalid("the chart is too large to save"));
    }
    if !bytes.starts_with(SIGNATURE) || bytes.len() < 33 || &bytes[12..16] != b"IHDR" {
        return Err(Error::invalid("not saved: the chart is not a PNG image"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawings_pass_and_anything_active_is_refused() {
        let ok = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>.a{fill:red}</style><g clip-path="url(#c)"><rect class="a" width="5" height="5"/><text>CN</text></g></svg>"##;
        check_svg(ok).unwrap();
        for bad in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/#x)"/></svg>"#,
            r#"<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>"#,
            "<html/>",
            "not xml",
        ] {
            assert!(check_svg(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_png_is_a_png() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend([0u8; 21]);
        check_png(&png).unwrap();
        assert!(check_png(b"GIF89a").is_err());
    }
}
