//! The façade's rules about where things happen, checked on its sources: SQL
//! lives in the store, and only the journal helpers (history.rs) claim that a
//! write is logged. A new write path that skips the change log has to say why
//! at its call site (`Write::NewArticles`…), where review sees it.

use std::path::Path;

fn sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                out.push((name, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    assert!(out.len() > 10, "the façade's sources were found");
    out
}

#[test]
fn the_facade_holds_no_sql() {
    let statements = [
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE FROM",
        "\"CREATE ",
        "\"PRAGMA ",
        ".execute(",
        ".query_row(",
        ".prepare_cached(",
        "execute_batch(",
    ];
    let mut found = Vec::new();
    for (file, text) in sources() {
        for (n, line) in text.lines().enumerate() {
            if statements.iter().any(|s| line.contains(s)) {
                found.push(format!("{file}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL belongs in dossier-store:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_journal_helpers_write_logged_changes() {
    let mut writes = Vec::new();
    for (file, text) in sources() {
        for (n, line) in text.lines().enumerate() {
            if line.contains("Write::Logged") && file != "history.rs" {
                writes.push(format!("{file}:{}", n + 1));
            }
        }
    }
    assert!(
        writes.is_empty(),
        "a write that claims to be logged must go through Notebook::logged* (history.rs): {writes:?}"
    );
}
