//! Teams through the real binaries: a real PostgreSQL, a real hub, notebooks
//! of different analysts joining it and syncing.

mod support;

use serde_json::Value;
use support::{fixture, token, Hub, Notebook, Postgres};

fn claims_of(nb: &Notebook) -> Vec<Value> {
    nb.ok(&["claims"]).as_array().cloned().unwrap_or_default()
}

fn article_id(nb: &Notebook, language: &str) -> String {
    nb.ok(&["articles"])
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["language"]
                .as_str()
                .unwrap_or_default()
                .starts_with(language)
        })
        .unwrap_or_else(|| panic!("an article in {language}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn code_paths(nb: &Notebook) -> Vec<String> {
    let mut paths: Vec<String> = nb
        .ok(&["codes"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths
}

#[test]
fn a_claim_made_on_one_notebook_is_searched_and_coded_against_on_another() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let (ta, tb) = (token(&db, "ann", "analyst"), token(&db, "bo", "analyst"));

    // Ann imports a trilingual article (with its table and figure) and marks a claim.
    let a = Notebook::new("ann");
    a.ok(&["import", &fixture("trilingual.html")]);
    let article = article_id(&a, "zh");
    let claim = a.ok(&[
        "claim",
        "add",
        &article,
        "--quote",
        "die Transparenz endet oft an der Datengrenze",
        "--code",
        "Transparency/Training-data disclosure",
    ]);
    let joined = a.join(&hub, &ta);
    assert_eq!(joined["analyst"], "ann");
    assert_eq!(joined["role"], "analyst");
    assert!(joined["pending"].as_i64().unwrap() > 0, "{joined}");
    let r = a.sync();
    assert!(r["pushed"].as_u64().unwrap() >= 2, "{r}");
    assert_eq!(r["conflicts"], 0);
    assert_eq!(a.ok(&["team", "status"])["pending"], 0);

    // Bo joins and gets the article (its original file too), the claim, and can search it.
    let b = Notebook::new("bo");
    b.join(&hub, &tb);
    let r = b.sync();
    assert!(r["pulled"].as_u64().unwrap() >= 2, "{r}");
    let shown_a = a.ok(&["show", &article]);
    let shown_b = b.ok(&["show", &article]);
    assert_eq!(shown_a["text"], shown_b["text"]);
    assert_eq!(shown_a["sha256"], shown_b["sha256"]);
    let theirs = claims_of(&b);
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["id"], claim["id"]);
    assert_eq!(theirs[0]["analyst"], "ann");
    assert_eq!(
        theirs[0]["codes"],
        serde_json::json!(["Transparency/Training-data disclosure"])
    );
    let hits = b.ok(&["search", "Datengrenze"]);
    let hits = hits["hits"].as_array().expect("hits");
    assert!(
        hits.iter().any(|h| h["id"] == claim["id"]),
        "Bo's search finds Ann's claim: {hits:?}"
    );
    // The original came along and checks out.
    b.check();
    a.check();

    // Bo codes the same article; after both sync, agreement is computed on Ann's machine.
    b.ok(&[
        "claim",
        "add",
        &article,
        "--quote",
        "Transparenz endet oft an der Datengrenze",
        "--code",
        "Transparency/Training-data disclosure",
    ]);
    b.sync();
    let r = a.sync();
    assert_eq!(r["pulled"], 1, "{r}");
    assert_eq!(claims_of(&a).len(), 2);
    let agreement = a.ok(&["agreement", "--analysts", "ann,bo", "--article", &article]);
    let text = agreement.to_string();
    assert!(text.contains("kappa") || text.contains("alpha"), "{text}");
    a.check();

    // The team's record in PostgreSQL holds both claims once each, and the original.
    assert_eq!(
        pg.query("team", "SELECT count(*) FROM entity WHERE kind = 'claim'"),
        "2"
    );
    assert_eq!(pg.query("team", "SELECT count(*) FROM blob"), "1");
    // Syncing again with nothing new changes nothing.
    let r = a.sync();
    assert_eq!(
        (r["pushed"].as_u64(), r["pulled"].as_u64()),
        (Some(0), Some(0)),
        "{r}"
    );

    // A restored backup leaves the team (it must not sync as the notebook it copies).
    let zip = a.dir.path().with_extension("backup.zip");
    a.ok(&["export", "backup", "--out", &zip.display().to_string()]);
    let restored_parent = tempfile::tempdir().unwrap();
    let restored = restored_parent.path().join("restored.dossier");
    let out = std::process::Command::new(support::dossier_exe())
        .args([
            "--json",
            "restore",
            &zip.display().to_string(),
            "--notebook",
        ])
        .arg(&restored)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new(support::dossier_exe())
        .args(["--json", "team", "status", "--notebook"])
        .arg(&restored)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "null");
    let _ = std::fs::remove_file(zip);
}

#[test]
fn concurrent_edits_of_the_codebook_converge_and_the_losing_value_is_listed() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let a = Notebook::new("ann");
    let b = Notebook::new("bo");
    a.join(&hub, &token(&db, "ann", "owner"));
    b.join(&hub, &token(&db, "bo", "analyst"));
    a.sync();
    b.sync();
    // Both notebooks made the same default codebook: one set of codes in the team.
    assert_eq!(code_paths(&a), code_paths(&b));
    let codes = a.ok(&["codes"]).as_array().unwrap().len().to_string();
    assert_eq!(
        pg.query("team", "SELECT count(*) FROM entity WHERE kind = 'code'"),
        codes
    );

    // The same code renamed on both, different fields of another code changed on each.
    a.ok(&["codes", "rename", "Trust", "Vertrauen"]);
    a.ok(&[
        "codes",
        "edit",
        "Policy",
        "--description",
        "Regeln und Kontrollen",
    ]);
    b.ok(&["codes", "rename", "Trust", "Trust and integrity"]);
    b.ok(&["codes", "edit", "Policy", "--color", "#123456"]);
    a.sync();
    let r = b.sync();
    assert!(r["conflicts"].as_u64().unwrap() >= 1, "{r}");
    a.sync();
    b.sync();
    let paths = code_paths(&a);
    assert_eq!(
        paths,
        code_paths(&b),
        "both notebooks have the same codebook"
    );
    // Bo renamed last: his name wins; Ann's is in the conflicts list on both machines.
    assert!(
        paths.contains(&"Trust and integrity".to_string()),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.starts_with("Vertrauen")),
        "{paths:?}"
    );
    for nb in [&a, &b] {
        let conflicts = nb.ok(&["team", "conflicts"]);
        let lost = conflicts
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "name")
            .unwrap_or_else(|| panic!("a conflict on the name: {conflicts}"));
        assert_eq!(lost["kept"], "Trust and integrity");
        assert_eq!(lost["lost"], "Vertrauen");
        assert_eq!(lost["lost_by"], "ann");
        assert_eq!(lost["kept_by"], "bo");
    }
    // Edits of different fields of one code both stay.
    let policy = |nb: &Notebook| -> Value {
        nb.ok(&["codes"])
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["path"] == "Policy")
            .cloned()
            .unwrap()
    };
    for nb in [&a, &b] {
        let p = policy(nb);
        assert_eq!(p["description"], "Regeln und Kontrollen", "{p}");
        assert_eq!(p["color"], "#123456", "{p}");
    }
    // The losing value is in the history too: undo on Ann's side is possible and logged.
    a.check();
    b.check();
}

#[test]
fn a_claim_belongs_to_its_analyst() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let a = Notebook::new("ann");
    let b = Notebook::new("bo");
    a.ok(&["import", &fixture("trilingual.html")]);
    let article = article_id(&a, "zh");
    let claim = a.ok(&[
        "claim",
        "add",
        &article,
        "--quote",
        "Exportkontrollen",
        "--comment",
        "Ann's reading",
    ]);
    let id = claim["id"].as_str().unwrap().to_string();
    a.join(&hub, &token(&db, "ann", "analyst"));
    b.join(&hub, &token(&db, "bo", "analyst"));
    a.sync();
    b.sync();
    // Bo changes Ann's claim on his machine: the hub refuses it and his copy is put back.
    b.ok(&["claim", "edit", &id, "--comment", "Bo's reading"]);
    let r = b.sync();
    assert_eq!(r["conflicts"], 1, "{r}");
    let theirs = claims_of(&b);
    assert_eq!(theirs[0]["comment"], "Ann's reading");
    let conflicts = b.ok(&["team", "conflicts"]);
    assert!(
        conflicts.to_string().contains("only they change it"),
        "{conflicts}"
    );
    // Ann's own edit goes through.
    a.ok(&["claim", "edit", &id, "--comment", "Ann's second reading"]);
    a.sync();
    b.sync();
    assert_eq!(claims_of(&b)[0]["comment"], "Ann's second reading");
    // A deleted claim travels to the other notebook's trash.
    a.ok(&["claim", "delete", &id]);
    a.sync();
    b.sync();
    assert!(claims_of(&b).is_empty());
    let trash = b.ok(&["trash"]);
    assert!(trash.to_string().contains(&id), "{trash}");
    b.check();
}

#[test]
fn only_valid_tokens_get_in_and_readers_cannot_push() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let ta = token(&db, "ann", "owner");
    let tr = token(&db, "rita", "reader");
    let a = Notebook::new("ann");
    a.ok(&["import", &fixture("trilingual.html")]);
    a.join(&hub, &ta);
    a.sync();

    // A wrong token, a malformed one, none.
    let x = Notebook::new("mallory");
    let wrong = format!("{}0", &ta[..ta.len() - 1]);
    let wrong = if wrong == ta {
        format!("{}1", &ta[..ta.len() - 1])
    } else {
        wrong
    };
    assert_eq!(
        x.fails(&["team", "join", &hub.url, "--token", &wrong]),
        "unauthorized"
    );
    assert_eq!(
        x.fails(&["team", "join", &hub.url, "--token", "hello"]),
        "unauthorized"
    );
    let (status, body) = hub.request("GET", "/v1/pull?since=0", "", "");
    assert_eq!(status, 401, "{body}");
    // Plain HTTP to another machine is refused before anything is sent.
    assert_eq!(
        x.fails(&["team", "join", "http://192.0.2.1:7878", "--token", &ta]),
        "invalid_input"
    );

    // A reader pulls everything but cannot push, neither through Dossier nor by hand.
    let r = Notebook::new("rita");
    let joined = r.join(&hub, &tr);
    assert_eq!(joined["role"], "reader");
    r.sync();
    assert_eq!(r.ok(&["articles"]).as_array().unwrap().len(), 1);
    let (status, body) = hub.request(
        "POST",
        "/v1/push",
        &tr,
        r#"{"protocol":2,"origin":"01a2323d-0000-7000-8000-000000000000","after":0,"upto":1,"changes":[]}"#,
    );
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("unauthorized"), "{body}");
    let (status, _) = hub.request("PUT", &format!("/v1/blobs/{}", "0".repeat(64)), &tr, "x");
    assert_eq!(status, 401);
    // The owner makes Rita an analyst on the hub: her next sync takes the new role up.
    pg.query(
        "team",
        "UPDATE member SET role = 'analyst' WHERE name = 'rita'",
    );
    r.sync();
    assert_eq!(r.ok(&["team", "status"])["role"], "analyst");
    pg.query(
        "team",
        "UPDATE member SET role = 'reader' WHERE name = 'rita'",
    );
    r.sync();
    assert_eq!(r.ok(&["team", "status"])["role"], "reader");

    // A revoked token is refused at once.
    let out = support::hub(&["token", "revoke", "ann", "--database", &db]);
    assert!(out.status.success());
    assert_eq!(a.fails(&["sync"]), "unauthorized");
    // A hub that is down: the notebook says so and works on.
    drop(hub);
    assert_eq!(r.fails(&["sync"]), "unreachable");
    assert_eq!(r.ok(&["articles"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_notebook_offline_for_a_thousand_changes_catches_up_in_one_sync() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let a = Notebook::new("ann");
    let b = Notebook::new("bo");
    a.join(&hub, &token(&db, "ann", "analyst"));
    b.join(&hub, &token(&db, "bo", "analyst"));
    a.sync();
    b.sync();
    // Offline, Ann imports a thousand articles (a thousand changes).
    let dir = tempfile::tempdir().unwrap();
    for i in 0..1000 {
        std::fs::write(
            dir.path().join(format!("{i:04}.txt")),
            format!("Bericht {i} über Exportkontrollen und Modellgewichte.\n\n第{i}号报告：开放模型的透明度。"),
        )
        .unwrap();
    }
    a.ok(&["import", &dir.path().display().to_string()]);
    assert!(a.ok(&["team", "status"])["pending"].as_i64().unwrap() >= 1000);
    let r = a.sync();
    assert_eq!(r["pushed"], 1000, "{r}");
    assert_eq!(a.ok(&["team", "status"])["pending"], 0);
    let r = b.sync();
    assert_eq!(r["pulled"], 1000, "{r}");
    assert_eq!(b.ok(&["articles"]).as_array().unwrap().len(), 1000);
    let hits = b.ok(&["search", "Bericht 777"]);
    assert!(hits.to_string().contains("Bericht 777"), "{hits}");
    assert_eq!(pg.query("team", "SELECT count(*) FROM blob"), "1000");
    b.check();
}

/// Kills the hub with SIGKILL in the middle of syncs, and a notebook in the
/// middle of its own, `DOSSIER_HUB_KILLS` times each (50 by default): after a
/// restart and a final sync every change a notebook made is on every notebook
/// and in PostgreSQL exactly once, and `check` passes everywhere.
#[test]
fn hubs_and_notebooks_killed_mid_sync_lose_nothing_and_double_nothing() {
    use std::process::{Command, Stdio};
    use std::time::Duration;
    let kills: usize = std::env::var("DOSSIER_HUB_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let pg = Postgres::start();
    let db = pg.database("team");
    let mut hub = Hub::start(&db);
    let listen = hub.url.trim_start_matches("http://").to_string();
    let a = Notebook::new("ann");
    let b = Notebook::new("bo");
    a.join(&hub, &token(&db, "ann", "analyst"));
    b.join(&hub, &token(&db, "bo", "analyst"));
    a.sync();
    b.sync();
    // A cheap source of jitter: where in the sync the kill lands.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut jitter = |max_ms: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        Duration::from_millis(seed % max_ms)
    };
    let spawn_sync = |nb: &Notebook| {
        Command::new(support::dossier_exe())
            .arg("--notebook")
            .arg(nb.dir.path())
            .args(["--json", "sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dossier sync starts")
    };
    let (mut hub_killed, mut client_killed) = (0, 0);
    for i in 0..kills {
        // Each round both analysts change something: Ann a note, Bo a note and (every
        // third round) an article, so pushes carry texts and files.
        a.ok(&[
            "note",
            "add",
            "--title",
            &format!("Ann {i}"),
            "--body",
            "Exportkontrollen 出口管制",
        ]);
        b.ok(&[
            "note",
            "add",
            "--title",
            &format!("Bo {i}"),
            "--body",
            "Transparenz 透明度",
        ]);
        if i % 3 == 0 {
            let f = b.dir.path().with_extension(format!("{i}.txt"));
            std::fs::write(
                &f,
                format!("Bericht {i}: Qwen, ERNIE, Hunyuan.\n\n第{i}号报告。"),
            )
            .unwrap();
            b.ok(&["import", &f.display().to_string()]);
            let _ = std::fs::remove_file(f);
        }
        // The hub dies while Ann syncs.
        let mut sync_a = spawn_sync(&a);
        std::thread::sleep(jitter(150));
        hub.kill();
        hub_killed += 1;
        let _ = sync_a.wait();
        hub = Hub::serve(&db, &listen);
        // Bo dies while he syncs.
        let mut sync_b = spawn_sync(&b);
        std::thread::sleep(jitter(150));
        if sync_b.try_wait().ok().flatten().is_none() {
            client_killed += 1;
        }
        let _ = sync_b.kill();
        let _ = sync_b.wait();
    }
    eprintln!("hub killed {hub_killed} times, a notebook killed mid-sync {client_killed} times");
    for _ in 0..2 {
        a.sync();
        b.sync();
    }
    let titles = |nb: &Notebook| -> Vec<String> {
        let mut t: Vec<String> = nb
            .ok(&["notes"])
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_string())
            .collect();
        t.sort();
        t
    };
    let mut expected: Vec<String> = (0..kills)
        .flat_map(|i| [format!("Ann {i}"), format!("Bo {i}")])
        .collect();
    expected.sort();
    assert_eq!(titles(&a), expected, "Ann's notebook has every note once");
    assert_eq!(titles(&b), expected, "Bo's notebook has every note once");
    let articles = kills.div_ceil(3);
    assert_eq!(a.ok(&["articles"]).as_array().unwrap().len(), articles);
    assert_eq!(
        pg.query(
            "team",
            "SELECT count(*) FROM entity WHERE kind = 'note' AND state IS NOT NULL"
        ),
        (2 * kills).to_string()
    );
    assert_eq!(
        pg.query("team", "SELECT count(*) FROM entity WHERE kind = 'article'"),
        articles.to_string()
    );
    // No note was logged twice by the team (a replayed push appends nothing).
    assert_eq!(
        pg.query(
            "team",
            "SELECT count(*) FROM (SELECT id FROM change WHERE kind = 'note' GROUP BY id HAVING count(*) > 1) d"
        ),
        "0"
    );
    for nb in [&a, &b] {
        assert_eq!(nb.ok(&["team", "status"])["pending"], 0);
        nb.check();
        // Every entity the team holds hashes alike here.
        let v = nb.ok(&["sync", "--verify"]);
        assert_eq!(v["verify"]["divergent"], serde_json::json!([]), "{v}");
        assert_eq!(v["verify"]["checked"], v["verify"]["same"], "{v}");
    }
}

/// Requests no Dossier would send, through the real hub: each is refused with
/// `{code, message}` and a 4xx status, nothing is written, and the hub serves on.
#[test]
fn hostile_requests_are_refused_and_the_hub_serves_on() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let t = token(&db, "ann", "analyst");
    let origin = "01a2323d-0000-7000-8000-000000000000";
    let change = |id: &str| {
        format!(
            r#"{{"kind":"note","id":{id},"hlc":1,"base":null,"state":{{"id":{id},"title":"x"}}}}"#
        )
    };
    let push = |changes: &str| {
        format!(r#"{{"protocol":2,"origin":"{origin}","after":0,"upto":1,"changes":[{changes}]}}"#)
    };
    let too_many = (0..501)
        .map(|i| change(&format!("\"n{i}\"")))
        .collect::<Vec<_>>()
        .join(",");
    let deep = format!("{}1{}", "[".repeat(5_000), "]".repeat(5_000));
    let many_hashes = format!(
        r#"{{"hashes":[{}]}}"#,
        vec![format!("\"{}\"", "a".repeat(64)); 1_001].join(",")
    );
    let cases: Vec<(&str, String, String, u16)> = vec![
        ("POST", "/v1/push".into(), "{not json".into(), 400),
        ("POST", "/v1/push".into(), push(&too_many), 400),
        (
            "POST",
            "/v1/push".into(),
            push(&change("\"a\\u0000b\"")),
            400,
        ),
        (
            "POST",
            "/v1/push".into(),
            push(&change(&format!("\"{}\"", "x".repeat(201)))),
            400,
        ),
        ("POST", "/v1/push".into(), push(&change("\"n 1\"")), 400),
        ("POST", "/v1/push".into(), push(&deep), 400),
        (
            "POST",
            "/v1/push".into(),
            push("").replace(origin, "../../etc/passwd"),
            400,
        ),
        (
            "POST",
            "/v1/push".into(),
            push(&change("\"n1\"")).replace(r#""protocol":2"#, r#""protocol":99"#),
            400,
        ),
        ("GET", "/v1/pull?since=abc".into(), String::new(), 400),
        ("POST", "/v1/blobs/missing".into(), many_hashes, 400),
        (
            "POST",
            "/v1/blobs/missing".into(),
            r#"{"hashes":["../x"]}"#.into(),
            400,
        ),
        (
            "PUT",
            format!("/v1/blobs/{}", "0".repeat(64)),
            "not those bytes".into(),
            400,
        ),
        ("PUT", "/v1/blobs/..%2F..%2Fx".into(), "x".into(), 400),
        ("GET", "/v1/blobs/not-a-hash".into(), String::new(), 400),
    ];
    for (method, path, body, status) in &cases {
        let (got, answer) = hub.request(method, path, &t, body);
        assert_eq!(got, *status, "{method} {path}: {answer}");
    }
    // The hub's own answers are `{code, message}`.
    let (_, answer) = hub.request("POST", "/v1/push", &t, &push(&too_many));
    let e: Value = serde_json::from_str(&answer).expect("JSON error");
    assert_eq!(e["code"], "invalid_input", "{answer}");
    // Nothing was written, and the hub still answers.
    assert_eq!(pg.query("team", "SELECT count(*) FROM change"), "0");
    assert_eq!(pg.query("team", "SELECT count(*) FROM blob"), "0");
    let (status, body) = hub.request("GET", "/v1/hello", &t, "");
    assert_eq!(status, 200, "{body}");
}

/// A hub with a certificate serves HTTPS (on any address); a notebook trusts it
/// only through the team's own authority given at join, which is kept for
/// later syncs; a connection that never finishes its handshake holds up nobody.
#[test]
fn a_hub_with_a_certificate_serves_tls_and_notebooks_trust_the_teams_authority() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let out = support::hub(&["migrate", "--database", &db]);
    assert!(out.status.success());
    let certs = tempfile::tempdir().unwrap();
    support::make_certificates(certs.path(), "Dossier test team CA");
    let other = tempfile::tempdir().unwrap();
    support::make_certificates(other.path(), "Someone else's CA");
    let file = |dir: &tempfile::TempDir, name: &str| dir.path().join(name).display().to_string();
    let (cert, key, ca) = (
        file(&certs, "hub.pem"),
        file(&certs, "hub.key"),
        file(&certs, "ca.pem"),
    );

    // Without TLS, only loopback; with it, any address.
    let out = support::hub(&["serve", "--database", &db, "--listen", "0.0.0.0:0"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--tls-cert"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wide = Hub::serve_with(&db, "0.0.0.0:0", &["--tls-cert", &cert, "--tls-key", &key]);
    assert!(wide.url.starts_with("https://0.0.0.0:"), "{}", wide.url);
    drop(wide);
    // A key that is not the certificate's is refused with both files named.
    let out = support::hub(&[
        "serve",
        "--database",
        &db,
        "--tls-cert",
        &cert,
        "--tls-key",
        &file(&other, "hub.key"),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("do not make a TLS identity"));

    let hub = Hub::serve_with(
        &db,
        "127.0.0.1:0",
        &["--tls-cert", &cert, "--tls-key", &key],
    );
    let url = hub.url.clone();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let ta = token(&db, "ann", "analyst");
    let tb = token(&db, "bo", "analyst");

    // A client that connects and never says a word does not hold up the others.
    let silent = std::net::TcpStream::connect(url.trim_start_matches("https://")).unwrap();

    let a = Notebook::new("ann");
    // Not signed by a public authority: refused, with the way out named.
    let out = a.run(&["--json", "team", "join", &url, "--token", &ta]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "unreachable", "{err}");
    assert!(
        err["error"]["message"].as_str().unwrap().contains("--ca"),
        "{err}"
    );
    // Another team's authority does not vouch for this hub either.
    assert_eq!(
        a.fails(&[
            "team",
            "join",
            &url,
            "--token",
            &ta,
            "--ca",
            &file(&other, "ca.pem")
        ]),
        "unreachable"
    );
    // A key is not a certificate authority.
    assert_eq!(
        a.fails(&["team", "join", &url, "--token", &ta, "--ca", &key]),
        "invalid_input"
    );
    let joined = a.ok(&["team", "join", &url, "--token", &ta, "--ca", &ca]);
    assert_eq!(joined["url"], url.as_str());
    a.ok(&["import", &fixture("trilingual.html")]);
    let article = article_id(&a, "zh");
    a.ok(&[
        "claim",
        "add",
        &article,
        "--quote",
        "die Transparenz endet oft an der Datengrenze",
        "--code",
        "Transparency/Training-data disclosure",
    ]);
    let r = a.sync();
    assert!(r["pushed"].as_u64().unwrap() >= 2, "{r}");
    // The authority is kept with the link: later syncs need no --ca.
    assert_eq!(a.sync()["pushed"], 0);

    let b = Notebook::new("bo");
    b.ok(&["team", "join", &url, "--token", &tb, "--ca", &ca]);
    let r = b.sync();
    assert!(r["pulled"].as_u64().unwrap() >= 2, "{r}");
    assert_eq!(claims_of(&b).len(), 1);
    assert_eq!(
        a.ok(&["show", &article])["sha256"],
        b.ok(&["show", &article])["sha256"]
    );
    b.check();
    drop(silent);
}

/// `sync --verify` compares every entity the team holds with the notebook's by
/// hash: a notebook changed behind Dossier's back (a fault no sync would see,
/// since nothing was logged) is found, `--repair` sets it to the team's state,
/// and nothing is pushed for it.
#[test]
fn sync_verify_finds_a_notebook_that_drifted_and_repairs_it() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let a = Notebook::new("ann");
    a.ok(&["import", &fixture("trilingual.html")]);
    let article = article_id(&a, "zh");
    a.ok(&[
        "claim",
        "add",
        &article,
        "--quote",
        "die Transparenz endet oft an der Datengrenze",
        "--code",
        "Transparency/Training-data disclosure",
    ]);
    a.join(&hub, &token(&db, "ann", "analyst"));
    a.sync();
    let b = Notebook::new("bo");
    b.join(&hub, &token(&db, "bo", "analyst"));
    b.sync();

    let clean = b.ok(&["sync", "--verify"]);
    let v = &clean["verify"];
    assert!(v["checked"].as_u64().unwrap() >= 2, "{clean}");
    assert_eq!(v["checked"], v["same"], "{clean}");
    assert_eq!(v["divergent"], serde_json::json!([]));

    // The fault: Bo's copy of the article changed with no log and no outbox row.
    let title = b.ok(&["show", &article])["title"].clone();
    let conn = rusqlite::Connection::open(b.dir.path().join("notebook.sqlite")).unwrap();
    conn.execute(
        "UPDATE article SET title = 'Verfälscht' WHERE id = ?1",
        [&article],
    )
    .unwrap();
    drop(conn);
    assert_eq!(b.sync()["pushed"], 0, "a sync cannot see it");
    let found = b.ok(&["sync", "--verify"]);
    assert_eq!(
        found["verify"]["divergent"],
        serde_json::json!([{ "kind": "article", "id": article, "what": "differs" }]),
        "{found}"
    );
    assert_eq!(found["verify"]["repaired"], 0);

    let repaired = b.ok(&["sync", "--verify", "--repair"]);
    assert_eq!(repaired["verify"]["repaired"], 1, "{repaired}");
    assert_eq!(b.ok(&["show", &article])["title"], title);
    let again = b.ok(&["sync", "--verify"]);
    assert_eq!(
        again["verify"]["divergent"],
        serde_json::json!([]),
        "{again}"
    );
    assert_eq!(again["pushed"], 0, "a repair is not a change to push");
    assert_eq!(a.sync()["pulled"], 0);
    b.check();
}

/// Others reply to a claim with relations and verdicts of their own: they travel
/// to the claim's analyst, belong to whoever made them (the hub refuses anyone
/// else's change and the notebook puts its copy back), and a deleted one goes.
#[test]
fn relations_and_verdicts_reply_to_a_claim_across_the_team() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let a = Notebook::new("ann");
    let b = Notebook::new("bo");
    a.ok(&["import", &fixture("trilingual.html")]);
    let article = article_id(&a, "zh");
    let hers = a.ok(&["claim", "add", &article, "--quote", "Exportkontrollen"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    a.join(&hub, &token(&db, "ann", "analyst"));
    b.join(&hub, &token(&db, "bo", "analyst"));
    a.sync();
    b.sync();

    // Bo marks a claim of his own that contradicts Ann's, and disputes hers with it as evidence.
    let his = b.ok(&[
        "claim",
        "add",
        &article,
        "--quote",
        "die Transparenz endet oft an der Datengrenze",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let relation = b.ok(&[
        "relation",
        "add",
        &his,
        &hers,
        "--type",
        "contradicts",
        "--comment",
        "Bo: the data says otherwise",
    ]);
    let relation_id = relation["id"].as_str().unwrap().to_string();
    b.ok(&[
        "claim",
        "verdict",
        &hers,
        "disputed",
        "--note",
        "contradicted by the data",
        "--evidence",
        &format!("claim:{his}"),
    ]);
    let r = b.sync();
    assert_eq!(r["conflicts"], 0, "{r} {}", b.ok(&["team", "conflicts"]));
    let r = a.sync();
    assert!(r["pulled"].as_u64().unwrap() >= 3, "{r}");

    // On Ann's machine: Bo's claim, his relation to hers, and her claim disputed by Bo.
    let rels = a.ok(&["relation", "list", &hers]);
    let rels = rels.as_array().unwrap();
    assert_eq!(rels.len(), 1, "{rels:?}");
    assert_eq!(rels[0]["id"], relation_id.as_str());
    assert_eq!(rels[0]["kind"], "contradicts");
    assert_eq!(rels[0]["analyst"], "bo");
    let claim = claims_of(&a)
        .into_iter()
        .find(|c| c["id"] == hers.as_str())
        .unwrap();
    assert_eq!(claim["verdict"], "disputed", "{claim}");
    let history = a.ok(&["claim", "history", &hers]);
    assert!(
        history.to_string().contains("contradicted by the data"),
        "{history}"
    );
    assert_eq!(
        a.ok(&["team", "status"])["pending"],
        0,
        "nothing of Bo's is pushed back"
    );
    assert_eq!(a.sync()["pushed"], 0);

    // Ann answers with a verdict of her own: the latest verdict is the claim's, on both machines.
    a.ok(&[
        "claim",
        "verdict",
        &hers,
        "supported",
        "--note",
        "the report's table backs it",
    ]);
    a.sync();
    b.sync();
    let on_b = claims_of(&b)
        .into_iter()
        .find(|c| c["id"] == hers.as_str())
        .unwrap();
    assert_eq!(on_b["verdict"], "supported", "{on_b}");

    // Ann takes her verdict back (undo): the entry goes from the team's record and from Bo's
    // notebook, and the claim's verdict is Bo's again; redone, it comes back.
    let undone = a.ok(&["undo"]);
    assert!(undone.to_string().contains("claim"), "{undone}");
    let verdict_on_b = |b: &Notebook| {
        claims_of(b)
            .into_iter()
            .find(|c| c["id"] == hers.as_str())
            .unwrap()["verdict"]
            .clone()
    };
    assert_eq!(a.sync()["conflicts"], 0);
    b.sync();
    assert_eq!(verdict_on_b(&b), "disputed");
    let verdicts = b.ok(&["claim", "history", &hers])["verdicts"].clone();
    assert_eq!(
        verdicts.as_array().unwrap().len(),
        1,
        "only Bo's: {verdicts}"
    );
    a.ok(&["redo"]);
    a.sync();
    b.sync();
    assert_eq!(verdict_on_b(&b), "supported");

    // Ann cannot delete Bo's relation: refused, and her copy comes back.
    a.ok(&["relation", "delete", &relation_id]);
    let r = a.sync();
    assert_eq!(r["conflicts"], 1, "{r}");
    assert_eq!(
        a.ok(&["relation", "list", &hers]).as_array().unwrap().len(),
        1
    );
    // Bo can: it goes from Ann's notebook too.
    b.ok(&["relation", "delete", &relation_id]);
    b.sync();
    a.sync();
    assert!(a
        .ok(&["relation", "list", &hers])
        .as_array()
        .unwrap()
        .is_empty());
    for nb in [&a, &b] {
        nb.check();
        let v = nb.ok(&["sync", "--verify"]);
        assert_eq!(v["verify"]["divergent"], serde_json::json!([]), "{v}");
    }
}

/// A Markdown article with front matter, written into `dir`.
fn write_article(dir: &std::path::Path, name: &str, title: &str, date: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("---\ntitle: {title}\ndate: {date}\n---\n\n# {title}\n\n{body}\n"),
    )
    .unwrap();
    path.to_string_lossy().into_owned()
}

fn strings(list: &Value) -> Vec<String> {
    let mut all: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    all.sort();
    all
}

fn ids_of(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_notebook_pulls_only_its_scope_and_the_rest_on_demand() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let files = tempfile::tempdir().unwrap();
    let a = Notebook::new("ann");
    let qwen = write_article(
        files.path(),
        "qwen.md",
        "Qwen releases open weights",
        "2024-09-19",
        "Alibaba published the Qwen weights under an open licence, but not the training data.",
    );
    let ernie = write_article(
        files.path(),
        "ernie.md",
        "ERNIE und die Exportkontrollen",
        "2023-03-16",
        "Baidu trainiert ERNIE auf Chips, die unter die Exportkontrollen fallen.",
    );
    let hunyuan = write_article(
        files.path(),
        "hunyuan.md",
        "腾讯混元大模型",
        "2022-11-01",
        "腾讯发布了混元大模型，但没有公开训练数据的来源。",
    );
    let imported = a.ok(&["import", &qwen, &ernie, &hunyuan]);
    let id_of = |title_start: &str| -> String {
        imported
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["title"].as_str().unwrap().starts_with(title_start))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (q, e, h) = (id_of("Qwen"), id_of("ERNIE"), id_of("腾讯"));
    for code in ["Trust/Open weights", "Export controls"] {
        a.ok(&["codes", "add", code]);
    }
    a.ok(&[
        "claim",
        "add",
        &q,
        "--quote",
        "not the training data",
        "--code",
        "Trust/Open weights",
    ]);
    let ernie_claim = a.ok(&[
        "claim",
        "add",
        &e,
        "--quote",
        "Exportkontrollen",
        "--code",
        "Export controls",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    a.ok(&[
        "claim",
        "verdict",
        &ernie_claim,
        "supported",
        "--note",
        "BIS list",
    ]);
    a.join(&hub, &token(&db, "ann", "analyst"));
    a.sync();

    // Bo sets his scope before his first sync, by a code he does not have yet.
    let b = Notebook::new("bo");
    b.join(&hub, &token(&db, "bo", "analyst"));
    let status = b.ok(&["team", "scope", "--code", "Trust"]);
    assert_eq!(
        status["scope"]["codes"],
        serde_json::json!(["Trust"]),
        "{status}"
    );
    b.sync();
    assert_eq!(
        ids_of(&b.ok(&["articles"])),
        vec![q.clone()],
        "only Qwen is coded Trust"
    );
    let stubs = b.ok(&["team", "stubs"]);
    assert_eq!(ids_of(&stubs), {
        let mut v = vec![e.clone(), h.clone()];
        v.sort();
        v
    });
    let ernie_stub = stubs
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == e.as_str())
        .unwrap();
    assert_eq!(ernie_stub["title"], "ERNIE und die Exportkontrollen");
    assert_eq!(ernie_stub["published"], "2023-03-16");
    assert_eq!(ernie_stub["claims"], 1, "Ann's claim waits for it");
    let status = b.ok(&["team", "status"]);
    assert_eq!(status["not_pulled"], 2, "{status}");
    // What is not pulled is not searched, not exported, not checked: it is not here.
    assert_eq!(claims_of(&b).len(), 1);
    let hits = b.ok(&["search", "Exportkontrollen"]);
    assert!(hits.to_string().find(&e).is_none(), "{hits}");
    b.check();
    let v = b.ok(&["sync", "--verify"]);
    assert_eq!(v["verify"]["divergent"], serde_json::json!([]), "{v}");
    assert!(
        v["verify"]["not_pulled"].as_u64().unwrap() >= 4,
        "two articles, a claim, a verdict: {v}"
    );

    // On demand: ERNIE comes whole, with Ann's claim and its verdict, and its original.
    let r = b.ok(&["team", "pull", &e]);
    assert_eq!(r["pulled"], 1, "{r}");
    assert_eq!(ids_of(&b.ok(&["articles"])).len(), 2);
    let claim = claims_of(&b)
        .into_iter()
        .find(|c| c["id"] == ernie_claim.as_str())
        .unwrap();
    assert_eq!(claim["verdict"], "supported", "{claim}");
    assert_eq!(claim["codes"], serde_json::json!(["Export controls"]));
    let sha = b.ok(&["show", &e])["sha256"].as_str().unwrap().to_string();
    assert!(
        b.dir.path().join("sources").join(&sha).exists(),
        "its original is here"
    );
    let hits = b.ok(&["search", "Exportkontrollen"]);
    assert!(
        hits.to_string().contains(&e),
        "searched once pulled: {hits}"
    );
    assert_eq!(
        b.fails(&["team", "pull", &e]),
        "invalid_input",
        "here already"
    );
    assert_eq!(b.fails(&["team", "pull", "no-such-article"]), "not_found");

    // Ann codes Hunyuan under a new code below Trust: Bo's next sync pulls it by itself.
    a.ok(&["codes", "add", "Trust/Data provenance"]);
    a.ok(&[
        "claim",
        "add",
        &h,
        "--quote",
        "没有公开训练数据的来源",
        "--code",
        "Trust/Data provenance",
    ]);
    a.sync();
    b.sync();
    assert_eq!(ids_of(&b.ok(&["team", "stubs"])), Vec::<String>::new());
    assert_eq!(ids_of(&b.ok(&["articles"])).len(), 3);
    assert_eq!(claims_of(&b).len(), 3);
    b.check();

    // A reader who reads 2023 only; then everything.
    let c = Notebook::new("cy");
    c.join(&hub, &token(&db, "cy", "reader"));
    c.ok(&["team", "scope", "--from", "2023-01", "--to", "2023-12-31"]);
    c.sync();
    assert_eq!(ids_of(&c.ok(&["articles"])), vec![e.clone()]);
    assert_eq!(ids_of(&c.ok(&["team", "stubs"])).len(), 2);
    assert_eq!(
        c.fails(&["team", "scope", "--from", "2024", "--to", "2023"]),
        "invalid_input"
    );
    assert_eq!(
        c.fails(&["team", "scope", "--from", "last spring"]),
        "invalid_input"
    );
    // Ann deletes Qwen: its stub goes from Cy's list with what was held for it.
    a.ok(&["delete", &q]);
    a.sync();
    c.sync();
    assert_eq!(ids_of(&c.ok(&["team", "stubs"])), vec![h.clone()]);
    let status = c.ok(&["team", "scope", "--all"]);
    assert!(status["scope"].is_null(), "{status}");
    let r = c.sync();
    assert!(r["pulled"].as_u64().unwrap() >= 1, "{r}");
    let mut all = vec![e.clone(), h.clone()];
    all.sort();
    assert_eq!(ids_of(&c.ok(&["articles"])), all);
    assert_eq!(c.ok(&["team", "status"])["not_pulled"], 0);
    c.check();
    let v = c.ok(&["sync", "--verify"]);
    assert_eq!(v["verify"]["divergent"], serde_json::json!([]), "{v}");
    assert_eq!(v["verify"]["not_pulled"], 0, "{v}");
}

#[test]
fn attributes_sets_and_saved_searches_travel_merge_and_scope_a_pull() {
    let pg = Postgres::start();
    let db = pg.database("team");
    let hub = Hub::start(&db);
    let files = tempfile::tempdir().unwrap();
    let a = Notebook::new("ann");
    let paths = [
        write_article(
            files.path(),
            "q.md",
            "Qwen open weights",
            "2024-09-19",
            "Qwen weights are open.",
        ),
        write_article(
            files.path(),
            "e.md",
            "ERNIE und Exportkontrollen",
            "2023-03-16",
            "ERNIE trifft auf Exportkontrollen.",
        ),
        write_article(
            files.path(),
            "h.md",
            "混元",
            "2022-11-01",
            "混元没有公开训练数据。",
        ),
    ];
    let imported = a.ok(&["import", &paths[0], &paths[1], &paths[2]]);
    let id = |i: usize| imported[i]["id"].as_str().unwrap().to_string();
    let (q, e, h) = (id(0), id(1), id(2));
    a.ok(&["attribute", "define", "Outlet", "--type", "text"]);
    a.ok(&[
        "attribute",
        "define",
        "outlet_type",
        "--type",
        "choice",
        "--choices",
        "state media,company",
    ]);
    a.ok(&["attribute", "set", &q, "Outlet", "Alibaba Cloud blog"]);
    a.ok(&["attribute", "set", &q, "outlet_type", "company"]);
    a.ok(&["attribute", "set", &e, "outlet", "Xinhua"]);
    a.ok(&[
        "set",
        "add",
        "China-desk",
        "--description",
        "Articles the desk follows",
    ]);
    a.ok(&["set", "put", "china-desk", &e, &h]);
    a.ok(&["search", "Exportkontrollen", "--save", "export"]);
    a.join(&hub, &token(&db, "ann", "analyst"));
    a.sync();

    let b = Notebook::new("bo");
    b.join(&hub, &token(&db, "bo", "analyst"));
    b.sync();
    let values = b.ok(&["attributes", &q]);
    assert_eq!(
        values.to_string().matches("Alibaba Cloud blog").count(),
        1,
        "{values}"
    );
    assert!(values.to_string().contains("company"), "{values}");
    let defs = b.ok(&["attributes"]);
    assert!(
        defs.to_string().contains("state media"),
        "the choices travel: {defs}"
    );
    let mut members = strings(&b.ok(&["sets", "--set", "china-desk"]));
    members.sort();
    let mut want = vec![e.clone(), h.clone()];
    want.sort();
    assert_eq!(members, want);
    assert!(b
        .ok(&["sets"])
        .to_string()
        .contains("Articles the desk follows"));
    assert!(b.ok(&["searches"]).to_string().contains("Exportkontrollen"));

    // Both edit at once: Bo takes ERNIE out of the set while Ann puts Qwen in (both stay
    // decided per article), and both give Qwen's outlet a value (the later wins, the other is listed).
    b.ok(&["set", "remove", "China-desk", &e]);
    b.ok(&["attribute", "set", &q, "outlet", "Qwen team"]);
    a.ok(&["set", "put", "China-desk", &q]);
    a.ok(&["attribute", "set", &q, "Outlet", "Alibaba"]);
    b.sync();
    a.sync();
    b.sync();
    let mut want = vec![h.clone(), q.clone()];
    want.sort();
    for nb in [&a, &b] {
        let mut members = strings(&nb.ok(&["sets", "--set", "china-desk"]));
        members.sort();
        assert_eq!(members, want, "{}", nb.analyst);
    }
    let outlet = |nb: &Notebook| {
        nb.ok(&["attributes", &q])
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == "Outlet")
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(outlet(&a), "Alibaba", "Ann's edit came last");
    assert_eq!(outlet(&b), "Alibaba");
    let conflicts =
        a.ok(&["team", "conflicts"]).to_string() + &b.ok(&["team", "conflicts"]).to_string();
    assert!(
        conflicts.contains("Qwen team"),
        "the losing value is listed: {conflicts}"
    );
    // Bo removes the saved search; the attribute's definition changes on Ann's side.
    b.ok(&["searches", "--delete", "export"]);
    b.sync();
    a.sync();
    assert_eq!(a.ok(&["searches"]), serde_json::json!([]));

    // A reader who pulls only the desk's set, then also what Xinhua published.
    let c = Notebook::new("cy");
    c.join(&hub, &token(&db, "cy", "reader"));
    c.ok(&["team", "scope", "--set", "China-Desk"]);
    c.sync();
    let mut got = ids_of(&c.ok(&["articles"]));
    got.sort();
    assert_eq!(got, want, "the set's articles");
    assert_eq!(ids_of(&c.ok(&["team", "stubs"])), vec![e.clone()]);
    assert_eq!(
        c.fails(&["team", "scope", "--attribute", "outlet"]),
        "invalid_input"
    );
    let status = c.ok(&["team", "scope", "--attribute", "outlet=XINHUA"]);
    assert_eq!(
        status["scope"]["attributes"][0]["name"], "Outlet",
        "{status}"
    );
    c.sync();
    assert_eq!(ids_of(&c.ok(&["articles"])).len(), 3, "ERNIE is Xinhua's");
    assert_eq!(c.ok(&["team", "status"])["not_pulled"], 0);
    // Ann puts ERNIE back into the set: everyone has it there.
    a.ok(&["set", "put", "China-desk", &e]);
    a.sync();
    b.sync();
    c.sync();
    for nb in [&a, &b, &c] {
        assert_eq!(
            strings(&nb.ok(&["sets", "--set", "china-desk"])).len(),
            3,
            "{}",
            nb.analyst
        );
        let v = nb.ok(&["sync", "--verify"]);
        assert_eq!(
            v["verify"]["divergent"],
            serde_json::json!([]),
            "{}: {v}",
            nb.analyst
        );
        nb.check();
    }
    // Undone on Ann's side, the membership change travels too.
    a.ok(&["undo"]);
    a.sync();
    b.sync();
    assert_eq!(strings(&b.ok(&["sets", "--set", "china-desk"])).len(), 2);
}
