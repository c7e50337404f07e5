//! Two processes on one notebook: a bulk import runs while another process
//! adds claims, notes and searches. Nobody sees "database is locked", every
//! command succeeds, and afterwards the index matches SQLite.

mod support;
use support::dossier;

#[test]
fn import_while_another_process_tags_and_searches() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    assert!(dossier(&nb, &["init", "--sample"]).status.success());
    let article = {
        let out = dossier(&nb, &["--json", "articles"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v[0]["id"].as_str().unwrap().to_string()
    };
    let folder = tmp.path().join("many");
    std::fs::create_dir(&folder).unwrap();
    for i in 0..300 {
        std::fs::write(
            folder.join(format!("f{i:03}.md")),
            format!(
                "# Datei {i}\n\n{}",
                "Qwen und Vertrauen in offene Gewichte. ".repeat(300)
            ),
        )
        .unwrap();
    }
    let importer = {
        let (nb, folder) = (nb.clone(), folder.clone());
        std::thread::spawn(move || dossier(&nb, &["--json", "import", folder.to_str().unwrap()]))
    };
    let mut failures = Vec::new();
    for i in 0..25 {
        for args in [
            vec![
                "claim",
                "add",
                article.as_str(),
                "--quote",
                "Qwen",
                "--code",
                "Trust",
                "--comment",
                "parallel",
            ],
            vec![
                "note",
                "add",
                "--title",
                "parallel",
                "--body",
                "während des Imports",
            ],
            vec!["search", "Vertrauen"],
        ] {
            let out = dossier(&nb, &args);
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            if !out.status.success() || err.to_lowercase().contains("locked") {
                failures.push(format!("{i} {args:?}: {err}"));
            }
        }
    }
    let imported = importer.join().unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let outcomes: serde_json::Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(
        outcomes
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["status"] == "imported")
            .count(),
        300
    );
    assert!(failures.is_empty(), "{failures:#?}");
    let check = dossier(&nb, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let hits = dossier(
        &nb,
        &[
            "--json", "search", "parallel", "--kind", "claim", "--limit", "100",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&hits.stdout).unwrap();
    assert_eq!(
        v["total"], 25,
        "every claim written during the import is searchable"
    );
}
