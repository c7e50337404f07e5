//! Annotated Markdown: front matter with the source's metadata and hashes, the
//! claims as block quotes with their analysis, and the notes that concern the article.

use std::fmt::Write as _;

use dossier_model::{Claim, Note};

use crate::ArticleBundle;

/// A YAML scalar: JSON string syntax is valid YAML and escapes everything needed.
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn front_matter(out: &mut String, b: &ArticleBundle) {
    let a = &b.article;
    out.push_str("---\n");
    let _ = writeln!(out, "title: {}", yaml(&a.title));
    for (key, value) in [
        ("author", &a.author),
        ("source_url", &a.source_url),
        ("published", &a.published),
    ] {
        if let Some(v) = value {
            let _ = writeln!(out, "{key}: {}", yaml(v));
        }
    }
    let _ = writeln!(out, "language: {}", yaml(&a.language));
    let _ = writeln!(out, "imported_at: {}", yaml(&a.imported_at));
    let _ = writeln!(out, "original_file: {}", yaml(&a.original_name));
    let _ = writeln!(out, "sha256: {}", yaml(&a.sha256));
    let _ = writeln!(out, "text_sha256: {}", yaml(&a.text_sha256));
    let _ = writeln!(out, "dossier_id: {}", yaml(&a.id));
    // The article's attributes as a map (numbers stay strings: as written).
    if !b.attributes.is_empty() {
        out.push_str("attributes:\n");
        for v in &b.attributes {
            let _ = writeln!(out, "  {}: {}", yaml(&v.name), yaml(&v.value));
        }
    }
    if !b.sets.is_empty() {
        let names: Vec<String> = b.sets.iter().map(|s| yaml(s)).collect();
        let _ = writeln!(out, "sets: [{}]", names.join(", "));
    }
    out.push_str("---\n\n");
}

fn quote_block(out: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "> {line}");
    }
}

fn claim(
    out: &mut String,
    c: &Claim,
    page: Option<u32>,
    relations: &[dossier_model::ClaimRelation],
) {
    quote_block(out, &c.exact);
    out.push('\n');
    let codes = if c.codes.is_empty() {
        "—".to_string()
    } else {
        c.codes
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "- **Codes:** {codes}");
    let _ = writeln!(
        out,
        "- **Stance:** {} · **Confidence:** {}/5",
        c.stance.as_str(),
        c.confidence
    );
    if let Some(v) = &c.claimant {
        let _ = writeln!(out, "- **Claimant:** {v}");
    }
    if let Some(v) = &c.comment {
        let _ = writeln!(out, "- **Comment:** {}", v.replace('\n', " "));
    }
    for t in &c.translations {
        let by = t
            .translator
            .as_deref()
            .map(|b| format!(", {}", b.replace('\n', " ")))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- **Translation ({}{by}):** {}",
            t.language,
            t.text.replace('\n', " ")
        );
    }
    if let Some(v) = &c.analyst {
        let _ = writeln!(out, "- **Analyst:** {v}");
    }
    let _ = writeln!(
        out,
        "- **Open in Dossier:** <{}>",
        dossier_model::links::entity_link(dossier_model::LinkKind::Claim, &c.id)
    );
    if c.hedging != dossier_model::Hedging::Asserted
        || c.verdict != dossier_model::Verdict::Unverified
    {
        let _ = writeln!(
            out,
            "- **Hedging:** {} · **Verdict:** {}",
            c.hedging.as_str(),
            c.verdict.as_str()
        );
    }
    for r in relations.iter().filter(|r| r.from_id == c.id) {
        let comment = r
            .comment
            .as_deref()
            .map(|t| format!(" — {}", t.replace('\n', " ")))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- **{}** claim `{}`{comment}",
            r.kind.as_str(),
            r.to_id
        );
    }
    // A region claim is its rectangle on its page; its characters are the text inside it.
    let page = match &c.region {
        Some(r) => format!(
            "region on page {} ({:.0}, {:.0})–({:.0}, {:.0}) pt · ",
            r.page, r.x0, r.y0, r.x1, r.y1
        ),
        None => page.map(|p| format!("page {p} · ")).unwrap_or_default(),
    };
    let _ = writeln!(
        out,
        "- **Position:** {page}characters {}–{} · claim `{}`",
        c.start, c.end, c.id
    );
    out.push('\n');
}

fn note(out: &mut String, n: &Note) {
    let _ = writeln!(out, "### {}\n", n.title);
    out.push_str(n.body.trim_end());
    out.push_str("\n\n");
}

/// The Markdown document for one article.
pub fn article_document(b: &ArticleBundle) -> String {
    let mut out = String::new();
    front_matter(&mut out, b);
    let _ = writeln!(out, "# {}\n", b.article.title);
    if let Some(url) = &b.article.source_url {
        let _ = writeln!(out, "{}\n", crate::markdown_source(url));
    }
    let _ = writeln!(out, "## Claims ({})\n", b.claims.len());
    for c in &b.claims {
        claim(&mut out, c, b.article.page_at(c.start), &b.relations);
    }
    if !b.notes.is_empty() {
        let _ = writeln!(out, "## Notes\n");
        for n in &b.notes {
            note(&mut out, n);
        }
    }
    out
}

/// All articles in one document, separated by rules; front matter becomes a
/// metadata list per article because a file can have only one front matter.
pub fn combined_document(bundles: &[ArticleBundle]) -> String {
    let mut out = String::from("# Dossier export\n\n");
    for b in bundles {
        let doc = article_document(b);
        // Drop the leading front matter of each article; keep the hashes visible.
        let body = doc.splitn(3, "---\n").nth(2).unwrap_or(&doc);
        out.push_str("---\n\n");
        out.push_str(body.trim_start().replacen("# ", "## ", 1).as_str());
        let _ = writeln!(
            out,
            "*Article `{}` · SHA-256 `{}` · text SHA-256 `{}`*\n",
            b.article.id, b.article.sha256, b.article.text_sha256
        );
    }
    out
}
