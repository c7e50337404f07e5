//! Crash safety: the real `dossier` binary is killed with SIGKILL at random
//! moments during bulk imports, claim and note writes, claim edits and index
//! rebuilds. After every kill `dossier check` must pass (the index catches up
//! with SQLite), and every write that was acknowledged (the command printed
//! its result) must still be there. Ignored by default because it takes a
//! few minutes; `scripts/test.sh` runs it with DOSSIER_CRASH_KILLS=200 and
//! docs/RELIABILITY.md reports the figures.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;
use support::Runs;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn cmd(nb: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("--notebook").arg(nb).arg("--json").args(args);
    c.env("DOSSIER_ANALYST", "crash-test");
    c
}

fn json(nb: &Path, args: &[&str]) -> Value {
    let out = cmd(nb, args).run();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs `args`, kills it after `after` unless it finished; returns its JSON if it finished successfully.
fn run_and_maybe_kill(nb: &Path, args: &[String], after: Duration) -> (Option<Value>, bool) {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child =
        dossier_confine::spawn(cmd(nb, &refs).stdout(Stdio::piped()).stderr(Stdio::null()))
            .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let v = status
                .success()
                .then(|| serde_json::from_slice(&out.stdout).ok())
                .flatten();
            return (v, false);
        }
        if started.elapsed() >= after {
            child.kill().unwrap(); // SIGKILL on Unix
            let _ = child.wait();
            return (None, true);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
#[ignore = "minutes long; run by scripts/test.sh with DOSSIER_CRASH_KILLS"]
fn sigkill_at_random_moments_loses_no_acknowledged_write() {
    let kills: usize = std::env::var("DOSSIER_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let tmp = tempfile::tempdir().unwrap();
    let nb = tmp.path().join("crash.dossier");
    json(&nb, &["init", "--sample"]);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut articles: Vec<String> = json(&nb, &["articles"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let mut claims: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut edits: Vec<(String, String)> = Vec::new();
    let (mut killed, mut completed, mut iterations) = (0usize, 0usize, 0usize);
    let mut recovered = 0usize;
    let started = Instant::now();
    while killed < kills {
        iterations += 1;
        let i = iterations;
        let op = i % 5;
        let args: Vec<String> = match op {
            0 => {
                let dir: PathBuf = tmp.path().join(format!("batch{i}"));
                std::fs::create_dir_all(&dir).unwrap();
                for k in 0..12 {
                    std::fs::write(dir.join(format!("a{k}.md")), format!("# Artikel {i}-{k}\n\nQwen und Datenintegrität, Lauf {i}, Datei {k}.\n\n{}", "Transparenz braucht offene Daten. ".repeat(200))).unwrap();
                }
                vec!["import".into(), dir.display().to_string()]
            }
            1 | 3 if !articles.is_empty() => {
                let a = &articles[rng.below(articles.len() as u64) as usize];
                vec![
                    "claim".into(),
                    "add".into(),
                    a.clone(),
                    "--quote".into(),
                    "Qwen".into(),
                    "--code".into(),
                    "Trust".into(),
                    "--comment".into(),
                    format!("Lauf {i}"),
                ]
            }
            2 => vec![
                "note".into(),
                "add".into(),
                "--title".into(),
                format!("Notiz {i}"),
                "--body".into(),
                format!("Beobachtung {i} zu Qwen"),
            ],
            4 if !claims.is_empty() => {
                let c = &claims[rng.below(claims.len() as u64) as usize];
                vec![
                    "claim".into(),
                    "edit".into(),
                    c.clone(),
                    "--comment".into(),
                    format!("geändert {i}"),
                ]
            }
            _ => vec!["reindex".into()],
        };
        // Imports run longer; give the kill a chance to land anywhere in them.
        let window = if op == 0 { 1200 } else { 400 };
        let (result, was_killed) =
            run_and_maybe_kill(&nb, &args, Duration::from_millis(rng.below(window)));
        if was_killed {
            killed += 1;
        } else {
            completed += 1;
        }
        if let Some(v) = result {
            match args[0].as_str() {
                "import" => articles.extend(
                    v.as_array()
                        .unwrap()
                        .iter()
                        .filter_map(|o| o["id"].as_str().map(str::to_string)),
                ),
                "claim" if args[1] == "add" => claims.push(v["id"].as_str().unwrap().to_string()),
                "claim" => edits.push((args[2].clone(), args[4].clone())),
                "note" => notes.push(v["id"].as_str().unwrap().to_string()),
                _ => {}
            }
        }
        // After every kill: the notebook checks out (index caught up, sources whole).
        // A failing check is printed in full and repeated once: a second failure fails
        // the test; a pass on the repeat is counted and reported, never hidden.
        let check = cmd(&nb, &["check"]).run();
        if !check.status.success() {
            let first = format!(
                "{}{}",
                String::from_utf8_lossy(&check.stdout),
                String::from_utf8_lossy(&check.stderr)
            );
            eprintln!("check after iteration {i} ({args:?}, killed: {was_killed}) FAILED: {first}");
            recovered += 1;
            std::thread::sleep(Duration::from_millis(500));
            let again = cmd(&nb, &["check"]).run();
            assert!(
                again.status.success(),
                "after iteration {i} ({args:?}, killed: {was_killed}), twice: {first} / {}{}",
                String::from_utf8_lossy(&again.stdout),
                String::from_utf8_lossy(&again.stderr)
            );
        }
        if i % 10 == 0 || killed == kills {
            verify(&nb, &articles, &claims, &notes, &edits);
        }
    }
    verify(&nb, &articles, &claims, &notes, &edits);
    eprintln!(
        "crash harness: {iterations} operations, {killed} killed mid-way, {completed} completed; \
         {} articles, {} claims, {} notes, {} edits acknowledged and all present; \
         check passed after every operation ({recovered} only on the repeat); {:.0} s",
        articles.len(),
        claims.len(),
        notes.len(),
        edits.len(),
        started.elapsed().as_secs_f64()
    );
}

fn verify(
    nb: &Path,
    articles: &[String],
    claims: &[String],
    notes: &[String],
    edits: &[(String, String)],
) {
    let ids = |v: Value| -> std::collections::HashSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    let have_articles = ids(json(nb, &["articles"]));
    let all_claims = json(nb, &["claims"]);
    let have_claims = ids(all_claims.clone());
    let have_notes = ids(json(nb, &["notes"]));
    for a in articles {
        assert!(have_articles.contains(a), "acknowledged article {a} lost");
    }
    for c in claims {
        assert!(have_claims.contains(c), "acknowledged claim {c} lost");
    }
    for n in notes {
        assert!(have_notes.contains(n), "acknowledged note {n} lost");
    }
    // The last acknowledged edit of each claim is what the claim says now.
    let mut last: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for (id, comment) in edits {
        last.insert(id, comment);
    }
    for (id, comment) in last {
        let c = all_claims
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        let now = c["comment"].as_str().unwrap_or("");
        // A later, killed edit may have committed before the kill: then it is newer, never older.
        let n_now: usize = now
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let n_ack: usize = comment
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(
            n_now >= n_ack,
            "claim {id}: acknowledged edit '{comment}' lost (now '{now}')"
        );
    }
}
