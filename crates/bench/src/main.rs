//! `dossier-bench CORPUS_DIR [--out FILE]`: measures, in one run on one machine,
//! Dossier's whole import pipeline (extract, store, index) beside two
//! comparators fed the same extracted text — raw single-thread tantivy with its
//! default analysis, and SQLite FTS5 (unicode61, Chinese split into characters)
//! — then query latency of Dossier's search beside FTS5. Each phase runs in its
//! own child process so that its CPU time and peak memory are its own.
//!
//! Linux only: CPU time and peak RSS come from /proc/self.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Serialize, Deserialize)]
struct Doc {
    title: String,
    text: String,
}

fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 (utime, stime) are at 11 and 12 after the command name; ticks are 1/100 s on Linux.
    let ticks = f.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0
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

fn phase_pipeline(corpus: &Path, work: &Path) -> Value {
    let nb = dossier::Notebook::open_with(
        &work.join("nb.dossier"),
        dossier::OpenOptions {
            background_indexer: false,
            ..Default::default()
        },
    )
    .expect("notebook");
    let t = Timer::start();
    let outcomes = nb
        .import_paths(
            &[corpus.to_path_buf()],
            &AtomicBool::new(false),
            &mut |_| {},
        )
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
                title: full.title,
                text: full.text,
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
        }),
    );
    std::fs::write(work.join("texts.jsonl"), lines).expect("write texts");
    report
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
    let nb = dossier::Notebook::open_with(
        &work.join(format!("fmt-{ext}.dossier")),
        dossier::OpenOptions {
            background_indexer: false,
            ..Default::default()
        },
    )
    .expect("notebook");
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
    t.report(bytes, json!({ "docs": docs.len() }))
}

fn phase_fts5(work: &Path) -> Value {
    let docs = load_texts(work);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let path = work.join("fts.sqlite");
    let _ = std::fs::remove_file(&path);
    let t = Timer::start();
    let mut conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61');")
        .expect("schema");
    let tx = conn.transaction().expect("tx");
    {
        let mut stmt = tx
            .prepare("INSERT INTO t (title, body) VALUES (?1, ?2)")
            .expect("stmt");
        for d in &docs {
            stmt.execute([split_cjk(&d.title), split_cjk(&d.text)])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
    t.report(bytes, json!({ "docs": docs.len() }))
}

const QUERIES: &[&str] = &[
    "Paket",
    "Installation",
    "Sicherheit",
    "Datei",
    "Benutzer",
    "Netzwerk",
    "Konfiguration",
    "Rechner",
    "package",
    "install",
    "security",
    "kernel",
    "network",
    "configuration",
    "upgrade",
    "server",
    "软件",
    "安装",
    "系统",
    "文件",
    "网络",
    "配置",
    "用户",
    "安全",
];

fn pct(xs: &mut [f64], p: f64) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[((p / 100.0) * xs.len() as f64).ceil().max(1.0) as usize - 1]
}

fn phase_queries(work: &Path) -> Value {
    const ROUNDS: usize = 20;
    let nb = dossier::Notebook::open_with(
        &work.join("nb.dossier"),
        dossier::OpenOptions {
            background_indexer: false,
            ..Default::default()
        },
    )
    .expect("notebook");
    let fts = rusqlite::Connection::open(work.join("fts.sqlite")).expect("fts");
    let mut stmt = fts
        .prepare("SELECT rowid, snippet(t, 1, '<mark>', '</mark>', '…', 24) FROM t WHERE t MATCH ?1 ORDER BY rank LIMIT 20")
        .expect("query");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut hits = Vec::new();
    for q in QUERIES {
        let fts_q = format!(
            "\"{}\"",
            split_cjk(q)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
        let mut n_ours = 0;
        let mut n_fts = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let r = nb
                .search(&dossier::model::SearchRequest {
                    query: (*q).into(),
                    limit: 20,
                    ..Default::default()
                })
                .expect("search");
            ours.push(t.elapsed().as_secs_f64() * 1000.0);
            n_ours = r.total;
            let t = Instant::now();
            let rows: Vec<(i64, String)> = stmt
                .query_map([&fts_q], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("fts query")
                .collect::<Result<_, _>>()
                .expect("rows");
            theirs.push(t.elapsed().as_secs_f64() * 1000.0);
            n_fts = rows.len();
        }
        hits.push(json!({ "query": q, "dossier_total": n_ours, "fts5_top20": n_fts }));
    }
    let (o50, o99, f50, f99) = (
        pct(&mut ours, 50.0),
        pct(&mut ours, 99.0),
        pct(&mut theirs, 50.0),
        pct(&mut theirs, 99.0),
    );
    json!({
        "queries": QUERIES.len(), "rounds": ROUNDS,
        "dossier_p50_ms": o50, "dossier_p99_ms": o99, "fts5_p50_ms": f50, "fts5_p99_ms": f99,
        "note": "Dossier: BM25 over all kinds with snippets (limit 20, with total count). FTS5: rank + snippet, limit 20.",
        "hits": hits,
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
fn generate(nb_dir: &Path, articles_dir: &Path, per_article: usize) {
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
                    analyst: Some(["ana", "ben", "chen"][n % 3].to_string()),
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--generate") {
        // --generate NOTEBOOK_DIR ARTICLES_DIR CLAIMS_PER_ARTICLE
        let per: usize = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(10);
        generate(Path::new(&args[2]), Path::new(&args[3]), per);
        return;
    }
    if args.get(1).map(String::as_str) == Some("--phase") {
        let (phase, corpus, work) = (&args[2], PathBuf::from(&args[3]), PathBuf::from(&args[4]));
        let v = match phase.as_str() {
            p if p.starts_with("format:") => phase_format(&p[7..], &corpus, &work),
            "pipeline" => phase_pipeline(&corpus, &work),
            "tantivy" => phase_tantivy(&work),
            "fts5" => phase_fts5(&work),
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
    let tantivy = run_child(&exe, "tantivy", &corpus, &work);
    let fts5 = run_child(&exe, "fts5", &corpus, &work);
    let queries = run_child(&exe, "queries", &corpus, &work);
    // Comparator values re-keyed so that `ratio` divides like by like.
    let queries_fts5_p50 = json!({ "dossier_p50_ms": queries["fts5_p50_ms"] });
    let queries_fts5_p99 = json!({ "dossier_p99_ms": queries["fts5_p99_ms"] });
    let ratio = |a: &Value, b: &Value, k: &str| {
        a[k].as_f64().unwrap_or(0.0) / b[k].as_f64().unwrap_or(1.0).max(1e-9)
    };
    let report = json!({
        "corpus": corpus.display().to_string(),
        "import": { "dossier": pipeline, "raw_tantivy_1_thread": tantivy, "sqlite_fts5": fts5 },
        "ratios": {
            "dossier_vs_raw_tantivy_mb_per_cpu_s": ratio(&pipeline, &tantivy, "mb_per_cpu_s"),
            "dossier_vs_fts5_mb_per_cpu_s": ratio(&pipeline, &fts5, "mb_per_cpu_s"),
            "dossier_vs_fts5_mb_per_wall_s": ratio(&pipeline, &fts5, "mb_per_wall_s"),
            "query_p50_dossier_over_fts5": ratio(&queries, &queries_fts5_p50, "dossier_p50_ms"),
            "query_p99_dossier_over_fts5": ratio(&queries, &queries_fts5_p99, "dossier_p99_ms"),
        },
        "queries": queries,
    });
    let text = serde_json::to_string_pretty(&report).expect("json");
    println!("{text}");
    if let Some(p) = out {
        std::fs::write(p, text).expect("write report");
    }
    let _ = std::fs::remove_dir_all(&work);
}
