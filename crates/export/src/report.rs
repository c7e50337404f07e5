//! A self-contained HTML report: summary, charts (inline SVG), claims grouped
//! by code with their quotes and sources, a code co-occurrence matrix, notes
//! and the list of sources. It has no script and loads nothing: its own CSP
//! forbids every network fetch, so it can be mailed, archived or printed to PDF.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use dossier_model::{Article, Claim, Stance};

use crate::ExportData;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink:#1d232b; --muted:#5b6672; --line:#d9dee4; --accent:#2f5d8a; }
* { box-sizing: border-box; }
body { font: 15px/1.55 "Source Serif Pro", Georgia, "Noto Serif CJK SC", serif; color: var(--ink); max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; }
h1, h2, h3 { font-family: "Inter", "Helvetica Neue", Arial, "Noto Sans CJK SC", sans-serif; line-height: 1.25; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: .25rem; margin-top: 2.5rem; }
.muted { color: var(--muted); }
.summary { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1.2rem 0; }
.summary div { border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem; min-width: 8rem; }
.summary b { display: block; font-size: 1.6rem; font-family: sans-serif; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: 1.5rem; }
figure { margin: 0; } figcaption { font: 600 .9rem sans-serif; margin-bottom: .4rem; }
svg text { font: 11px sans-serif; fill: var(--ink); }
blockquote { margin: .8rem 0 .3rem; padding: .3rem .9rem; border-left: 4px solid var(--accent); background: #f5f7fa; }
.claim { margin-bottom: 1.2rem; break-inside: avoid; }
img.crop { display: block; max-width: 100%; max-height: 28rem; margin: .8rem 0 0; border: 1px solid var(--line); }
.meta { font: .85rem sans-serif; color: var(--muted); }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 3px; margin-right: .4rem; vertical-align: baseline; }
table { border-collapse: collapse; font: .8rem sans-serif; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: center; }
th.row { text-align: left; }
.note { white-space: pre-wrap; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; break-inside: avoid; }
.memo { white-space: pre-wrap; color: var(--muted, #555); border-left: 3px solid var(--line); padding: .2rem .8rem; margin: .3rem 0 .8rem; }
.translation { margin: .2rem 0 0; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } a { color: inherit; } }
"#;

/// Horizontal bars: (label, value, colour).
fn bar_chart(rows: &[(String, usize, String)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let row_h = 20;
    let label_w = 190;
    let bar_w = 230;
    let h = rows.len() * row_h + 6;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{h}\" role=\"img\">",
        label_w + bar_w + 40
    );
    for (i, (label, value, color)) in rows.iter().enumerate() {
        let y = i * row_h + 3;
        let w = (*value as f64 / max as f64 * bar_w as f64).round() as usize;
        let shown: String = if label.chars().count() > 30 {
            format!("{}…", label.chars().take(29).collect::<String>())
        } else {
            label.clone()
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"3\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{value}</text>",
            label_w - 6,
            y + 13,
            esc(label),
            esc(&shown),
            row_h - 6,
            esc(color),
            label_w + w + 5,
            y + 13
        );
    }
    svg.push_str("</svg>");
    svg
}

fn article_date(a: &Article) -> String {
    dossier_model::dates::article_date(a.published.as_deref(), &a.imported_at)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// Each region claim's crop of its page: a PNG, base64, by claim id (`None`:
/// the page could not be drawn). Claims not in it get no image.
pub type Crops = HashMap<String, Option<String>>;

fn claim_html(out: &mut String, c: &Claim, a: &Article, crops: &Crops) {
    out.push_str("<div class=\"claim\">");
    // A region claim shows the area drawn (a chart, a table), then the text inside it.
    if let (Some(r), Some(crop)) = (&c.region, crops.get(&c.id)) {
        match crop {
            Some(png) => {
                let _ = write!(
                    out,
                    "<img class=\"crop\" src=\"data:image/png;base64,{}\" alt=\"{}\">",
                    esc(png),
                    esc(&format!("The region on page {} of {}", r.page, a.title))
                );
            }
            None => out.push_str(
                "<div class=\"meta\">The page could not be drawn here; the region's text follows.</div>",
            ),
        }
    }
    let _ = write!(out, "<blockquote>{}</blockquote>", esc(&c.exact));
    let source = match a.source_url.as_deref().and_then(crate::web_link) {
        Some(url) => format!("<a href=\"{}\">{}</a>", esc(url), esc(&a.title)),
        None => esc(&a.title),
    };
    let _ = write!(
        out,
        "<div class=\"meta\">{source} · {} · {}{} · confidence {}/5 · characters {}–{}",
        esc(&article_date(a)),
        match &c.region {
            Some(r) => format!("region on p. {} · ", r.page),
            None => a
                .page_at(c.start)
                .map(|p| format!("p. {p} · "))
                .unwrap_or_default(),
        },
        c.stance.as_str(),
        c.confidence,
        c.start,
        c.end
    );
    if let Some(who) = &c.claimant {
        let _ = write!(out, " · claimant: {}", esc(who));
    }
    if let Some(an) = &c.analyst {
        let _ = write!(out, " · analyst: {}", esc(an));
    }
    let _ = write!(
        out,
        " · <a href=\"{}\">open in Dossier</a>",
        esc(&dossier_model::links::entity_link(
            dossier_model::LinkKind::Claim,
            &c.id
        ))
    );
    out.push_str("</div>");
    if let Some(comment) = &c.comment {
        let _ = write!(out, "<p>{}</p>", esc(comment));
    }
    for t in &c.translations {
        let by = t
            .translator
            .as_deref()
            .map(|b| format!(" · {}", esc(b)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<p class=\"translation\" lang=\"{}\"><span class=\"muted\">{}{by}</span> {}</p>",
            esc(&t.language),
            esc(&t.language),
            esc(&t.text)
        );
    }
    out.push_str("</div>\n");
}

/// The report, with no page crops (`html_with_crops`).
pub fn html(data: &ExportData) -> String {
    html_with_crops(data, &Crops::new())
}

/// The report; each region claim in `crops` shows its area of the page.
pub fn html_with_crops(data: &ExportData, crops: &Crops) -> String {
    let colours: HashMap<&str, &str> = data
        .codes
        .iter()
        .map(|c| (c.path.as_str(), c.color.as_str()))
        .collect();
    let colour = |path: &str| colours.get(path).copied().unwrap_or("#7a7a7a").to_string();
    let claims: Vec<(&Claim, &Article)> = data
        .bundles
        .iter()
        .flat_map(|b| b.claims.iter().map(move |c| (c, &b.article)))
        .collect();

    let mut by_code: BTreeMap<&str, Vec<(&Claim, &Article)>> = BTreeMap::new();
    let mut uncoded = Vec::new();
    for (c, a) in &claims {
        if c.codes.is_empty() {
            uncoded.push((*c, *a));
        }
        for code in &c.codes {
            by_code.entry(code.as_str()).or_default().push((c, a));
        }
    }

    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    // No script, no remote anything: the report is inert wherever it is opened.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    let _ = writeln!(
        out,
        "<title>{}</title><style>{STYLE}</style></head><body>",
        esc(&data.title)
    );
    let _ = writeln!(
        out,
        "<h1>{}</h1><p class=\"muted\">Dossier report · generated {} · Dossier {}</p>",
        esc(&data.title),
        esc(&data.generated_at),
        esc(&data.app_version)
    );
    let _ = writeln!(
        out,
        "<div class=\"summary\"><div><b>{}</b>articles</div><div><b>{}</b>claims</div><div><b>{}</b>codes used</div><div><b>{}</b>notes</div></div>",
        data.bundles.len(),
        claims.len(),
        by_code.len(),
        data.notes.len()
    );

    // ---- charts
    out.push_str("<h2>Overview</h2><div class=\"charts\">");
    let per_code: Vec<(String, usize, String)> = by_code
        .iter()
        .map(|(code, list)| (code.to_string(), list.len(), colour(code)))
        .collect();
    let _ = write!(
        out,
        "<figure><figcaption>Claims per code</figcaption>{}</figure>",
        bar_chart(&per_code)
    );
    let stance_colour = |s: Stance| match s {
        Stance::Supports => "#3b8f5a",
        Stance::Contests => "#b8483f",
        Stance::Neutral => "#6d7b8a",
        Stance::Unclear => "#c2a13a",
    };
    let per_stance: Vec<(String, usize, String)> = Stance::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_string(),
                claims.iter().filter(|(c, _)| c.stance == *s).count(),
                stance_colour(*s).to_string(),
            )
        })
        .collect();
    let _ = write!(
        out,
        "<figure><figcaption>Claims per stance</figcaption>{}</figure>",
        bar_chart(&per_stance)
    );
    let mut per_article: Vec<(&Article, usize)> = data
        .bundles
        .iter()
        .map(|b| (&b.article, b.claims.len()))
        .collect();
    per_article.sort_by_cached_key(|x| article_date(x.0));
    let rows: Vec<(String, usize, String)> = per_article
        .iter()
        .map(|(a, n)| {
            (
                format!("{} {}", &article_date(a), a.title),
                *n,
                "#2f5d8a".to_string(),
            )
        })
        .collect();
    let _ = write!(
        out,
        "<figure><figcaption>Claims per article, by date</figcaption>{}</figure>",
        bar_chart(&rows)
    );
    out.push_str("</div>\n");

    // ---- co-occurrence
    let used: Vec<&str> = by_code.keys().copied().collect();
    if used.len() > 1 {
        out.push_str("<h2>Code co-occurrence</h2><p class=\"muted\">Claims carrying both codes; the diagonal counts each code's claims.</p><table><tr><th></th>");
        for (i, _) in used.iter().enumerate() {
            let _ = write!(out, "<th title=\"{}\">{}</th>", esc(used[i]), i + 1);
        }
        out.push_str("</tr>");
        let max = by_code.values().map(Vec::len).max().unwrap_or(1).max(1);
        for (i, row) in used.iter().enumerate() {
            let _ = write!(out, "<tr><th class=\"row\">{} {}</th>", i + 1, esc(row));
            for col in &used {
                let n = claims
                    .iter()
                    .filter(|(c, _)| {
                        c.codes.iter().any(|x| x == row) && c.codes.iter().any(|x| x == col)
                    })
                    .count();
                let alpha = n as f64 / max as f64 * 0.75;
                let _ = write!(
                    out,
                    "<td style=\"background: rgba(47,93,138,{alpha:.2})\">{}</td>",
                    if n == 0 { String::new() } else { n.to_string() }
                );
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>\n");
    }

    // ---- claims by code
    out.push_str("<h2>Claims by code</h2>\n");
    for (code, list) in &by_code {
        let _ = writeln!(
            out,
            "<h3><span class=\"swatch\" style=\"background:{}\"></span>{} <span class=\"muted\">({})</span></h3>",
            esc(&colour(code)),
            esc(code),
            list.len()
        );
        // The code's documentation: its description and memo, as written.
        if let Some(k) = data.codes.iter().find(|k| k.path == *code) {
            for text in [&k.description, &k.memo] {
                if !text.trim().is_empty() {
                    let _ = writeln!(out, "<div class=\"memo\">{}</div>", esc(text));
                }
            }
        }
        for (c, a) in list {
            claim_html(&mut out, c, a, crops);
        }
    }
    if !uncoded.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Without a code <span class=\"muted\">({})</span></h3>",
            uncoded.len()
        );
        for (c, a) in &uncoded {
            claim_html(&mut out, c, a, crops);
        }
    }

    // ---- notes
    if !data.notes.is_empty() {
        out.push_str("<h2>Notes</h2>\n");
        for n in &data.notes {
            let _ = writeln!(
                out,
                "<h3>{}</h3><div class=\"note\">{}</div>",
                esc(&n.title),
                esc(&n.body)
            );
        }
    }

    // ---- sources
    out.push_str("<h2>Sources</h2><ol>\n");
    for b in &data.bundles {
        let a = &b.article;
        let _ = write!(out, "<li><b>{}</b>", esc(&a.title));
        if let Some(au) = &a.author {
            let _ = write!(out, " — {}", esc(au));
        }
        if let Some(p) = &a.published {
            let _ = write!(out, " ({})", esc(p));
        }
        if let Some(url) = a.source_url.as_deref() {
            match crate::web_link(url) {
                Some(link) => {
                    let _ = write!(out, "<br><a href=\"{}\">{}</a>", esc(link), esc(link));
                }
                None => {
                    let _ = write!(out, "<br>{}", esc(url));
                }
            }
        }
        let _ = writeln!(
            out,
            "<br><span class=\"meta\">{} · {} · SHA-256 {}</span></li>",
            esc(&a.language),
            esc(&a.original_name),
            esc(&a.sha256)
        );
    }
    out.push_str("</ol></body></html>\n");
    out
}
