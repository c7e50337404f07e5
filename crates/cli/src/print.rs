//! Output: one JSON value with `--json`, else short human-readable lines.

use dossier::model::{
    Article, ArticleSummary, CheckReport, Claim, Code, Error, ImportOutcome, Note, SearchResults,
};
use serde::Serialize;

pub struct Out {
    pub json: bool,
}

impl Out {
    pub fn value<T: Serialize>(&self, v: &T, text: impl Fn(&T) -> String) {
        if self.json {
            println!("{}", serde_json::to_string_pretty(v).expect("serialisable"));
        } else {
            println!("{}", terminal_safe(&text(v)));
        }
    }

    pub fn list<T: Serialize>(&self, items: &[T], line: impl Fn(&T) -> String) {
        if self.json {
            // Streamed: a list can be tens of megabytes (every article of a large notebook;
            // the claims listing goes through `list_chunks`).
            use std::io::Write as _;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            if serde_json::to_writer_pretty(&mut out, items).is_ok() {
                let _ = writeln!(out);
                let _ = out.flush();
            }
        } else {
            for i in items {
                println!("{}", terminal_safe(&line(i)));
            }
        }
    }

    /// A list that comes a chunk at a time (`fill` hands each chunk on): with
    /// `--json` the chunks are written by a second thread while `fill` reads
    /// the next — the same array, byte for byte, as `list` writes. When `fill`
    /// fails, the array is left unclosed (and the error goes to stderr), so a
    /// listing cut short is never taken for a whole one.
    pub fn list_chunks<T: Serialize + Send>(
        &self,
        fill: impl FnOnce(&mut dyn FnMut(Vec<T>) -> Result<(), Error>) -> Result<(), Error>,
        line: impl Fn(&T) -> String,
    ) -> Result<(), Error> {
        if !self.json {
            return fill(&mut |chunk| {
                for i in &chunk {
                    println!("{}", terminal_safe(&line(i)));
                }
                Ok(())
            });
        }
        enum Part<T> {
            Chunk(Vec<T>),
            Done,
        }
        let (tx, rx) = std::sync::mpsc::sync_channel::<Part<T>>(2);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                use serde::ser::{SerializeSeq as _, Serializer as _};
                use std::io::Write as _;
                let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                let mut ser = serde_json::Serializer::pretty(&mut out);
                let mut seq = None;
                for part in rx {
                    if seq.is_none() {
                        match (&mut ser).serialize_seq(None) {
                            Ok(s) => seq = Some(s),
                            Err(_) => return,
                        }
                    }
                    let Some(s) = seq.as_mut() else { return };
                    match part {
                        Part::Chunk(items) => {
                            for i in &items {
                                if s.serialize_element(i).is_err() {
                                    return; // a closed pipe (`| head`)
                                }
                            }
                        }
                        Part::Done => {
                            if seq.take().is_some_and(|s| s.end().is_ok()) {
                                let _ = writeln!(out);
                                let _ = out.flush();
                            }
                            return;
                        }
                    }
                }
                // The sender went away without Done: `fill` failed; leave it unclosed.
                let _ = out.flush();
            });
            // A writer that stopped (a closed pipe) takes no more; the reading goes on
            // to its end, as `list` would have read everything before printing. The
            // sender is dropped here, success or not, so the writer always ends.
            let tx = tx;
            fill(&mut |chunk| {
                let _ = tx.send(Part::Chunk(chunk));
                Ok(())
            })?;
            let _ = tx.send(Part::Done);
            Ok(())
        })
    }

    /// Errors go to stderr; with `--json` as `{"error": {"code", "message"}}`.
    pub fn error(&self, e: &Error) {
        if self.json {
            eprintln!("{}", serde_json::json!({ "error": e }));
        } else {
            eprintln!("error: {}", terminal_safe(&e.message));
        }
    }
}

/// Human output comes from titles, quotes and file names that anyone could have
/// written: control characters (terminal escape sequences among them) and
/// bidirectional overrides are removed; line breaks and tabs stay. JSON output
/// escapes them itself.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
}

#[derive(Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub article: Article,
    pub claims: Vec<Claim>,
    /// The text's blocks: headings, paragraphs, quotes, list items, tables
    /// (with their cells), figures (with their images), code.
    pub blocks: Vec<dossier::model::blocks::Block>,
    /// What could not be read of the source (pages without readable text).
    pub warnings: Vec<String>,
}

impl Shown {
    pub fn new(
        article: Article,
        claims: Vec<Claim>,
        blocks: Vec<dossier::model::blocks::Block>,
    ) -> Shown {
        let warnings = article.reading_warnings();
        Shown {
            article,
            claims,
            blocks,
            warnings,
        }
    }
}

pub fn import_line(o: &ImportOutcome) -> String {
    let status = serde_json::to_value(o.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match (&o.id, &o.error) {
        (_, Some(err)) => format!("{status:9} {}  {err}", o.path),
        (None, None) if o.summary.is_some() => format!(
            "{status:9} {}  {}",
            o.path,
            o.summary.as_deref().unwrap_or("")
        ),
        (Some(id), _) => {
            let mut line = format!(
                "{status:9} {}  {id}  {}",
                o.path,
                o.title.as_deref().unwrap_or("")
            );
            if let Some(old) = &o.replaces_candidate {
                line.push_str(&format!(
                    "\n          same address as article {old}: a new version? `dossier carry {old} {id}` carries its claims over"
                ));
            }
            for w in &o.warnings {
                line.push_str(&format!("\n          warning: {w}"));
            }
            line
        }
        _ => format!("{status:9} {}", o.path),
    }
}

pub fn article_line(a: &ArticleSummary) -> String {
    format!(
        "{}  [{}] {} ({} claims)",
        a.id, a.language, a.title, a.claim_count
    )
}

pub fn code_line(c: &Code) -> String {
    format!("{} {}  ({} claims)", c.color, c.path, c.claim_count)
}

pub fn claim_line(c: &Claim) -> String {
    let mut line = format!(
        "{}  {}..{}  [{}] {}/5 {}  \"{}\"",
        c.id,
        c.start,
        c.end,
        c.stance.as_str(),
        c.confidence,
        c.codes.join(", "),
        c.exact
    );
    if c.anchor_status != dossier::model::AnchorStatus::Exact {
        line.push_str(&format!("  ({}", c.anchor_status.as_str()));
        if let Some(old) = &c.original_exact {
            line.push_str(&format!("; was \"{old}\""));
        }
        line.push(')');
    }
    line
}

pub fn note_line(n: &Note) -> String {
    format!("{}  {} ({} links)", n.id, n.title, n.links.len())
}

pub fn show_text(s: &Shown) -> String {
    let a = &s.article;
    let mut language = a.language.clone();
    if a.languages.len() > 1 {
        let mix: Vec<String> = a
            .languages
            .iter()
            .map(|l| format!("{} {:.0} %", l.tag, l.share * 100.0))
            .collect();
        language.push_str(&format!(" ({})", mix.join(", ")));
    }
    let mut out = format!(
        "{}\n{}\nlanguage {language} · imported {} · sha256 {}\n",
        a.title,
        a.source_url.as_deref().unwrap_or(&a.original_name),
        a.imported_at,
        a.sha256,
    );
    for w in &s.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    let count = |k| s.blocks.iter().filter(|b| b.kind == k).count();
    let (tables, figures) = (
        count(dossier::model::blocks::BlockKind::Table),
        count(dossier::model::blocks::BlockKind::Figure),
    );
    if tables + figures > 0 {
        out.push_str(&format!("{tables} table(s), {figures} figure(s)\n"));
    }
    out.push_str(&format!("\n{}\n", a.text));
    if !s.claims.is_empty() {
        out.push_str("\nClaims:\n");
        for c in &s.claims {
            out.push_str(&claim_line(c));
            out.push('\n');
        }
    }
    out
}

pub fn search_text(r: &SearchResults) -> String {
    let mut out = String::new();
    if r.plain_fallback {
        out.push_str("note: the query could not be read (an open quote or bracket, or a bad field value); searched its plain words instead\n");
    }
    if r.fuzzy {
        out.push_str("note: nothing matched exactly; showing matches with small typos\n");
    }
    if r.partial {
        out.push_str("note: few results have every word; results marked ~ have only some of them (--all-words for strict)\n");
    }
    out.push_str(&format!("{} hit(s)\n", r.total));
    for h in &r.hits {
        let snippet = h
            .snippet
            .replace("<mark>", "\x1b[1m")
            .replace("</mark>", "\x1b[0m")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        out.push_str(&format!(
            "{}{:7} {}  {:.2}  {}\n        {}\n",
            if h.partial { "~" } else { " " },
            h.kind.as_str(),
            h.id,
            h.score,
            h.title,
            snippet
        ));
        for l in &h.links {
            out.push_str(&format!("        → {} {}\n", l.kind.as_str(), l.target_id));
        }
    }
    let facets = [
        ("kind", &r.facets.kind),
        ("language", &r.facets.language),
        ("stance", &r.facets.stance),
        ("code", &r.facets.code),
    ];
    for (name, values) in facets {
        if values.is_empty() {
            continue;
        }
        let list: Vec<String> = values
            .iter()
            .take(12)
            .map(|v| format!("{} {}", v.value, v.count))
            .collect();
        out.push_str(&format!("{name}: {}\n", list.join(", ")));
    }
    out
}

pub fn check_text(r: &CheckReport) -> String {
    if r.ok {
        "ok".to_string()
    } else {
        let mut s = format!("{} problem(s):\n", r.problems.len());
        for p in &r.problems {
            s.push_str(&format!("- {p}\n"));
        }
        s
    }
}

pub fn relation_line(r: &dossier::model::ClaimRelation) -> String {
    let comment = r
        .comment
        .as_deref()
        .map(|c| format!("  — {c}"))
        .unwrap_or_default();
    format!(
        "{}  {} {} {}{comment}",
        r.id,
        r.from_id,
        r.kind.as_str(),
        r.to_id
    )
}

pub fn history_text(v: &serde_json::Value) -> String {
    let mut out = String::new();
    let c = &v["claim"];
    out.push_str(&format!(
        "claim {}: \"{}\"\n  hedging {}, verdict {}\n",
        c["id"].as_str().unwrap_or(""),
        c["exact"].as_str().unwrap_or(""),
        c["hedging"].as_str().unwrap_or(""),
        c["verdict"].as_str().unwrap_or("")
    ));
    for h in v["verdicts"].as_array().into_iter().flatten() {
        let evidence: Vec<String> = h["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                format!(
                    "{}:{}",
                    e["kind"].as_str().unwrap_or(""),
                    e["target"].as_str().unwrap_or("")
                )
            })
            .collect();
        out.push_str(&format!(
            "  {}  {} by {}{}{}\n",
            h["at"].as_str().unwrap_or(""),
            h["verdict"].as_str().unwrap_or(""),
            h["analyst"].as_str().unwrap_or("?"),
            h["note"]
                .as_str()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default(),
            if evidence.is_empty() {
                String::new()
            } else {
                format!(" [evidence: {}]", evidence.join(", "))
            }
        ));
    }
    for ch in v["changes"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  {}  {}{}\n",
            ch["at"].as_str().unwrap_or(""),
            ch["action"].as_str().unwrap_or(""),
            if ch["undone"].as_bool() == Some(true) {
                " (undone)"
            } else {
                ""
            }
        ));
    }
    for r in v["relations"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  relation {}: {} {} {}\n",
            r["id"].as_str().unwrap_or(""),
            r["from_id"].as_str().unwrap_or(""),
            r["kind"].as_str().unwrap_or(""),
            r["to_id"].as_str().unwrap_or("")
        ));
    }
    out
}

pub fn agreement_text(r: &dossier::model::AgreementReport) -> String {
    let f = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:.3}"));
    let mut out = format!(
        "{} vs {}: {} article(s), {} characters\n{:<40} {:>8} {:>8} {:>8}\n",
        r.analysts[0],
        r.analysts[1],
        r.articles.len(),
        r.characters,
        "code",
        "agree",
        "kappa",
        "alpha"
    );
    let mut row = |name: &str, s: &dossier::model::AgreementStats| {
        out.push_str(&format!(
            "{:<40} {:>8} {:>8} {:>8}\n",
            name,
            f(s.percent_agreement),
            f(s.cohen_kappa),
            f(s.krippendorff_alpha)
        ));
    };
    for c in &r.per_code {
        row(&c.code, &c.stats);
    }
    row("overall", &r.overall);
    out
}

pub fn suggestion_line(s: &dossier::model::Suggestion) -> String {
    format!(
        "{}..{}  [{}]{}  \"{}\"\n        because {}",
        s.start,
        s.end,
        s.codes.join(", "),
        if s.hedging == dossier::model::Hedging::Hedged {
            " (hedged)"
        } else {
            ""
        },
        s.exact,
        s.rule
    )
}

/// What carrying claims to a new version did (`import --replaces`, `carry`).
pub fn carry_text(r: &dossier::model::CarryReport) -> String {
    let mut line = format!(
        "{} replaces {}: {} claim(s) carried exactly, {} changed, {} orphaned",
        r.article_id, r.replaces, r.exact, r.changed, r.orphaned
    );
    if r.orphaned > 0 {
        line.push_str(" (see `dossier claim orphans`)");
    }
    line
}
