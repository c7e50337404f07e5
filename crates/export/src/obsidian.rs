//! A Markdown vault for Obsidian: `Articles/` (one file per article, front
//! matter, claims as callouts with a block id), `Notes/` (the notes, their
//! `[[links]]` rewritten to vault links) and `Codebook.md`. Codes become
//! nested tags (`#Transparency/Open-weights`).

use std::collections::HashMap;
use std::fmt::Write as _;

use dossier_model::{Claim, Code, LinkKind, Note};

use crate::{safe_file_name, ArticleBundle, ExportData};

/// One file of the vault: a relative path with `/` separators, and its text.
pub struct VaultFile {
    pub path: String,
    pub text: String,
}

fn short(id: &str) -> &str {
    crate::names::id_suffix(id)
}

fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A code path as an Obsidian tag: no spaces, `/` keeps the hierarchy.
pub fn tag(path: &str) -> String {
    let t: String = path
        .chars()
        .map(|c| {
            if c.is_whitespace()
                || matches!(
                    c,
                    '#' | ','
                        | '.'
                        | ':'
                        | ';'
                        | '!'
                        | '?'
                        | '"'
                        | '\''
                        | '['
                        | ']'
                        | '('
                        | ')'
                        | '&'
                        | '*'
                )
            {
                '-'
            } else {
                c
            }
        })
        .collect();
    format!("#{t}")
}

fn block_id(claim_id: &str) -> String {
    format!("c-{}", claim_id.to_ascii_lowercase())
}

fn article_file(b: &ArticleBundle) -> String {
    format!(
        "{} ({})",
        safe_file_name(&b.article.title),
        short(&b.article.id)
    )
}

fn callout(out: &mut String, c: &Claim, page: Option<u32>) {
    let _ = writeln!(
        out,
        "> [!quote] Claim · {} · confidence {}/5",
        c.stance.as_str(),
        c.confidence
    );
    for line in c.exact.lines() {
        let _ = writeln!(out, "> {line}");
    }
    out.push_str(">\n");
    if !c.codes.is_empty() {
        let tags: Vec<String> = c.codes.iter().map(|p| tag(p)).collect();
        let _ = writeln!(out, "> **Codes:** {}", tags.join(" "));
    }
    if let Some(who) = &c.claimant {
        let _ = writeln!(out, "> **Claimant:** {who}");
    }
    if let Some(comment) = &c.comment {
        for line in comment.lines() {
            let _ = writeln!(out, "> {line}");
        }
    }
    let _ = writeln!(
        out,
        "> <small>{}characters {}–{} · claim [`{}`]({}){}</small>",
        page.map(|p| format!("page {p} · ")).unwrap_or_default(),
        c.start,
        c.end,
        c.id,
        dossier_model::links::entity_link(dossier_model::LinkKind::Claim, &c.id),
        c.analyst
            .as_deref()
            .map(|a| format!(" · {a}"))
            .unwrap_or_default()
    );
    // Obsidian wants a callout's block id on its own line, with blank lines around.
    let _ = writeln!(out, "\n^{}\n", block_id(&c.id));
}

fn article_text(b: &ArticleBundle) -> String {
    let a = &b.article;
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", yaml(&a.title));
    for (k, v) in [
        ("author", &a.author),
        ("source", &a.source_url),
        ("published", &a.published),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "{k}: {}", yaml(v));
        }
    }
    let _ = writeln!(out, "language: {}", yaml(&a.language));
    let _ = writeln!(out, "sha256: {}", yaml(&a.sha256));
    let _ = writeln!(out, "dossier_id: {}", yaml(&a.id));
    let mut codes: Vec<&str> = b
        .claims
        .iter()
        .flat_map(|c| c.codes.iter().map(String::as_str))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    if !codes.is_empty() {
        out.push_str("tags:\n");
        for c in codes {
            let _ = writeln!(out, "  - {}", yaml(tag(c).trim_start_matches('#')));
        }
    }
    out.push_str("---\n\n");
    let _ = writeln!(out, "# {}\n", a.title);
    if let Some(url) = &a.source_url {
        let _ = writeln!(out, "{}\n", crate::markdown_source(url));
    }
    let _ = writeln!(out, "## Claims ({})\n", b.claims.len());
    for c in &b.claims {
        callout(&mut out, c, a.page_at(c.start));
    }
    out
}

/// Rewrites a note's resolved `[[…]]` links into vault links.
fn rewrite_links(
    note: &Note,
    articles: &HashMap<&str, String>,
    claims: &HashMap<&str, (String, String)>,
    notes: &HashMap<&str, (String, String)>,
) -> String {
    let mut body = note.body.clone();
    for l in &note.links {
        let shown = l.label.split_once('|').map(|(_, s)| s.trim().to_string());
        let replacement = match l.kind {
            LinkKind::Article => articles.get(l.target_id.as_str()).map(|file| {
                format!(
                    "[[Articles/{file}|{}]]",
                    shown.clone().unwrap_or_else(|| file.clone())
                )
            }),
            LinkKind::Claim => claims.get(l.target_id.as_str()).map(|(file, quote)| {
                format!(
                    "[[Articles/{file}#^{}|{}]]",
                    block_id(&l.target_id),
                    shown.clone().unwrap_or_else(|| quote.clone())
                )
            }),
            LinkKind::Note => notes.get(l.target_id.as_str()).map(|(file, title)| {
                format!(
                    "[[Notes/{file}|{}]]",
                    shown.clone().unwrap_or_else(|| title.clone())
                )
            }),
        };
        if let Some(r) = replacement {
            body = body.replace(&format!("[[{}]]", l.label), &r);
        }
    }
    body
}

fn codebook(codes: &[Code]) -> String {
    let mut out = String::from("# Codebook\n\n");
    for c in codes {
        let depth = c.path.matches('/').count();
        let _ = write!(
            out,
            "{}- **{}** {} ({} claims)",
            "  ".repeat(depth),
            c.name,
            tag(&c.path),
            c.claim_count
        );
        if !c.description.is_empty() {
            let _ = write!(out, " — {}", c.description.replace('\n', " "));
        }
        out.push('\n');
    }
    out
}

/// A note's file name in `Notes/`, without `.md`: its title and a short id.
fn note_file(n: &Note) -> String {
    format!("{} ({})", safe_file_name(&n.title), short(&n.id))
}

pub fn vault(data: &ExportData) -> Vec<VaultFile> {
    let mut files = Vec::new();
    let mut articles: HashMap<&str, String> = HashMap::new();
    let mut claims: HashMap<&str, (String, String)> = HashMap::new();
    for b in &data.bundles {
        let name = article_file(b);
        for c in &b.claims {
            let quote: String = c
                .exact
                .chars()
                .take(50)
                .collect::<String>()
                .replace(['[', ']', '|', '\n'], " ");
            claims.insert(c.id.as_str(), (name.clone(), quote));
        }
        articles.insert(b.article.id.as_str(), name.clone());
        files.push(VaultFile {
            path: format!("Articles/{name}.md"),
            text: article_text(b),
        });
    }
    // Each note's file name (without `.md`) and title, for links between notes.
    let note_files: HashMap<&str, (String, String)> = data
        .notes
        .iter()
        .map(|n| {
            let title = n.title.replace(['[', ']', '|', '\n'], " ");
            (n.id.as_str(), (note_file(n), title))
        })
        .collect();
    for n in &data.notes {
        let mut text = String::from("---\n");
        let _ = writeln!(text, "title: {}", yaml(&n.title));
        let _ = writeln!(text, "created: {}", yaml(&n.created_at));
        let _ = writeln!(text, "updated: {}", yaml(&n.updated_at));
        let _ = writeln!(text, "dossier_id: {}", yaml(&n.id));
        let _ = writeln!(
            text,
            "dossier_link: {}",
            yaml(&dossier_model::links::entity_link(
                dossier_model::LinkKind::Note,
                &n.id
            ))
        );
        text.push_str("---\n\n");
        if let Some(file) = n.article_id.as_deref().and_then(|id| articles.get(id)) {
            let _ = writeln!(text, "About: [[Articles/{file}]]\n");
        }
        text.push_str(&rewrite_links(n, &articles, &claims, &note_files));
        text.push('\n');
        files.push(VaultFile {
            path: format!("Notes/{}.md", note_file(n)),
            text,
        });
    }
    files.push(VaultFile {
        path: "Codebook.md".into(),
        text: codebook(&data.codes),
    });
    files
}
