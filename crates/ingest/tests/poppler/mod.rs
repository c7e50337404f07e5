//! Reading what poppler's `pdftotext -bbox` prints: every word with its page
//! (from 1) and box `[xMin, yMin, xMax, yMax]` in points from the page's
//! top-left corner. Shared by the ingest and CLI tests that check Dossier's
//! word boxes against poppler's (the CLI tests include it by path).

/// The words of a `pdftotext -bbox` document, in its order.
pub fn words(bbox_html: &str) -> Vec<(u32, String, [f64; 4])> {
    let mut page = 0;
    let mut out = Vec::new();
    for line in bbox_html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |name: &str| -> f64 {
            let at = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            rest[at..at + rest[at..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        let text = &rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()];
        let text = text
            .replace("&apos;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.push((
            page,
            text,
            [attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")],
        ));
    }
    out
}
