//! The `dossier` binary as a script would use it: real processes, a real notebook folder.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod support;
use support::{dossier, json, Runs};

/// Expects failure with a message on stderr containing `needle`, and nothing on stdout.
fn fails(nb: &Path, args: &[&str], needle: &str) {
    let out = dossier(nb, args);
    assert!(!out.status.success(), "{args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(needle),
        "{args:?}: stderr {err:?} lacks {needle:?}"
    );
    assert!(
        out.stdout.is_empty(),
        "{args:?}: failure must not print a result"
    );
}

#[test]
fn the_whole_path_from_import_to_export() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("cli.dossier");
    let article = tmp.path().join("artikel.html");
    std::fs::write(
        &article,
        "<html lang=de><head><title>Hunyuan und die Exportkontrollen</title></head><body><article>\
         <p>Tencent veröffentlicht Hunyuan mit offenen Gewichten.</p><p>Die Exportkontrollen bremsen das Training kaum.</p>\
         <script>document.title='x'</script></article></body></html>",
    )
    .unwrap();
    let init = json(&nb, &["init"]);
    assert_eq!(init["articles"], 0);

    let imported = json(&nb, &["import", article.to_str().unwrap()]);
    let first = &imported[0];
    assert_eq!(first["status"], "imported");
    assert_eq!(first["language"], "de");
    assert_eq!(first["title"], "Hunyuan und die Exportkontrollen");
    let id = first["id"].as_str().unwrap().to_string();
    assert_eq!(
        json(&nb, &["import", article.to_str().unwrap()])[0]["status"],
        "duplicate"
    );

    let claim = json(
        &nb,
        &[
            "claim",
            "add",
            &id,
            "--quote",
            "Die Exportkontrollen bremsen das Training kaum.",
            "--code",
            "Policy/Export controls",
            "--stance",
            "contests",
            "--confidence",
            "2",
            "--claimant",
            "Tencent",
            "--comment",
            "Belege fehlen",
        ],
    );
    for key in [
        "id",
        "article_id",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "codes",
        "stance",
        "confidence",
        "claimant",
        "comment",
        "analyst",
    ] {
        assert!(claim.get(key).is_some(), "claim lacks {key}");
    }
    assert_eq!(claim["stance"], "contests");
    assert_eq!(claim["analyst"], "cli-test");
    assert_eq!(claim["codes"][0], "Policy/Export controls");
    let claim_id = claim["id"].as_str().unwrap().to_string();

    let shown = json(&nb, &["show", &id]);
    assert!(shown["text"]
        .as_str()
        .unwrap()
        .starts_with("Tencent veröffentlicht"));
    assert!(!shown["text"].as_str().unwrap().contains("document.title"));
    assert_eq!(shown["claims"][0]["id"], claim_id.as_str());

    let edited = json(
        &nb,
        &[
            "claim",
            "edit",
            &claim_id,
            "--confidence",
            "4",
            "--comment",
            "",
        ],
    );
    assert_eq!(edited["confidence"], 4);
    assert!(edited["comment"].is_null());

    let note_body = tmp.path().join("note.md");
    std::fs::write(&note_body, format!("Widerspruch zu [[claim:{claim_id}]]")).unwrap();
    let note = json(
        &nb,
        &[
            "note",
            "add",
            "--title",
            "Exportkontrollen wirken?",
            "--body-file",
            note_body.to_str().unwrap(),
        ],
    );
    assert_eq!(note["links"][0]["kind"], "claim");
    assert_eq!(json(&nb, &["notes"]).as_array().unwrap().len(), 1);

    let found = json(&nb, &["search", "Exportkontrolle"]);
    assert!(found["total"].as_u64().unwrap() >= 3, "{found}");
    for hit in found["hits"].as_array().unwrap() {
        for key in ["kind", "id", "article_id", "title", "score", "snippet"] {
            assert!(hit.get(key).is_some(), "hit lacks {key}");
        }
    }
    let claims_only = json(
        &nb,
        &["search", "Training", "--kind", "claim", "--code", "Policy"],
    );
    assert_eq!(claims_only["hits"][0]["id"], claim_id.as_str());
    assert!(claims_only["hits"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>Training</mark>"));

    assert_eq!(
        json(&nb, &["claims", "--code", "Policy"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        json(&nb, &["claims", "--article", &id])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(json(&nb, &["articles"])[0]["claim_count"], 1);

    let md = tmp.path().join("out.md");
    json(&nb, &["export", "markdown", "--out", md.to_str().unwrap()]);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("> Die Exportkontrollen bremsen das Training kaum."));
    fails(
        &nb,
        &["export", "markdown", "--out", md.to_str().unwrap()],
        "already exists",
    );
    json(
        &nb,
        &[
            "export",
            "markdown",
            "--out",
            md.to_str().unwrap(),
            "--force",
        ],
    );
    let csv = tmp.path().join("out.csv");
    json(
        &nb,
        &[
            "export",
            "csv",
            "--out",
            csv.to_str().unwrap(),
            "--article",
            &id,
        ],
    );
    assert!(
        !std::fs::read_to_string(&csv)
            .unwrap()
            .contains("Belege fehlen"),
        "the comment was cleared"
    );

    let check = json(&nb, &["check"]);
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(json(&nb, &["reindex"])["indexed"], 3);

    json(
        &nb,
        &[
            "codes",
            "add",
            "Trust/Security/Supply chain",
            "--color",
            "#112233",
        ],
    );
    json(
        &nb,
        &[
            "codes",
            "rename",
            "Trust/Security/Supply chain",
            "Lieferkette",
        ],
    );
    json(
        &nb,
        &["codes", "move", "Trust/Security/Lieferkette", "--top"],
    );
    let codes = json(&nb, &["codes"]);
    assert!(codes
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["path"] == "Lieferkette"));
    json(&nb, &["codes", "add", "Policy/Sanctions"]);
    let merged = json(
        &nb,
        &[
            "codes",
            "merge",
            "Policy/Export controls",
            "Policy/Sanctions",
        ],
    );
    assert_eq!(merged["path"], "Policy/Sanctions");
    assert_eq!(
        merged["claim_count"], 1,
        "the claim moved to the merged code"
    );
    json(&nb, &["codes", "delete", "Lieferkette"]);

    json(&nb, &["claim", "delete", &claim_id]);
    assert_eq!(
        json(&nb, &["search", "bremsen", "--kind", "claim"])["total"],
        0
    );
}

#[test]
fn bad_input_gets_a_clear_message_and_a_nonzero_exit() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("bad.dossier");
    json(&nb, &["init", "--sample"]);
    let id = json(&nb, &["articles"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = json(&nb, &["info"]);

    fails(
        &nb,
        &["show", "no-such-id"],
        "no article with id 'no-such-id'",
    );
    fails(
        &nb,
        &["claim", "add", "no-such-id", "--quote", "x"],
        "no article",
    );
    fails(
        &nb,
        &["claim", "add", &id, "--quote", "kommt nicht vor"],
        "does not occur",
    );
    fails(
        &nb,
        &["claim", "add", &id, "--quote", "Qwen", "--occurrence", "99"],
        "not 99",
    );
    fails(
        &nb,
        &[
            "claim",
            "add",
            &id,
            "--quote",
            "Qwen",
            "--code",
            "Keine/Solche",
        ],
        "no code 'Keine/Solche'",
    );
    fails(
        &nb,
        &["claim", "add", &id, "--quote", "Qwen", "--stance", "maybe"],
        "unknown stance",
    );
    fails(
        &nb,
        &["claim", "add", &id, "--quote", "Qwen", "--confidence", "7"],
        "between 1 and 5",
    );
    fails(
        &nb,
        &["claim", "edit", "nope", "--confidence", "2"],
        "no claim",
    );
    fails(&nb, &["claim", "delete", "nope"], "no claim");
    fails(&nb, &["claims", "--article", "nope"], "no article");
    fails(&nb, &["claims", "--code", "Nope"], "no code");
    fails(&nb, &["note", "add", "--title", "t"], "--body");
    fails(
        &nb,
        &[
            "note",
            "add",
            "--title",
            "t",
            "--body-file",
            "/no/such/file",
        ],
        "cannot read",
    );
    fails(
        &nb,
        &[
            "note",
            "add",
            "--title",
            "t",
            "--body",
            "b",
            "--article",
            "nope",
        ],
        "no article",
    );
    fails(&nb, &["note", "delete", "nope"], "no note");
    fails(&nb, &["codes", "add", "Trust"], "already exists");
    fails(&nb, &["codes", "rename", "Nope", "x"], "no code");
    fails(&nb, &["codes", "move", "Trust"], "--to PARENT or --top");
    fails(&nb, &["codes", "delete", "Trust"], "force");
    fails(&nb, &["search", "x", "--kind", "book"], "unknown kind");
    fails(
        &nb,
        &["export", "pdf", "--out", "x"],
        "unknown export format",
    );
    fails(
        &nb,
        &[
            "export",
            "csv",
            "--out",
            tmp.path().join("x.csv").to_str().unwrap(),
            "--code",
            "Nope",
        ],
        "no code",
    );
    let missing = tmp.path().join("missing.txt");
    let out = dossier(&nb, &["--json", "import", missing.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "a failed file makes the import exit non-zero"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report[0]["status"], "failed");
    assert!(report[0]["error"].as_str().unwrap().contains("cannot read"));
    let exe = tmp.path().join("prog.exe");
    std::fs::write(&exe, b"MZ\x90\x00").unwrap();
    let report: Value =
        serde_json::from_slice(&dossier(&nb, &["--json", "import", exe.to_str().unwrap()]).stdout)
            .unwrap();
    assert!(report[0]["error"].as_str().unwrap().contains("unsupported"));

    // With --json the error is machine-readable too.
    let out = dossier(&nb, &["--json", "show", "nope"]);
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "not_found");

    assert_eq!(
        json(&nb, &["info"]),
        before,
        "no failed command changed the notebook"
    );
    assert_eq!(json(&nb, &["check"])["ok"], true);
}

#[test]
fn check_exits_nonzero_when_the_notebook_is_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("d.dossier");
    json(&nb, &["init", "--sample"]);
    for entry in std::fs::read_dir(nb.join("sources")).unwrap() {
        std::fs::write(entry.unwrap().path(), b"tampered").unwrap();
    }
    let out = dossier(&nb, &["--json", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert!(report["problems"][0]
        .as_str()
        .unwrap()
        .contains("does not match its SHA-256"));
}

#[test]
fn the_notebook_defaults_to_the_environment_variable() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("env.dossier");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--json", "info"])
        .env("DOSSIER_NOTEBOOK", &nb)
        .run();
    assert!(out.status.success());
    let info: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["path"], nb.display().to_string());
    assert!(
        nb.join("notebook.sqlite").exists(),
        "a notebook is created on first use"
    );
}

/// The query language through the binary: the same parser as the app (the
/// façade's), with facets, the typo and plain-word notices, and paging.
#[test]
fn the_query_language_works_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("q.dossier");
    let article = tmp.path().join("a.md");
    std::fs::write(
        &article,
        "---\ntitle: Offene Gewichte\ndate: 2024-06-01\n---\n\nDie Datenintegrität der Qwen-Modelle bleibt unklar.\n\nAlibaba veröffentlicht die Modellgewichte.",
    )
    .unwrap();
    json(&nb, &["init"]);
    let id = json(&nb, &["import", article.to_str().unwrap()])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    json(
        &nb,
        &[
            "claim",
            "add",
            &id,
            "--quote",
            "Datenintegrität der Qwen-Modelle",
            "--code",
            "Trust/Data integrity",
            "--stance",
            "contests",
            "--claimant",
            "Alibaba Cloud",
        ],
    );
    let ids = |q: &str| -> Vec<String> {
        json(&nb, &["search", q])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids("code:Trust stance:contests claimant:\"Alibaba Cloud\""),
        ["claim"]
    );
    assert_eq!(ids("analyst:cli-test kind:claim"), ["claim"]);
    assert_eq!(ids("Integrität kind:article date:2024"), ["article"]);
    assert_eq!(ids("(Hunyuan OR Gewichte) -kind:claim"), ["article"]);
    assert!(ids("date:2023").is_empty());
    assert_eq!(ids("Modellgew*"), ["article"]);

    let r = json(&nb, &["search", "Datenintegritat"]);
    assert_eq!(
        r["facets"]["kind"][0]["count"].as_u64().unwrap()
            + r["facets"]["kind"][1]["count"].as_u64().unwrap(),
        2
    );
    assert_eq!(r["fuzzy"], false);
    let typo = json(&nb, &["search", "Datenintegrtät"]);
    assert_eq!(typo["fuzzy"], true);
    assert!(typo["total"].as_u64().unwrap() >= 1);
    let bad = json(&nb, &["search", "(Qwen OR"]);
    assert_eq!(bad["plain_fallback"], true);
    assert!(bad["total"].as_u64().unwrap() >= 1);
    // Human output says so in words.
    let text = String::from_utf8(dossier(&nb, &["search", "\"Qwen"]).stdout).unwrap();
    assert!(text.contains("searched its plain words"), "{text}");
    let page = json(
        &nb,
        &[
            "search",
            "Qwen OR Gewichte",
            "--limit",
            "1",
            "--offset",
            "1",
        ],
    );
    assert_eq!(page["hits"].as_array().unwrap().len(), 1);
}

/// Issue 6 through the binary: versions, relations, verdicts, hedging, merge and agreement, all with --json.
#[test]
fn claims_survive_relate_and_are_compared_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("mia.dossier");
    let v1 = tmp.path().join("v1.txt");
    std::fs::write(
        &v1,
        "Qwen veröffentlicht Gewichte. Die Daten bleiben unklar. Prüfungen fehlen völlig.",
    )
    .unwrap();
    json(&nb, &["init"]);
    let id = json(&nb, &["import", v1.to_str().unwrap()])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let add = |quote: &str, extra: &[&str]| -> String {
        let mut args = vec![
            "claim",
            "add",
            id.as_str(),
            "--quote",
            quote,
            "--code",
            "Trust",
            "--analyst",
            "mia",
        ];
        args.extend_from_slice(extra);
        json(&nb, &args)["id"].as_str().unwrap().to_string()
    };
    let c1 = add("Qwen veröffentlicht Gewichte", &[]);
    let c2 = add("Die Daten bleiben unklar", &["--hedging", "hedged"]);
    let c3 = add("Prüfungen fehlen völlig", &[]);

    let rel = json(
        &nb,
        &[
            "relation",
            "add",
            &c2,
            &c1,
            "--type",
            "qualifies",
            "--comment",
            "nur teilweise",
        ],
    );
    assert_eq!(rel["kind"], "qualifies");
    assert_eq!(
        json(&nb, &["relation", "list", &c1])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let v = json(
        &nb,
        &[
            "claim",
            "verdict",
            &c1,
            "disputed",
            "--note",
            "Insider",
            "--evidence",
            &format!("claim:{c2}"),
            "--evidence",
            "https://example.org",
        ],
    );
    assert_eq!(v["verdict"], "disputed");
    let h = json(&nb, &["claim", "history", &c1]);
    assert_eq!(h["verdicts"][0]["evidence"].as_array().unwrap().len(), 2);
    assert_eq!(h["relations"][0]["kind"], "qualifies");
    fails(&nb, &["claim", "verdict", &c1, "maybe"], "unknown verdict");
    fails(
        &nb,
        &["relation", "add", &c1, &c1, "--type", "supports"],
        "itself",
    );
    let found = json(&nb, &["search", "hedging:hedged relation:qualifies"]);
    assert_eq!(found["hits"][0]["id"], c2.as_str());

    // A new version: one claim changed, one gone.
    let v2 = tmp.path().join("v2.txt");
    std::fs::write(
        &v2,
        "Neu. Qwen veröffentlicht Gewichte. Die Daten bleiben weiterhin unklar.",
    )
    .unwrap();
    let report = json(&nb, &["import", v2.to_str().unwrap(), "--replaces", &id]);
    assert_eq!(
        (
            report["exact"].as_u64(),
            report["changed"].as_u64(),
            report["orphaned"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let orphans = json(&nb, &["claim", "orphans"]);
    assert_eq!(orphans[0]["id"], c3.as_str());
    let re = json(&nb, &["claim", "reattach", &c3, "--quote", "Neu"]);
    assert_eq!(re["anchor_status"], "changed");
    assert_eq!(json(&nb, &["versions", &id]).as_array().unwrap().len(), 2);

    // A second analyst's notebook, merged; then agreement.
    let other = tmp.path().join("jonas.dossier");
    json(&other, &["init"]);
    let oid = json(&other, &["import", v2.to_str().unwrap()])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    json(
        &other,
        &[
            "claim",
            "add",
            &oid,
            "--quote",
            "Qwen veröffentlicht",
            "--code",
            "Trust",
            "--analyst",
            "jonas",
        ],
    );
    json(&nb, &["merge", other.to_str().unwrap()]);
    let ag = json(&nb, &["agreement", "--analysts", "mia,jonas"]);
    for key in ["percent_agreement", "cohen_kappa", "krippendorff_alpha"] {
        assert!(ag["overall"][key].is_number(), "{key}: {ag}");
    }
    fails(&nb, &["agreement", "--analysts", "mia"], "two names");

    // Undo, redo, the trash and the history of a claim.
    json(&nb, &["claim", "delete", &c1]);
    let trash = json(&nb, &["trash"]);
    assert_eq!(trash[0]["entity_id"], c1.as_str());
    let undone = json(&nb, &["undo"]);
    assert_eq!(
        (undone["action"].as_str(), undone["entity_id"].as_str()),
        (Some("delete"), Some(c1.as_str()))
    );
    assert_eq!(
        json(&nb, &["claim", "history", &c1])["verdicts"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "verdicts came back"
    );
    json(&nb, &["redo"]);
    let item = json(&nb, &["trash"])[0]["id"].as_str().unwrap().to_string();
    let restored = json(&nb, &["trash", "--restore", &item]);
    assert_eq!(restored["entity_id"], c1.as_str());
    let changes = json(&nb, &["claim", "history", &c1])["changes"]
        .as_array()
        .unwrap()
        .len();
    assert!(changes >= 4, "add, verdict, delete, restore: {changes}");
}

/// A malformed command line is an error like any other: with `--json` it is
/// `{"error": {"code", "message"}}` on stderr, nothing on stdout, exit 2.
#[test]
fn a_malformed_command_line_is_a_json_error() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("nb.dossier");
    for args in [
        &[
            "--json", "claim", "add", "x", "--quote", "y", "--stance", "maybe",
        ][..],
        &["--json", "export", "pdf", "--out", "x"][..],
        &["--json", "claim", "add", "x"][..],
    ] {
        let out = dossier(&nb, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"]["code"], "invalid_input", "{args:?}");
        assert!(!err["error"]["message"].as_str().unwrap().is_empty());
    }
    let help = dossier(&nb, &["export", "--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("w3c"));
}

#[test]
fn attributes_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("attr.dossier");
    json(&nb, &["init"]);
    let mut ids = Vec::new();
    for (name, text) in [
        ("xinhua.txt", "开源模型推动透明度。"),
        ("heise.txt", "Transparenz bei Qwen bleibt begrenzt."),
    ] {
        let f = tmp.path().join(name);
        std::fs::write(&f, text).unwrap();
        ids.push(
            json(&nb, &["import", f.to_str().unwrap()])[0]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let def = json(
        &nb,
        &[
            "attribute",
            "define",
            "outlet_type",
            "--type",
            "choice",
            "--choices",
            "state media,press",
        ],
    );
    assert_eq!(def["type"], "choice");
    assert_eq!(def["choices"], serde_json::json!(["state media", "press"]));
    json(&nb, &["attribute", "define", "published", "--type", "date"]);
    json(
        &nb,
        &["attribute", "set", &ids[0], "outlet_type", "State Media"],
    );
    json(&nb, &["attribute", "set", &ids[1], "outlet_type", "press"]);
    let values = json(
        &nb,
        &["attribute", "set", &ids[0], "published", "2024年5月3日"],
    );
    assert_eq!(values[1]["value"], "2024-05-03");
    assert_eq!(
        json(&nb, &["attributes", &ids[0]])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(json(&nb, &["attributes"])[0]["used_by"], 2);
    let found = json(&nb, &["search", r#"attr:"outlet_type=state media""#]);
    assert_eq!(found["hits"].as_array().unwrap().len(), 1);
    assert_eq!(found["hits"][0]["id"], ids[0].as_str());
    let found = json(&nb, &["search", "attr:published<2025"]);
    assert_eq!(found["hits"][0]["id"], ids[0].as_str());
    fails(
        &nb,
        &["attribute", "set", &ids[1], "outlet_type", "blog"],
        "not a choice",
    );
    fails(
        &nb,
        &["attribute", "define", "x", "--type", "colour"],
        "colour",
    );
    fails(&nb, &["search", "attr:nope=1"], "no attribute 'nope'");
    json(&nb, &["attribute", "clear", &ids[0], "published"]);
    assert_eq!(
        json(&nb, &["attributes", &ids[0]])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    json(&nb, &["undo"]);
    assert_eq!(
        json(&nb, &["attributes", &ids[0]])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    json(&nb, &["attribute", "delete", "outlet_type"]);
    assert_eq!(json(&nb, &["attributes"]).as_array().unwrap().len(), 1);
    json(&nb, &["undo"]);
    assert_eq!(json(&nb, &["attributes"])[0]["used_by"], 2);

    // Sets and saved searches.
    json(
        &nb,
        &[
            "set",
            "add",
            "china_desk",
            "--description",
            "Chinese sources",
        ],
    );
    let set = json(&nb, &["set", "put", "china_desk", &ids[0], &ids[1]]);
    assert_eq!(set["size"], 2);
    json(&nb, &["set", "remove", "china_desk", &ids[1]]);
    assert_eq!(
        json(&nb, &["sets", "--set", "china_desk"]),
        serde_json::json!([ids[0]])
    );
    assert_eq!(
        json(&nb, &["sets", "--article", &ids[0]]),
        serde_json::json!(["china_desk"])
    );
    let found = json(
        &nb,
        &[
            "search",
            "set:china_desk attr:published=2024",
            "--save",
            "desk_2024",
        ],
    );
    assert_eq!(found["hits"][0]["id"], ids[0].as_str());
    assert_eq!(json(&nb, &["searches"])[0]["name"], "desk_2024");
    let again = json(&nb, &["search", "--saved", "desk_2024"]);
    assert_eq!(again["hits"], found["hits"]);
    fails(&nb, &["search", "set:nope"], "no set 'nope'");
    fails(
        &nb,
        &["set", "put", "china_desk", "no-such-article"],
        "no article",
    );
    assert_eq!(
        json(&nb, &["searches", "--delete", "desk_2024"]),
        serde_json::json!([])
    );
    // A matrix of the claims: none yet, then one.
    let m = json(
        &nb,
        &["matrix", "--rows", "stance", "--cols", "attr:outlet_type"],
    );
    assert_eq!(m["total"], 0);
    json(
        &nb,
        &[
            "claim",
            "add",
            &ids[1],
            "--quote",
            "Transparenz bei Qwen",
            "--stance",
            "contests",
        ],
    );
    let m = json(
        &nb,
        &["matrix", "--rows", "stance", "--cols", "attr:outlet_type"],
    );
    assert_eq!(m["row_labels"], serde_json::json!(["contests"]));
    assert_eq!(m["col_labels"], serde_json::json!(["press"]));
    assert_eq!(m["cells"][0]["count"], 1);
    assert_eq!(m["cells"][0]["stance"]["contests"], 1);
    let text = String::from_utf8(
        dossier(
            &nb,
            &["matrix", "--rows", "stance", "--cols", "attr:outlet_type"],
        )
        .stdout,
    )
    .unwrap();
    assert!(
        text.contains("contests") && text.contains("press"),
        "{text}"
    );
    let cell = json(
        &nb,
        &[
            "matrix",
            "--rows",
            "stance",
            "--cols",
            "attr:outlet_type",
            "--cell",
            "contests",
            "press",
        ],
    );
    assert_eq!(cell.as_array().unwrap().len(), 1);
    fails(&nb, &["matrix", "--cols", "colour"], "no matrix dimension");
    // A claim's span is edited; its id and analysis stay.
    let claim_id = json(&nb, &["claims"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let moved = json(
        &nb,
        &[
            "claim",
            "edit",
            &claim_id,
            "--quote",
            "Qwen bleibt begrenzt",
        ],
    );
    assert_eq!(moved["exact"], "Qwen bleibt begrenzt");
    assert_eq!(moved["stance"], "contests");
    fails(
        &nb,
        &["claim", "edit", &claim_id, "--quote", "nicht da"],
        "",
    );
    json(&nb, &["undo"]);
    assert_eq!(json(&nb, &["claims"])[0]["exact"], "Transparenz bei Qwen");
    json(&nb, &["set", "delete", "china_desk"]);
    json(&nb, &["undo"]);
    assert_eq!(json(&nb, &["sets"])[0]["size"], 1);
    json(&nb, &["check"]);
}

#[test]
fn the_table_of_claims_and_bulk_recode_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("table.dossier");
    json(&nb, &["init"]);
    let f = tmp.path().join("heise.txt");
    std::fs::write(
        &f,
        "Offene Gewichte, offene Fragen: Ärger über Transparenz bei Qwen bleibt.",
    )
    .unwrap();
    let article = json(&nb, &["import", f.to_str().unwrap()])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    json(&nb, &["codes", "add", "trust"]);
    json(&nb, &["codes", "add", "export"]);
    let mut ids = Vec::new();
    for quote in ["Offene Gewichte", "offene Fragen", "Ärger über Transparenz"] {
        let c = json(
            &nb,
            &[
                "claim", "add", &article, "--quote", quote, "--code", "trust",
            ],
        );
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    json(&nb, &["attribute", "define", "country", "--type", "text"]);
    json(&nb, &["attribute", "set", &article, "country", "DE"]);
    let page = json(&nb, &["table", "--sort", "quote", "--desc", "--limit", "2"]);
    assert_eq!(page["total"], 3);
    assert_eq!(page["rows"].as_array().unwrap().len(), 2);
    assert_eq!(page["rows"][0]["exact"], "Ärger über Transparenz");
    assert_eq!(page["rows"][0]["attributes"][0]["value"], "DE");
    assert_eq!(json(&nb, &["table", "--text", "ärger"])["total"], 1);
    assert_eq!(
        json(&nb, &["table", "--where", "attr:country=CN"])["total"],
        0
    );
    // Two claims by id, then every claim the filter selects.
    let out = json(
        &nb,
        &[
            "recode",
            &ids[0],
            &ids[1],
            "--add-code",
            "export",
            "--set-stance",
            "contests",
        ],
    );
    assert_eq!(out["changed"], 2);
    assert_eq!(
        json(&nb, &["table", "--code", "export", "--stance", "contests"])["total"],
        2
    );
    let out = json(
        &nb,
        &[
            "recode",
            "--table",
            "--text",
            "transparenz",
            "--set-verdict",
            "disputed",
            "--remove-code",
            "trust",
        ],
    );
    assert_eq!(
        (out["claims"].clone(), out["changed"].clone()),
        (1.into(), 1.into())
    );
    assert_eq!(
        json(&nb, &["table", "--verdict", "disputed"])["rows"][0]["codes"],
        serde_json::json!([])
    );
    // One undo takes back the whole bulk change.
    json(&nb, &["undo"]);
    assert_eq!(json(&nb, &["table", "--verdict", "disputed"])["total"], 0);
    json(&nb, &["undo"]);
    assert_eq!(json(&nb, &["table", "--code", "export"])["total"], 0);
    // CSV of a view.
    let csv = tmp.path().join("view.csv");
    let written = json(
        &nb,
        &["table", "--code", "trust", "--csv", csv.to_str().unwrap()],
    );
    assert_eq!(written["written"], 3);
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 4);
    // Bad input: clear errors, nothing changed.
    fails(&nb, &["recode", &ids[0], "--add-code", "nope"], "nope");
    fails(&nb, &["recode", &ids[0]], "nothing to change");
    fails(
        &nb,
        &["table", "--sort", "colour"],
        "cannot sort by 'colour'",
    );
    fails(
        &nb,
        &["table", "--where", "country=CN"],
        "no article filter",
    );
    assert_eq!(json(&nb, &["table", "--code", "trust"])["total"], 3);
}

#[test]
fn translations_glossary_and_memos_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("tr.dossier");
    json(&nb, &["init"]);
    let mut ids = Vec::new();
    for (name, text, quote) in [
        (
            "zh.txt",
            "开源模型推动透明度。数据完整性得到保障。",
            "数据完整性得到保障",
        ),
        (
            "de.txt",
            "Mehr Transparenz bei Qwen, sagt der Bericht.",
            "Mehr Transparenz bei Qwen",
        ),
    ] {
        let f = tmp.path().join(name);
        std::fs::write(&f, text).unwrap();
        let a = json(&nb, &["import", f.to_str().unwrap()])[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        ids.push(
            json(&nb, &["claim", "add", &a, "--quote", quote])["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let c = json(
        &nb,
        &[
            "claim",
            "translate",
            &ids[0],
            "--lang",
            "en",
            "--text",
            "Data integrity is guaranteed",
            "--by",
            "DeepL",
        ],
    );
    assert_eq!(c["translations"][0]["language"], "en");
    assert_eq!(c["translations"][0]["translator"], "DeepL");
    let found = json(&nb, &["search", "guaranteed", "--kind", "claim"]);
    assert_eq!(found["hits"][0]["id"], ids[0].as_str());
    fails(
        &nb,
        &["claim", "translate", &ids[0], "--lang", "en", "--text", " "],
        "needs its text",
    );
    // The glossary, and search expanding with it.
    let g = json(
        &nb,
        &[
            "glossary",
            "add",
            "de:Transparenz",
            "zh:透明度",
            "en:transparency",
        ],
    );
    assert_eq!(g["terms"].as_array().unwrap().len(), 3);
    assert_eq!(json(&nb, &["glossary"]).as_array().unwrap().len(), 1);
    assert_eq!(
        json(&nb, &["search", "透明度", "--kind", "claim"])["hits"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        json(&nb, &["search", "透明度", "--kind", "claim", "--expand"])["hits"][0]["id"],
        ids[1].as_str()
    );
    fails(&nb, &["glossary", "add", "Transparenz"], "LANG:TERM");
    json(&nb, &["glossary", "remove", "de:Transparenz"]);
    json(&nb, &["undo"]);
    assert_eq!(
        json(&nb, &["glossary"])[0]["terms"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // A code's memo, from a file.
    let memo = tmp.path().join("memo.md");
    std::fs::write(
        &memo,
        "**Definition:** claims about openness.\n\n- Include: licences",
    )
    .unwrap();
    let code = json(
        &nb,
        &[
            "codes",
            "memo",
            "Transparency",
            "--file",
            memo.to_str().unwrap(),
        ],
    );
    assert_eq!(
        code["memo"],
        "**Definition:** claims about openness.\n\n- Include: licences"
    );
    let code = json(&nb, &["codes", "memo", "Transparency", "--text", ""]);
    assert_eq!(code["memo"], "");
    json(&nb, &["undo"]);
    let codes = json(&nb, &["codes"]);
    let t = codes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "Transparency")
        .unwrap();
    assert!(t["memo"].as_str().unwrap().starts_with("**Definition:**"));
    // A set's memo, undoable.
    json(&nb, &["set", "add", "desk"]);
    let set = json(
        &nb,
        &[
            "set",
            "memo",
            "desk",
            "--text",
            "**Why:** the China desk's sources",
        ],
    );
    assert_eq!(set["description"], "**Why:** the China desk's sources");
    json(&nb, &["undo"]);
    assert_eq!(json(&nb, &["sets"])[0]["description"], "");
    fails(&nb, &["set", "memo", "nope", "--text", "x"], "nope");
    // Links back: what an export carries opens the claim here.
    let opened = json(&nb, &["open", &format!("dossier://claim/{}", ids[0])]);
    assert_eq!(
        (
            opened["target"]["kind"].as_str(),
            opened["claim"]["exact"].as_str()
        ),
        (Some("claim"), Some("数据完整性得到保障"))
    );
    let csv = tmp.path().join("all.csv");
    json(&nb, &["export", "csv", "--out", csv.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .contains(&format!("dossier://claim/{}", ids[0])));
    fails(
        &nb,
        &["open", "https://example.org/claim/1"],
        "no Dossier link",
    );
    fails(
        &nb,
        &[
            "open",
            "dossier://claim/0190a1b2-0000-7000-8000-000000000011",
        ],
        "another notebook",
    );
    // A codebook alone, from CSV.
    let book = tmp.path().join("book.csv");
    std::fs::write(
        &book,
        "path,color,description,memo
Governance/Chips,#112233,Export rules,Include: BIS
",
    )
    .unwrap();
    let r = json(&nb, &["codes", "import", book.to_str().unwrap()]);
    assert_eq!(r["added"], 1, "Governance is in the default codebook");
    let codes = json(&nb, &["codes"]);
    let chips = codes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "Governance/Chips")
        .unwrap();
    assert_eq!(
        (chips["color"].as_str(), chips["memo"].as_str()),
        (Some("#112233"), Some("Include: BIS"))
    );
    json(&nb, &["undo"]);
    assert!(!json(&nb, &["codes"])
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["path"] == "Governance/Chips"));
    // Hostile codebooks end in a clear error and change nothing: nesting past
    // the XML depth limit, more codes than a codebook file may bring, not UTF-8.
    let before = json(&nb, &["codes"]).as_array().unwrap().len();
    let deep = tmp.path().join("deep.qdc");
    std::fs::write(
        &deep,
        format!(
            "<CodeBook><Codes>{}</Codes></CodeBook>",
            "<Code name=\"x\">".repeat(100_000)
        ),
    )
    .unwrap();
    let many = tmp.path().join("many.qdc");
    std::fs::write(
        &many,
        format!(
            "<CodeBook><Codes>{}</Codes></CodeBook>",
            "<Code name=\"x\"/>".repeat(10_001)
        ),
    )
    .unwrap();
    let binary = tmp.path().join("binary.csv");
    std::fs::write(&binary, [0xff_u8, 0xfe, 0x00, 0x70]).unwrap();
    for f in [&deep, &many, &binary] {
        let out = dossier(&nb, &["codes", "import", f.to_str().unwrap()]);
        assert!(!out.status.success(), "{}", f.display());
    }
    fails(
        &nb,
        &["codes", "import", many.to_str().unwrap()],
        "at most 10000",
    );
    let via_import = dossier(&nb, &["--json", "import", deep.to_str().unwrap()]);
    assert!(!via_import.status.success());
    assert_eq!(json(&nb, &["codes"]).as_array().unwrap().len(), before);
    // Untranslate.
    let tid = c["translations"][0]["id"].as_str().unwrap().to_string();
    let c = json(&nb, &["claim", "untranslate", &tid]);
    assert_eq!(c["translations"], serde_json::json!([]));
}
