//! `dossier-bench CORPUS_DIR [--out FILE]`: measures, in one run on one machine,
//! Dossier's whole import pipeline (extract, store, index; with and without
//! PDFs) and Dossier's index alone, beside two comparators fed the same
//! extracted text — raw single-thread tantivy with its default analysis, and
//! SQLite FTS5 (unicode61, Chinese split into characters); then index size,
//! query latency for a fixed mix beside FTS5, recall against a brute-force
//! scan (Chinese substrings, German compound heads) and the time from a save to
//! the item being searchable. Each phase runs in its own child process so that
//! its CPU time and peak memory are its own.
//!
//! Linux only: CPU time and peak RSS come from /proc/self.

mod hub;

mod reanchor;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Serialize, Deserialize)]
struct Doc {
    id: String,
    title: String,
    text: String,
    lang: String,
}

/// A notebook without the background indexer: each phase decides when the
/// index catches up (`flush_index`), so timings are the phase's own.
fn open_quiet(dir: &Path) -> dossier::Notebook {
    dossier::Notebook::open_with(
        dir,
        dossier::OpenOptions {
            background_indexer: false,
            ..Default::default()
        },
    )
    .expect("notebook")
}

/// Two adjacent CPU-time fields of /proc/self/stat, counted after the command name
/// (`first` = 11: utime and stime, this process; 13: cutime and cstime, its children
/// that have been waited for), in seconds (ticks are 1/100 s on Linux).
fn stat_cpu_seconds(first: usize) -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (field(first) + field(first + 1)) / 100.0
}

fn cpu_seconds() -> f64 {
    stat_cpu_seconds(11)
}

/// CPU seconds of this process's children that have been waited for.
fn children_cpu_seconds() -> f64 {
    stat_cpu_seconds(13)
}

/// The plainest way to strip an HTML page to text: drop tags, the contents of
/// script and style, and decode the common entities. No sanitising, no structure.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let lower: String = rest
            .chars()
            .take(7)
            .collect::<String>()
            .to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            Some("</script>")
        } else if lower.starts_with("<style") {
            Some("</style>")
        } else {
            None
        };
        let end = match skip_to {
            // Case-insensitive, without copying the rest of the page for each tag.
            Some(close) => rest
                .as_bytes()
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                .map_or(rest.len(), |i| i + close.len()),
            None => rest.find('>').map_or(rest.len(), |i| i + 1),
        };
        out.push(' ');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The comparator for import: `pdftotext` for PDFs (a child process each, its CPU
/// counted), tag stripping for HTML, the file as it is for text and Markdown, and
/// the texts into SQLite FTS5 (unicode61, Chinese split into characters) in one
/// transaction. `which`: `all`, `text` or `pdf`.
fn phase_comparator(which: &str, corpus: &Path, work: &Path) -> Value {
    let exts: &[&str] = match which {
        "pdf" => &["pdf"],
        "text" => &["txt", "md", "html", "htm"],
        _ => &["pdf", "txt", "md", "html", "htm"],
    };
    let mut files = Vec::new();
    for ext in exts {
        files_with_extension(corpus, ext, &mut files);
    }
    files.sort();
    let path = work.join(format!("comparator-{which}.sqlite"));
    let _ = std::fs::remove_file(&path);
    let t = Timer::start();
    let children = children_cpu_seconds();
    let mut conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61');")
        .expect("schema");
    let tx = conn.transaction().expect("tx");
    let mut bytes = 0usize;
    let mut read = 0usize;
    {
        let mut stmt = tx
            .prepare("INSERT INTO t (title, body) VALUES (?1, ?2)")
            .expect("stmt");
        for f in &files {
            let is = |e: &str| f.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
            let text = if is("pdf") {
                let out = std::process::Command::new("pdftotext")
                    .args(["-q", "-enc", "UTF-8"])
                    .arg(f)
                    .arg("-")
                    .output()
                    .expect("pdftotext (poppler-utils) must be installed");
                String::from_utf8_lossy(&out.stdout).into_owned()
            } else {
                let raw = std::fs::read(f).expect("read");
                let s = String::from_utf8_lossy(&raw).into_owned();
                if is("html") || is("htm") {
                    strip_tags(&s)
                } else {
                    s
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            read += 1;
            bytes += text.len();
            let title = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            stmt.execute([split_cjk(title), split_cjk(&text)])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    let mut v = t.report(bytes, json!({ "files": files.len(), "read": read }));
    // The report counts this process; pdftotext's CPU is its children's.
    let child_cpu = children_cpu_seconds() - children;
    let cpu = v["cpu_s"].as_f64().unwrap_or(0.0) + child_cpu;
    v["cpu_s"] = json!(cpu);
    v["children_cpu_s"] = json!(child_cpu);
    v["mb_per_cpu_s"] = json!(bytes as f64 / 1_048_576.0 / cpu.max(1e-9));
    v
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Timer {
    wall: Instant,
    cpu: f64,
}

impl Timer {
    fn start() -> Timer {
        Timer {
            wall: Instant::now(),
            cpu: cpu_seconds(),
        }
    }
    fn report(&self, text_bytes: usize, extra: Value) -> Value {
        let wall = self.wall.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - self.cpu;
        let mb = text_bytes as f64 / 1_048_576.0;
        let mut v = json!({
            "wall_s": wall, "cpu_s": cpu, "text_mb": mb,
            "mb_per_wall_s": mb / wall.max(1e-9), "mb_per_cpu_s": mb / cpu.max(1e-9),
            "peak_rss_mb": peak_rss_mb(),
        });
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        v
    }
}

fn load_texts(work: &Path) -> Vec<Doc> {
    let raw = std::fs::read_to_string(work.join("texts.jsonl"))
        .expect("the pipeline phase wrote texts.jsonl");
    raw.lines()
        .map(|l| serde_json::from_str(l).expect("valid line"))
        .collect()
}

/// Same ranges as Dossier's analyser, so FTS5 gets the same notion of "Chinese".
use dossier_search::analysis::is_cjk;

/// FTS5's unicode61 tokenizer treats a run of Han characters as one token: split them.
fn split_cjk(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    for c in s.chars() {
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The whole pipeline over the corpus; `text_only` leaves out the PDFs, whose
/// extraction dominates everything else (see the per-format table).
/// With `main`, the notebook and texts are the ones later phases read
/// (`nb.dossier`, `texts.jsonl`); the text-only run of the benchmark keeps its own.
fn phase_pipeline(corpus: &Path, work: &Path, text_only: bool, main: bool) -> Value {
    let name = if main {
        "nb.dossier"
    } else {
        "nb-text.dossier"
    };
    let mut inputs = vec![corpus.to_path_buf()];
    if text_only {
        inputs.clear();
        for ext in ["txt", "md", "html", "htm"] {
            files_with_extension(corpus, ext, &mut inputs);
        }
        inputs.sort();
    }
    let nb = open_quiet(&work.join(name));
    let t = Timer::start();
    let outcomes = nb
        .import_paths(&inputs, &AtomicBool::new(false), &mut |_| {})
        .expect("import");
    nb.flush_index().expect("index");
    let mut bytes = 0;
    let mut lines = String::new();
    let articles = nb.articles().expect("articles");
    for a in &articles {
        let full = nb.article(&a.id).expect("article");
        bytes += full.text.len();
        lines.push_str(
            &serde_json::to_string(&Doc {
                id: full.id,
                title: full.title,
                text: full.text,
                lang: full.language,
            })
            .expect("json"),
        );
        lines.push('\n');
    }
    let report = t.report(
        bytes,
        json!({
            "files": outcomes.len(),
            "imported": outcomes.iter().filter(|o| o.status == dossier::model::ImportStatus::Imported).count(),
            "failed": outcomes.iter().filter(|o| o.status == dossier::model::ImportStatus::Failed).count(),
            "pdf_included": !text_only,
        }),
    );
    if main {
        std::fs::write(work.join("texts.jsonl"), lines).expect("write texts");
    }
    report
}

/// Dossier's own index (schema, analysis per language, CJK bigrams, German
/// reversed terms) fed the extracted text directly: the pipeline without
/// reading, extraction and SQLite.
fn phase_dossier_index(work: &Path) -> Value {
    let docs = load_texts(work);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let dir = work.join("dossier-index-only");
    let t = Timer::start();
    let (index, _) = dossier_search::SearchIndex::open(&dir).expect("index");
    let mut ops = Vec::new();
    for d in &docs {
        ops.push(dossier_search::IndexOp::Upsert(Box::new(
            dossier_search::IndexDoc {
                article_id: Some(d.id.clone()),
                ..dossier_search::IndexDoc::new(
                    dossier::model::Kind::Article,
                    d.id.clone(),
                    d.title.clone(),
                    d.text.clone(),
                    d.lang.clone(),
                )
            },
        )));
        if ops.len() == 512 {
            index.apply(std::mem::take(&mut ops), 1).expect("apply");
        }
    }
    index.apply(ops, 1).expect("apply");
    t.report(bytes, json!({ "docs": docs.len() }))
}

/// Files under `dir` (recursively) whose extension is `ext`.
fn files_with_extension(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_with_extension(&p, ext, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case(ext)) {
            out.push(p);
        }
    }
}

/// The whole import pipeline for one format: read, extract, store, index.
fn phase_format(ext: &str, corpus: &Path, work: &Path) -> Value {
    let mut files = Vec::new();
    files_with_extension(corpus, ext, &mut files);
    files.sort();
    let input_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let nb = open_quiet(&work.join(format!("fmt-{ext}.dossier")));
    let t = Timer::start();
    let outcomes = nb
        .import_paths(&files, &AtomicBool::new(false), &mut |_| {})
        .expect("import");
    nb.flush_index().expect("index");
    let text_bytes: usize = nb
        .articles()
        .expect("articles")
        .iter()
        .map(|a| nb.article(&a.id).map(|x| x.text.len()).unwrap_or(0))
        .sum();
    let wall = t.wall.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - t.cpu;
    json!({
        "format": ext,
        "files": files.len(),
        "imported": outcomes.iter().filter(|o| o.status == dossier::model::ImportStatus::Imported).count(),
        "failed": outcomes.iter().filter(|o| o.status == dossier::model::ImportStatus::Failed).count(),
        "input_mb": input_bytes as f64 / 1e6,
        "text_mb": text_bytes as f64 / 1e6,
        "wall_s": wall,
        "cpu_s": cpu,
        "input_mb_per_wall_s": input_bytes as f64 / 1e6 / wall.max(1e-9),
        "text_mb_per_cpu_s": text_bytes as f64 / 1e6 / cpu.max(1e-9),
        "peak_rss_mb": peak_rss_mb(),
    })
}

fn phase_tantivy(work: &Path) -> Value {
    use tantivy::schema::{Schema, TEXT};
    let docs = load_texts(work);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let dir = work.join("raw-tantivy");
    std::fs::create_dir_all(&dir).expect("dir");
    let t = Timer::start();
    let mut b = Schema::builder();
    let title = b.add_text_field("title", TEXT);
    let body = b.add_text_field("body", TEXT);
    let index = tantivy::Index::create_in_dir(&dir, b.build()).expect("index");
    let mut w: tantivy::IndexWriter = index
        .writer_with_num_threads(1, 48_000_000)
        .expect("writer");
    for d in &docs {
        w.add_document(tantivy::doc!(title => d.title.as_str(), body => d.text.as_str()))
            .expect("add");
    }
    w.commit().expect("commit");
    w.wait_merging_threads().expect("merges");
    t.report(
        bytes,
        json!({ "docs": docs.len(), "index_mb": dir_bytes(&dir) as f64 / 1_048_576.0 }),
    )
}

fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                dir_bytes(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

fn phase_fts5(work: &Path) -> Value {
    let docs = load_texts(work);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let path = work.join("fts.sqlite");
    let _ = std::fs::remove_file(&path);
    let t = Timer::start();
    let mut conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE VIRTUAL TABLE t USING fts5(title, body, lang UNINDEXED, tokenize='unicode61');")
        .expect("schema");
    let tx = conn.transaction().expect("tx");
    {
        let mut stmt = tx
            .prepare("INSERT INTO t (title, body, lang) VALUES (?1, ?2, ?3)")
            .expect("stmt");
        for d in &docs {
            stmt.execute([split_cjk(&d.title), split_cjk(&d.text), d.lang.clone()])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    t.report(
        bytes,
        json!({ "docs": docs.len(), "db_mb": size as f64 / 1_048_576.0 }),
    )
}

/// The fixed query mix: (kind of query, Dossier's query, the same for FTS5,
/// language filter for FTS5). Chinese for FTS5 is split into characters and
/// quoted, which is how FTS5 must be asked for a Chinese word.
const MIX: &[(&str, &str, &str, Option<&str>)] = &[
    ("term de", "Sicherheit", "Sicherheit", None),
    ("term de", "Konfiguration", "Konfiguration", None),
    ("term de", "Benutzer", "Benutzer", None),
    ("and de", "Paket Installation", "Paket Installation", None),
    ("and de", "Datei Rechner", "Datei Rechner", None),
    ("phrase de", "\"die Datei\"", "\"die Datei\"", None),
    ("prefix de", "Konfig*", "Konfig*", None),
    ("field de", "lang:de Netzwerk", "Netzwerk", Some("de")),
    ("term en", "package", "package", None),
    ("term en", "kernel", "kernel", None),
    ("term en", "security", "security", None),
    ("and en", "install package", "install package", None),
    (
        "and en",
        "network configuration",
        "network configuration",
        None,
    ),
    (
        "phrase en",
        "\"configuration file\"",
        "\"configuration file\"",
        None,
    ),
    ("prefix en", "netw*", "netw*", None),
    ("field en", "lang:en server", "server", Some("en")),
    ("term zh", "软件", "\"软 件\"", None),
    ("term zh", "安装", "\"安 装\"", None),
    ("term zh", "系统", "\"系 统\"", None),
    ("and zh", "安装 软件", "\"安 装\" \"软 件\"", None),
    ("and zh", "网络 配置", "\"网 络\" \"配 置\"", None),
    ("phrase zh", "\"配置文件\"", "\"配 置 文 件\"", None),
    ("field zh", "lang:zh 用户", "\"用 户\"", Some("zh")),
];

fn phase_queries(work: &Path) -> Value {
    const ROUNDS: usize = 30;
    let nb = open_quiet(&work.join("nb.dossier"));
    let fts = rusqlite::Connection::open(work.join("fts.sqlite")).expect("fts");
    let with_snippet = "SELECT rowid, snippet(t, 1, '<mark>', '</mark>', '…', 24) FROM t WHERE t MATCH ?1 AND (?2 IS NULL OR lang = ?2) ORDER BY rank LIMIT 20";
    let ids_only =
        "SELECT rowid FROM t WHERE t MATCH ?1 AND (?2 IS NULL OR lang = ?2) ORDER BY rank LIMIT 20";
    let mut snip_stmt = fts.prepare(with_snippet).expect("query");
    let mut ids_stmt = fts.prepare(ids_only).expect("query");
    let (mut ours, mut fts_snip, mut fts_ids) = (Vec::new(), Vec::new(), Vec::new());
    let mut ours_plain = Vec::new();
    let mut per_query = Vec::new();
    let mut by_query: Vec<Vec<f64>> = vec![Vec::new(); MIX.len()];
    // One warm-up pass: the first query of a process pays for opening files.
    for round in 0..=ROUNDS {
        for (qi, (label, q, fq, lang)) in MIX.iter().enumerate() {
            let t = Instant::now();
            let r = nb
                .search(&dossier::model::SearchRequest {
                    query: (*q).into(),
                    limit: 20,
                    ..Default::default()
                })
                .expect("search");
            let ours_ms = t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            let plain = nb
                .search(&dossier::model::SearchRequest {
                    query: (*q).into(),
                    limit: 20,
                    skip_snippets: true,
                    ..Default::default()
                })
                .expect("search");
            assert_eq!(plain.total, r.total);
            let plain_ms = t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            let rows: Vec<(i64, String)> = snip_stmt
                .query_map(rusqlite::params![fq, lang], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("fts query")
                .collect::<Result<_, _>>()
                .expect("rows");
            let snip_ms = t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            let n_ids = ids_stmt
                .query_map(rusqlite::params![fq, lang], |r| r.get::<_, i64>(0))
                .expect("fts query")
                .count();
            let ids_ms = t.elapsed().as_secs_f64() * 1000.0;
            if round == 0 {
                per_query.push(json!({ "kind": label, "query": q, "dossier_total": r.total, "fts5_top20": rows.len().max(n_ids) }));
                continue;
            }
            ours.push(ours_ms);
            ours_plain.push(plain_ms);
            by_query[qi].push(ours_ms);
            fts_snip.push(snip_ms);
            fts_ids.push(ids_ms);
        }
    }
    let stats = |xs: &mut Vec<f64>| json!({ "p50_ms": pct(xs, 50.0), "p90_ms": pct(xs, 90.0), "p99_ms": pct(xs, 99.0) });
    for (entry, times) in per_query.iter_mut().zip(by_query.iter_mut()) {
        entry["dossier_p50_ms"] = json!(pct(times, 50.0));
        entry["dossier_max_ms"] = json!(pct(times, 100.0));
    }
    json!({
        "queries": MIX.len(), "rounds": ROUNDS,
        "dossier": stats(&mut ours),
        "dossier_without_snippets": stats(&mut ours_plain),
        "fts5_with_snippets": stats(&mut fts_snip),
        "fts5_ids_only": stats(&mut fts_ids),
        "note": "Dossier: the façade's search as the app calls it: BM25 with title boost over articles, claims and notes in every language family, top 20 with snippets, total count and facets; and the same without snippets. FTS5: rank, top 20, with snippet() and without.",
        "per_query": per_query,
    })
}

/// The suggester on the hand-labelled set (written with the lexicon: in
/// sample) and on the sample article's claims (written before it: held out).
fn suggest_report(labelled: &Path) -> Value {
    let set: Value =
        serde_json::from_str(&std::fs::read_to_string(labelled).expect("labelled set"))
            .expect("json");
    let work = std::env::temp_dir().join(format!("dossier-suggest-{}", std::process::id()));
    let nb = dossier::Notebook::init(&work.join("n.dossier"), true).expect("notebook");
    let mut per = Vec::new();
    let mut add = |name: &str, text: &str, labels: Vec<(u32, u32, Vec<String>)>| {
        let sc = dossier::suggest::score(&dossier::suggest::suggest_in(text), &labels);
        per.push(json!({ "set": name, "score": sc }));
    };
    for a in set["articles"].as_array().expect("articles") {
        let text = a["text"].as_str().expect("text");
        let labels = a["claims"]
            .as_array()
            .expect("claims")
            .iter()
            .map(|l| {
                let anchor = dossier::model::Anchor::from_quote(
                    text,
                    l["exact"].as_str().expect("exact"),
                    1,
                )
                .expect("label in text");
                let codes = l["codes"]
                    .as_array()
                    .expect("codes")
                    .iter()
                    .map(|c| c.as_str().expect("code").to_string())
                    .collect();
                (anchor.start, anchor.end, codes)
            })
            .collect();
        add(a["name"].as_str().expect("name"), text, labels);
    }
    let sample = nb.articles().expect("articles")[0].id.clone();
    let text = nb.article(&sample).expect("article").text;
    let labels = nb
        .claims(Some(&sample), None)
        .expect("claims")
        .into_iter()
        .map(|c| (c.start, c.end, c.codes))
        .collect();
    add("sample article (held out)", &text, labels);
    drop(nb);
    let _ = std::fs::remove_dir_all(&work);
    json!({ "sets": per })
}

fn pct(xs: &mut [f64], p: f64) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[((p / 100.0) * xs.len() as f64).ceil().max(1.0) as usize - 1]
}

/// A tiny deterministic generator, so every run samples the same queries.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn hit_ids(nb: &dossier::Notebook, query: &str) -> std::collections::HashSet<String> {
    let r = nb
        .search(&dossier::model::SearchRequest {
            query: query.into(),
            kind: Some(dossier::model::Kind::Article),
            limit: 1000,
            ..Default::default()
        })
        .expect("search");
    r.hits.into_iter().map(|h| h.id).collect()
}

/// Recall against a brute-force scan of the canonical texts: Chinese runs of
/// one to four characters, and German compound heads.
fn phase_recall(work: &Path) -> Value {
    let nb = open_quiet(&work.join("nb.dossier"));
    let mut docs = load_texts(work);
    // Articles come in id order, which follows the order parallel import finished
    // them in: sorted by content, the seeded samples are the same in every run.
    docs.sort_by(|a, b| (&a.title, &a.text).cmp(&(&b.title, &b.text)));
    let mut rng = Lcg(42);

    let zh: Vec<&Doc> = docs.iter().filter(|d| d.lang == "zh").collect();
    let (mut zh_expected, mut zh_found, mut zh_queries, mut zh_missed) =
        (0usize, 0usize, 0usize, Vec::new());
    while zh_queries < 400 && !zh.is_empty() {
        let d = zh[rng.next(zh.len())];
        let chars: Vec<char> = d.text.chars().collect();
        let len = 1 + rng.next(4);
        if chars.len() < len {
            continue;
        }
        let at = rng.next(chars.len() - len + 1);
        let q: String = chars[at..at + len].iter().collect();
        if !q.chars().all(is_cjk) {
            continue;
        }
        zh_queries += 1;
        let expected: Vec<&str> = docs
            .iter()
            .filter(|d| d.text.contains(&q))
            .map(|d| d.id.as_str())
            .collect();
        let got = hit_ids(&nb, &format!("\"{q}\""));
        zh_expected += expected.len();
        let found = expected.iter().filter(|id| got.contains(**id)).count();
        zh_found += found;
        if found < expected.len() && zh_missed.len() < 10 {
            zh_missed.push(q);
        }
    }

    // German: long words whose tail is itself a word of the corpus, e.g.
    // `Paketverwaltung` → `Verwaltung`. Expected: every German text with a
    // word that is, or ends with, the tail.
    let de: Vec<&Doc> = docs.iter().filter(|d| d.lang == "de").collect();
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut vocab = std::collections::HashSet::new();
    let mut long = Vec::new();
    for d in &de {
        for w in words(&d.text) {
            if w.chars().count() >= 12 && w.chars().next().is_some_and(char::is_uppercase) {
                long.push(w.clone());
            }
            vocab.insert(w);
        }
    }
    long.sort();
    long.dedup();
    let mut tails = Vec::new();
    for _ in 0..2000 {
        if tails.len() >= 60 || long.is_empty() {
            break;
        }
        let w = &long[rng.next(long.len())];
        let chars: Vec<char> = w.chars().collect();
        // The longest proper tail of 6+ letters that the corpus also uses as a word.
        for start in 3..chars.len().saturating_sub(5) {
            let tail: String = chars[start..].iter().collect();
            let mut cap = tail.clone();
            if let Some(first) = cap.chars().next() {
                cap = first.to_uppercase().collect::<String>() + &tail[first.len_utf8()..];
            }
            if vocab.contains(&cap) {
                if !tails.contains(&cap) {
                    tails.push(cap);
                }
                break;
            }
        }
    }
    let (mut de_expected, mut de_found, mut de_missed) = (0usize, 0usize, Vec::new());
    for tail in &tails {
        let lower = tail.to_lowercase();
        let expected: Vec<&str> = de
            .iter()
            .filter(|d| {
                words(&d.text)
                    .iter()
                    .any(|w| w.to_lowercase().ends_with(&lower))
            })
            .map(|d| d.id.as_str())
            .collect();
        let got = hit_ids(&nb, &format!("lang:de {tail}"));
        de_expected += expected.len();
        let found = expected.iter().filter(|id| got.contains(**id)).count();
        de_found += found;
        if found < expected.len() && de_missed.len() < 10 {
            de_missed.push(tail.clone());
        }
    }
    json!({
        "chinese": { "queries": zh_queries, "expected_hits": zh_expected, "found": zh_found,
                     "recall": zh_found as f64 / zh_expected.max(1) as f64, "missed_examples": zh_missed },
        "german_compound_heads": { "queries": tails.len(), "expected_hits": de_expected, "found": de_found,
                     "recall": de_found as f64 / de_expected.max(1) as f64, "missed_examples": de_missed,
                     "examples": tails.iter().take(8).collect::<Vec<_>>() },
    })
}

/// Time from a save returning to the item being found, with the app's
/// background indexer (debounced batches, never a commit per keystroke).
fn phase_freshness(work: &Path) -> Value {
    let nb = dossier::Notebook::open(&work.join("nb.dossier")).expect("notebook");
    let article = nb.articles().expect("articles")[0].id.clone();
    let mut times = Vec::new();
    for i in 0..60 {
        let token = format!("frisch{i}zeile");
        if i % 2 == 0 {
            nb.add_note(
                &format!("Notiz {i}"),
                &format!("Neue Beobachtung {token}."),
                None,
            )
            .expect("note");
        } else {
            let text = nb.article(&article).expect("article").text;
            let quote: String = text.chars().take(40).collect();
            nb.add_claim(dossier::model::NewClaim {
                article_id: article.clone(),
                target: dossier::model::ClaimTarget::Quote {
                    exact: quote,
                    occurrence: 1,
                },
                codes: vec!["Trust".into()],
                stance: dossier::model::Stance::Neutral,
                confidence: 3,
                claimant: None,
                comment: Some(token.clone()),
                analyst: None,
                hedging: Default::default(),
            })
            .expect("claim");
        }
        let saved = Instant::now();
        loop {
            let r = nb
                .search(&dossier::model::SearchRequest {
                    query: token.clone(),
                    limit: 1,
                    ..Default::default()
                })
                .expect("search");
            if r.total > 0 {
                break;
            }
            assert!(saved.elapsed().as_secs() < 30, "never became searchable");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        times.push(saved.elapsed().as_secs_f64() * 1000.0);
        // Saves a little apart, as a person makes them.
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    json!({ "saves": times.len(), "p50_ms": pct(&mut times, 50.0), "p99_ms": pct(&mut times, 99.0), "max_ms": pct(&mut times, 100.0) })
}

/// The small-corpus correctness run for CI (`--check`): import the text
/// formats, then demand full Chinese recall, German compound recall of at least
/// 90 %, and a notebook whose index agrees with SQLite. No timing.
fn phase_check(corpus: &Path, work: &Path) -> Value {
    let import = phase_pipeline(corpus, work, true, true);
    let recall = phase_recall(work);
    let nb = dossier::Notebook::open(&work.join("nb.dossier")).expect("notebook");
    let check = nb.check().expect("check");
    let zh = recall["chinese"]["recall"].as_f64().unwrap_or(0.0);
    let de = recall["german_compound_heads"]["recall"]
        .as_f64()
        .unwrap_or(0.0);
    let ok = check.ok && zh == 1.0 && de >= 0.9 && import["imported"].as_u64().unwrap_or(0) > 0;
    json!({ "ok": ok, "import": import, "recall": recall, "check_problems": check.problems })
}

fn phase_sizes(work: &Path) -> Value {
    let docs = load_texts(work);
    let text: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    // Reopening lets tantivy finish merges it started.
    let index = dir_bytes(&work.join("nb.dossier").join("index"));
    json!({
        "text_mb": text as f64 / 1_048_576.0,
        "index_mb": index as f64 / 1_048_576.0,
        "index_over_text": index as f64 / text.max(1) as f64,
    })
}

fn run_child(exe: &Path, phase: &str, corpus: &Path, work: &Path) -> Value {
    let out = Command::new(exe)
        .args(["--phase", phase])
        .arg(corpus)
        .arg(work)
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "phase {phase} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("phase prints JSON")
}

/// Fills a notebook for large-notebook tests: imports the Markdown files in
/// `articles_dir` (all cores, batched), then adds `per_article` claims to each
/// article — sentences with codes from the default codebook — in batches of
/// 10 000 claims per transaction, and indexes everything.
fn generate(nb_dir: &Path, articles_dir: &Path, per_article: usize, analyst: Option<&str>) {
    let started = Instant::now();
    let nb = dossier::Notebook::open(nb_dir).expect("notebook");
    let outcomes = nb
        .import_paths(
            &[articles_dir.to_path_buf()],
            &AtomicBool::new(false),
            &mut |p| {
                if p.done % 5000 == 0 {
                    eprintln!("imported {}/{}", p.done, p.total);
                }
            },
        )
        .expect("import");
    eprintln!(
        "{} files imported in {:.0} s",
        outcomes.len(),
        started.elapsed().as_secs_f64()
    );
    let codes: Vec<String> = nb
        .codes()
        .expect("codes")
        .into_iter()
        .map(|c| c.path)
        .collect();
    let stances = dossier::model::Stance::ALL;
    let mut batch = Vec::new();
    let mut total = 0usize;
    for (n, a) in nb.articles().expect("articles").iter().enumerate() {
        let text = nb.article(&a.id).expect("article").text;
        let mut start = 0u32;
        let mut made = 0;
        let chars: Vec<char> = text.chars().collect();
        for (i, ch) in chars.iter().enumerate() {
            if made == per_article {
                break;
            }
            if matches!(ch, '.' | '。') && i as u32 > start + 10 {
                batch.push(dossier::model::NewClaim {
                    article_id: a.id.clone(),
                    target: dossier::model::ClaimTarget::Range {
                        start,
                        end: i as u32 + 1,
                    },
                    codes: vec![codes[(n + made) % codes.len()].clone()],
                    stance: stances[(n + made) % stances.len()],
                    confidence: (1 + (n + made) % 5) as u8,
                    claimant: None,
                    comment: (made == 0).then(|| format!("generated claim for article {n}")),
                    analyst: Some(
                        analyst
                            .map(str::to_string)
                            .unwrap_or_else(|| ["ana", "ben", "chen"][n % 3].to_string()),
                    ),
                    hedging: Default::default(),
                });
                made += 1;
                start = i as u32 + 2;
            }
        }
        if batch.len() >= 10_000 {
            total += nb
                .add_claims(std::mem::take(&mut batch))
                .expect("claims")
                .len();
            eprintln!("claims: {total}");
        }
    }
    total += nb.add_claims(batch).expect("claims").len();
    nb.flush_index().expect("index");
    let info = nb.info().expect("info");
    println!(
        "{}",
        json!({"articles": info.articles, "claims": info.claims, "notes": info.notes, "claims_added": total, "seconds": started.elapsed().as_secs_f64()})
    );
}

/// The rule before script weighting: whatlang over the first 4 000 characters.
fn first_4000_rule(text: &str) -> String {
    let sample: String = text.chars().take(4000).collect();
    match whatlang::detect(&sample).map(|i| i.lang()) {
        Some(whatlang::Lang::Cmn) => "zh".into(),
        Some(whatlang::Lang::Deu) => "de".into(),
        Some(whatlang::Lang::Eng) => "en".into(),
        Some(other) => other.code().into(),
        None => "und".into(),
    }
}

/// `--questions QUESTIONS.tsv CORPUS`: the whole corpus imported into a fresh
/// notebook through the real pipeline, then each known-item question searched
/// (articles, top 10) twice: all words required (`all_words`, the behaviour
/// before partial matching) and as the palette searches now. Reports
/// recall@10 and the mean reciprocal rank per language, and every miss.
fn questions_report(questions: &Path, corpus: &Path) -> Value {
    let rows: Vec<(String, Vec<String>, String)> = std::fs::read_to_string(questions)
        .expect("questions")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (
                cols[0].to_string(),
                cols[1].split('|').map(str::to_string).collect(),
                cols[2].to_string(),
            )
        })
        .collect();
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).expect("manifest.tsv");
    let paths: Vec<PathBuf> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(|p| corpus.join(p))
        .collect();
    let work = std::env::temp_dir().join(format!("dossier-questions-{}", std::process::id()));
    let nb = dossier::Notebook::init(&work.join("n.dossier"), true).expect("notebook");
    let started = Instant::now();
    let outcomes = nb
        .import_paths(&paths, &AtomicBool::new(false), &mut |_| {})
        .expect("import");
    nb.flush_index().expect("index");
    let import_secs = started.elapsed().as_secs_f64();
    let mut id_of: std::collections::HashMap<String, String> = Default::default();
    for o in &outcomes {
        if let Some(id) = &o.id {
            let rel = Path::new(&o.path)
                .strip_prefix(corpus)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| o.path.clone());
            id_of.insert(rel, id.clone());
        }
    }
    let rank = |question: &str,
                targets: &[String],
                all_words: bool|
     -> (Option<usize>, Vec<String>, bool) {
        let ids: Vec<&String> = targets.iter().filter_map(|t| id_of.get(t)).collect();
        let r = nb
            .search(&dossier::model::SearchRequest {
                query: question.to_string(),
                kind: Some(dossier::model::Kind::Article),
                code: None,
                language: None,
                limit: 10,
                offset: 0,
                skip_snippets: true,
                all_words,
                ..Default::default()
            })
            .expect("search");
        let at = r.hits.iter().position(|h| ids.contains(&&h.id));
        let top = r.hits.iter().take(3).map(|h| h.title.clone()).collect();
        (at, top, r.partial)
    };
    let mut per: std::collections::BTreeMap<String, [f64; 5]> = Default::default();
    let mut misses = Vec::new();
    let mut ranks = Vec::new();
    let mut latencies = Vec::new();
    for (lang, targets, question) in &rows {
        let (before, _, _) = rank(question, targets, true);
        let t = Instant::now();
        let (now, top, partial) = rank(question, targets, false);
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        let e = per.entry(lang.clone()).or_default();
        e[0] += 1.0;
        e[1] += f64::from(u8::from(before.is_some()));
        e[2] += f64::from(u8::from(now.is_some()));
        e[3] += before.map_or(0.0, |r| 1.0 / (r + 1) as f64);
        e[4] += now.map_or(0.0, |r| 1.0 / (r + 1) as f64);
        ranks.push(json!({"question": question, "rank_all_words": before.map(|r| r + 1), "rank_now": now.map(|r| r + 1)}));
        if now.is_none() || before.is_none() {
            misses.push(
                json!({"language": lang, "question": question, "target": targets[0],
                "rank_all_words": before.map(|r| r + 1), "rank_now": now.map(|r| r + 1),
                "partial": partial, "top3_now": top}),
            );
        }
    }
    latencies.sort_by(f64::total_cmp);
    let total = |k: usize| per.values().map(|v| v[k]).sum::<f64>();
    let n = total(0).max(1.0);
    let _ = std::fs::remove_dir_all(&work);
    json!({
        "questions": rows.len(),
        "articles": id_of.len(),
        "import_seconds": import_secs,
        "recall_all_words": total(1) / n,
        "recall_now": total(2) / n,
        "mrr_all_words": total(3) / n,
        "mrr_now": total(4) / n,
        "query_ms_p50": latencies.get(latencies.len() / 2).copied().unwrap_or(0.0),
        "query_ms_max": latencies.last().copied().unwrap_or(0.0),
        "per_language": per.iter().map(|(l, v)| json!({"language": l, "questions": v[0],
            "recall_all_words": v[1] / v[0], "recall_now": v[2] / v[0],
            "mrr_all_words": v[3] / v[0], "mrr_now": v[4] / v[0]})).collect::<Vec<_>>(),
        "misses": misses,
        "ranks": ranks,
    })
}

/// `--languages CORPUS`: every corpus file extracted as import does, its
/// language decided by the detector (with the file's declared language, as
/// import does) and by the old rule, both compared with the manifest.
fn languages_report(corpus: &Path) -> Value {
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).expect("manifest.tsv");
    let mut header: Vec<&str> = Vec::new();
    let mut rows = Vec::new();
    for (i, line) in manifest.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if i == 0 {
            header = cols;
            continue;
        }
        let col = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .and_then(|k| cols.get(k))
                .copied()
                .unwrap_or("")
        };
        rows.push((
            col("path").to_string(),
            col("language").to_string(),
            col("format").to_string(),
        ));
    }
    let primary = |t: &str| t.split(['-', '_']).next().unwrap_or(t).to_ascii_lowercase();
    let mut per_lang: std::collections::BTreeMap<String, (usize, usize, usize)> =
        Default::default();
    let mut mismatches = Vec::new();
    // Every file's tag, so that two builds' runs can be compared file by file.
    let mut tags: std::collections::BTreeMap<String, String> = Default::default();
    let mut unreadable = 0;
    let (mut text_bytes, mut now_secs, mut before_secs) = (0usize, 0.0f64, 0.0f64);
    for (path, want, format) in &rows {
        let Ok(bytes) = std::fs::read(corpus.join(path)) else {
            continue;
        };
        let Ok(x) = dossier_ingest::extract(&bytes, path) else {
            unreadable += 1;
            continue;
        };
        let text = x.canonical_text();
        text_bytes += text.len();
        let t = std::time::Instant::now();
        let now = primary(&dossier_ingest::language_for(
            &text,
            x.declared_language.as_deref(),
        ));
        now_secs += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let before = primary(
            &x.declared_language
                .clone()
                .unwrap_or_else(|| first_4000_rule(&text)),
        );
        before_secs += t.elapsed().as_secs_f64();
        let e = per_lang.entry(want.clone()).or_default();
        e.0 += 1;
        e.1 += usize::from(now == *want);
        e.2 += usize::from(before == *want);
        tags.insert(path.clone(), now.clone());
        if now != *want {
            mismatches.push(json!({"path": path, "format": format, "manifest": want, "detected": now, "mix": format!("{:?}", dossier_ingest::detect_mix(&text).shares.iter().take(3).map(|l| (&l.tag, l.share)).collect::<Vec<_>>())}));
        }
    }
    let total: usize = per_lang.values().map(|v| v.0).sum();
    let ok: usize = per_lang.values().map(|v| v.1).sum();
    let before: usize = per_lang.values().map(|v| v.2).sum();
    json!({
        "corpus": corpus.display().to_string(),
        "files": total,
        "unreadable": unreadable,
        "agreement": ok as f64 / total.max(1) as f64,
        "agreement_before": before as f64 / total.max(1) as f64,
        "text_mb": text_bytes as f64 / 1e6,
        "detect_seconds": now_secs,
        "detect_seconds_before": before_secs,
        "per_language": per_lang.iter().map(|(l, (n, ok, b))| json!({"language": l, "files": n, "agree": ok, "agree_before": b})).collect::<Vec<_>>(),
        "mismatches": mismatches,
        "tags": tags,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--languages") {
        // --languages CORPUS [--out FILE]: language tags against the corpus manifest.
        let v = languages_report(Path::new(&args[2]));
        let text = serde_json::to_string_pretty(&v).expect("json");
        println!("{text}");
        if let Some(i) = args.iter().position(|a| a == "--out") {
            std::fs::write(&args[i + 1], text).expect("write report");
        }
        return;
    }
    if args.get(1).map(String::as_str) == Some("--questions") {
        // --questions QUESTIONS.tsv CORPUS [--out FILE]: known-item recall@10.
        let v = questions_report(Path::new(&args[2]), Path::new(&args[3]));
        let text = serde_json::to_string_pretty(&v).expect("json");
        println!("{text}");
        if let Some(i) = args.iter().position(|a| a == "--out") {
            std::fs::write(&args[i + 1], text).expect("write report");
        }
        return;
    }
    if args.get(1).map(String::as_str) == Some("--suggest") {
        // --suggest LABELLED.json [--out FILE]: precision and recall of the claim suggester.
        let v = suggest_report(Path::new(&args[2]));
        let text = serde_json::to_string_pretty(&v).expect("json");
        println!("{text}");
        if let Some(i) = args.iter().position(|a| a == "--out") {
            std::fs::write(&args[i + 1], text).expect("write report");
        }
        return;
    }
    if args.get(1).map(String::as_str) == Some("--reanchor") {
        // --reanchor CORPUS [--out FILE]
        let work = std::env::temp_dir().join(format!("dossier-reanchor-{}", std::process::id()));
        std::fs::create_dir_all(&work).expect("work dir");
        let v = reanchor::run(Path::new(&args[2]), &work);
        let text = serde_json::to_string_pretty(&v).expect("json");
        println!("{text}");
        if let Some(i) = args.iter().position(|a| a == "--out") {
            std::fs::write(&args[i + 1], text).expect("write report");
        }
        let _ = std::fs::remove_dir_all(&work);
        return;
    }
    if args.get(1).map(String::as_str) == Some("--generate") {
        // --generate NOTEBOOK_DIR ARTICLES_DIR CLAIMS_PER_ARTICLE [ANALYST]
        let per: usize = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(10);
        generate(
            Path::new(&args[2]),
            Path::new(&args[3]),
            per,
            args.get(5).map(String::as_str),
        );
        return;
    }
    if args.get(1).map(String::as_str) == Some("--hub-latency") {
        // --hub-latency URL TOKEN CLIENTS REQUESTS_PER_CLIENT
        let clients: usize = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(20);
        let requests: usize = args.get(5).and_then(|n| n.parse().ok()).unwrap_or(200);
        println!("{}", hub::latency(&args[2], &args[3], clients, requests));
        return;
    }
    if args.get(1).map(String::as_str) == Some("--dump-extraction") {
        // --dump-extraction CORPUS_DIR OUT_FILE: every file's extraction (in process) as one
        // JSON line, sorted by path — two builds' dumps compared with `cmp` show that a
        // speed change kept every block, page reading and word box the same.
        let (corpus, out) = (PathBuf::from(&args[2]), PathBuf::from(&args[3]));
        let mut files = Vec::new();
        for ext in ["pdf", "html", "htm", "md", "txt"] {
            files_with_extension(&corpus, ext, &mut files);
        }
        files.sort();
        let mut lines = String::new();
        let t = Instant::now();
        for f in &files {
            let bytes = std::fs::read(f).expect("read");
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let v = match dossier_ingest::extract_unisolated(&bytes, name) {
                Ok(x) => serde_json::to_value(&x).expect("json"),
                Err(e) => json!({ "error": e.message }),
            };
            lines.push_str(
                &json!({ "file": f.strip_prefix(&corpus).unwrap_or(f), "extracted": v })
                    .to_string(),
            );
            lines.push('\n');
        }
        std::fs::write(&out, lines).expect("write dump");
        eprintln!(
            "{} files in {:.2} s",
            files.len(),
            t.elapsed().as_secs_f64()
        );
        return;
    }
    if args.get(1).map(String::as_str) == Some("--phase") {
        let (phase, corpus, work) = (&args[2], PathBuf::from(&args[3]), PathBuf::from(&args[4]));
        let v = match phase.as_str() {
            p if p.starts_with("format:") => phase_format(&p[7..], &corpus, &work),
            p if p.starts_with("comparator:") => phase_comparator(&p[11..], &corpus, &work),
            "pipeline" => phase_pipeline(&corpus, &work, false, true),
            "pipeline-text" => phase_pipeline(&corpus, &work, true, false),
            "check" => phase_check(&corpus, &work),
            "dossier-index" => phase_dossier_index(&work),
            "tantivy" => phase_tantivy(&work),
            "fts5" => phase_fts5(&work),
            "recall" => phase_recall(&work),
            "freshness" => phase_freshness(&work),
            "sizes" => phase_sizes(&work),
            "profile-plain" => {
                // For `perf`: only Dossier's searches (without snippets unless
                // DOSSIER_BENCH_SNIPPETS is set), many rounds.
                let skip = std::env::var_os("DOSSIER_BENCH_SNIPPETS").is_none();
                let nb = open_quiet(&work.join("nb.dossier"));
                let t = Instant::now();
                for _ in 0..200 {
                    for (_, q, _, _) in MIX {
                        nb.search(&dossier::model::SearchRequest {
                            query: (*q).into(),
                            limit: 20,
                            skip_snippets: skip,
                            ..Default::default()
                        })
                        .expect("search");
                    }
                }
                json!({ "mean_ms": t.elapsed().as_secs_f64() * 1000.0 / (200 * MIX.len()) as f64 })
            }
            _ => phase_queries(&work),
        };
        println!("{v}");
        return;
    }
    let Some(corpus) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: dossier-bench CORPUS_DIR [--out FILE]   (build a corpus with ../shared/corpus/build-corpus.sh)");
        std::process::exit(2);
    };
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let work = std::env::temp_dir().join(format!("dossier-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("work dir");
    let exe = std::env::current_exe().expect("own path");
    if args.iter().any(|a| a == "--check") {
        let v = run_child(&exe, "check", &corpus, &work);
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
        let _ = std::fs::remove_dir_all(&work);
        if v["ok"].as_bool() != Some(true) {
            eprintln!("search correctness check FAILED");
            std::process::exit(1);
        }
        return;
    }
    if args.iter().any(|a| a == "--formats") {
        // Import throughput per file format, each in its own process.
        let formats: Vec<Value> = [
            "txt", "md", "html", "mhtml", "pdf", "docx", "odt", "epub", "rtf",
        ]
        .iter()
        .map(|ext| run_child(&exe, &format!("format:{ext}"), &corpus, &work))
        .filter(|v| v["files"].as_u64().unwrap_or(0) > 0)
        .collect();
        let text = serde_json::to_string_pretty(
            &json!({ "corpus": corpus.display().to_string(), "formats": formats }),
        )
        .expect("json");
        println!("{text}");
        if let Some(p) = out {
            std::fs::write(p, text).expect("write report");
        }
        let _ = std::fs::remove_dir_all(&work);
        return;
    }
    let pipeline = run_child(&exe, "pipeline", &corpus, &work);
    let pipeline_text = run_child(&exe, "pipeline-text", &corpus, &work);
    let pipeline_pdf = run_child(&exe, "format:pdf", &corpus, &work);
    let comparator = run_child(&exe, "comparator:all", &corpus, &work);
    let comparator_text = run_child(&exe, "comparator:text", &corpus, &work);
    let comparator_pdf = run_child(&exe, "comparator:pdf", &corpus, &work);
    let index_only = run_child(&exe, "dossier-index", &corpus, &work);
    let tantivy = run_child(&exe, "tantivy", &corpus, &work);
    let fts5 = run_child(&exe, "fts5", &corpus, &work);
    let sizes = run_child(&exe, "sizes", &corpus, &work);
    let queries = run_child(&exe, "queries", &corpus, &work);
    let recall = run_child(&exe, "recall", &corpus, &work);
    let freshness = run_child(&exe, "freshness", &corpus, &work);
    let f = |v: &Value, path: &[&str]| path.iter().fold(v, |v, k| &v[*k]).as_f64().unwrap_or(0.0);
    let per_cpu = |v: &Value| f(v, &["mb_per_cpu_s"]);
    let report = json!({
        "corpus": corpus.display().to_string(),
        "import": {
            "dossier_pipeline_all_formats": pipeline,
            "dossier_pipeline_text_formats": pipeline_text,
            "dossier_index_only": index_only,
            "raw_tantivy_1_thread": tantivy,
            "sqlite_fts5": fts5,
            "dossier_pipeline_pdf": pipeline_pdf,
            "pdftotext_strip_fts5_all_formats": comparator,
            "pdftotext_strip_fts5_text_formats": comparator_text,
            "pdftotext_strip_fts5_pdf": comparator_pdf,
        },
        "ratios": {
            // The same files read by both: the comparator's CPU over Dossier's (≥ 1: as fast).
            "pipeline_all_vs_pdftotext_fts5_cpu": f(&comparator, &["cpu_s"]) / f(&pipeline, &["cpu_s"]).max(1e-9),
            "pipeline_text_vs_strip_fts5_cpu": f(&comparator_text, &["cpu_s"]) / f(&pipeline_text, &["cpu_s"]).max(1e-9),
            "pipeline_pdf_vs_pdftotext_fts5_cpu": f(&comparator_pdf, &["cpu_s"]) / f(&pipeline_pdf, &["cpu_s"]).max(1e-9),
            "pipeline_all_vs_raw_tantivy_per_cpu_s": per_cpu(&pipeline) / per_cpu(&tantivy).max(1e-9),
            "pipeline_text_vs_raw_tantivy_per_cpu_s": per_cpu(&pipeline_text) / per_cpu(&tantivy).max(1e-9),
            "index_only_vs_raw_tantivy_per_cpu_s": per_cpu(&index_only) / per_cpu(&tantivy).max(1e-9),
            "pipeline_all_vs_fts5_per_cpu_s": per_cpu(&pipeline) / per_cpu(&fts5).max(1e-9),
            "pipeline_text_vs_fts5_per_cpu_s": per_cpu(&pipeline_text) / per_cpu(&fts5).max(1e-9),
            "index_only_vs_fts5_per_cpu_s": per_cpu(&index_only) / per_cpu(&fts5).max(1e-9),
            "fts5_p90_over_dossier_p90": f(&queries, &["fts5_with_snippets", "p90_ms"]) / f(&queries, &["dossier", "p90_ms"]).max(1e-9),
            "fts5_ids_p90_over_dossier_without_snippets_p90": f(&queries, &["fts5_ids_only", "p90_ms"]) / f(&queries, &["dossier_without_snippets", "p90_ms"]).max(1e-9),
            "index_over_text": f(&sizes, &["index_over_text"]),
            "raw_tantivy_index_over_text": f(&tantivy, &["index_mb"]) / f(&tantivy, &["text_mb"]).max(1e-9),
            "fts5_db_over_text": f(&fts5, &["db_mb"]) / f(&fts5, &["text_mb"]).max(1e-9),
        },
        "sizes": sizes,
        "queries": queries,
        "recall": recall,
        "time_to_searchable": freshness,
    });
    let text = serde_json::to_string_pretty(&report).expect("json");
    println!("{text}");
    if let Some(p) = out {
        std::fs::write(p, text).expect("write report");
    }
    let _ = std::fs::remove_dir_all(&work);
}
