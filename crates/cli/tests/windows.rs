//! What behaves differently on Windows, tested on every platform (and run on
//! Windows itself under Wine by scripts/test-windows.sh): long paths, names
//! Windows reserves, names that differ only in case, CRLF and UTF-16 text, and
//! what `dossier` prints through a pipe.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

mod support;
use support::{dossier, json};

fn import(nb: &Path, file: &Path) -> serde_json::Value {
    let v = json(nb, &["import", file.to_str().unwrap()]);
    v[0].clone()
}

/// Every file below `dir`, relative, as written.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}

/// A notebook, its imports and its exports in a folder whose path is longer than
/// Windows' classic 260-character limit.
#[test]
fn a_notebook_below_a_path_longer_than_260_characters() {
    // Wine 8 fails `canonicalize` on such paths (ERROR_MORE_DATA from
    // GetFinalPathNameByHandleW), which tantivy calls when it opens the index;
    // real Windows does not. docs/PLATFORMS.md records it.
    if cfg!(windows) && std::env::var_os("WINEPREFIX").is_some() {
        eprintln!("skipped under Wine: long paths fail in Wine's canonicalize, not in Dossier");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut deep = tmp.path().to_path_buf();
    while deep.as_os_str().len() < 300 {
        deep.push("Forschung zu offenen Modellen – Qwen, ERNIE, Hunyuan");
    }
    std::fs::create_dir_all(&deep).unwrap();
    let nb = deep.join("Lang.dossier");
    let file = deep.join("Bericht über Exportkontrollen.md");
    std::fs::write(
        &file,
        "# Exportkontrollen\n\nDie Exportkontrollen treffen Rechenzentren.\n",
    )
    .unwrap();
    assert!(file.as_os_str().len() > 260);

    let o = import(&nb, &file);
    assert_eq!(o["status"], "imported", "{o}");
    let hits = json(&nb, &["search", "Exportkontrollen"]);
    assert_eq!(hits["total"], 1, "{hits}");
    let out = deep.join("Export");
    json(&nb, &["export", "markdown", "--out", out.to_str().unwrap()]);
    assert_eq!(files_below(&out).len(), 1);
    let check = json(&nb, &["check"]);
    assert_eq!(check["ok"], true, "{check}");
}

/// Titles that name Windows devices (CON, NUL, COM1), end in dots or spaces, or
/// differ only in case still give one readable file per article in every
/// folder export.
#[test]
fn folder_exports_avoid_reserved_names_and_case_collisions() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    let titles = [
        "CON", "nul.txt", "com1", "LPT9. ", "Bericht.", "Bericht", "BERICHT", "aux",
    ];
    let mut ids = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let f = tmp.path().join(format!("{i}.md"));
        std::fs::write(
            &f,
            format!("---\ntitle: \"{title}\"\n---\n\nText {i} über Vertrauen.\n"),
        )
        .unwrap();
        let o = import(&nb, &f);
        assert_eq!(o["status"], "imported");
        ids.push(o["id"].as_str().unwrap().to_string());
    }
    for format in ["markdown", "obsidian"] {
        let out = tmp.path().join(format!("out-{format}"));
        json(&nb, &["export", format, "--out", out.to_str().unwrap()]);
        let written: Vec<PathBuf> = files_below(&out)
            .into_iter()
            .filter(|p| p.to_string_lossy().contains("Articles") || format == "markdown")
            .collect();
        assert_eq!(written.len(), titles.len(), "{format}: {written:?}");
        let mut folded = HashSet::new();
        for p in &written {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let stem = name.split('.').next().unwrap().trim().to_ascii_uppercase();
            assert!(
                !matches!(
                    stem.as_str(),
                    "CON" | "NUL" | "AUX" | "PRN" | "COM1" | "LPT9"
                ),
                "{format}: a reserved name: {name}"
            );
            assert!(!name.ends_with('.') && !name.ends_with(' '), "{name}");
            assert!(
                folded.insert(p.to_string_lossy().to_lowercase()),
                "{format}: two files differ only in case: {p:?}"
            );
            let text = std::fs::read_to_string(out.join(p)).unwrap();
            let of: Vec<&String> = ids.iter().filter(|id| text.contains(id.as_str())).collect();
            assert_eq!(of.len(), 1, "{format}: {name} is the file of one article");
        }
    }
}

/// Text files written on Windows: CRLF line ends and UTF-16 with a byte-order mark.
#[test]
fn crlf_and_utf16_text_files_read_like_any_other() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    let crlf = tmp.path().join("crlf.txt");
    std::fs::write(
        &crlf,
        "Offene Gewichte\r\n\r\nQwen veröffentlicht Gewichte.\r\nDie Daten bleiben unklar.\r\n",
    )
    .unwrap();
    let utf16 = tmp.path().join("utf16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "数据完整性\r\n\r\nTransparenz über Trainingsdaten.\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    for (file, expect) in [
        (&crlf, "Qwen veröffentlicht Gewichte."),
        (&utf16, "数据完整性"),
    ] {
        let o = import(&nb, file);
        assert_eq!(o["status"], "imported", "{o}");
        let shown = json(&nb, &["show", o["id"].as_str().unwrap()]);
        let text = shown["text"].as_str().unwrap();
        assert!(text.contains(expect), "{text:?}");
        assert!(
            !text.contains('\r'),
            "no carriage returns in the canonical text: {text:?}"
        );
    }
}

/// What `dossier` prints through a pipe is UTF-8 on every platform (not the
/// console's code page), so scripts can read German and Chinese titles.
#[test]
fn output_through_a_pipe_is_utf8() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    let f = tmp.path().join("zh.md");
    std::fs::write(&f, "# 数据完整性与信任\n\nÜber Qwen und 通义千问。\n").unwrap();
    import(&nb, &f);
    let out = dossier(&nb, &["articles"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("数据完整性与信任"), "{text}");
}
