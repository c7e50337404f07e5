//! `--hub-latency URL TOKEN CLIENTS REQUESTS`: the team hub's latency under
//! concurrent clients (scripts/bench-team.sh). Each client is a thread with
//! its own connection (keep-alive) sending, in turn, what a syncing notebook
//! sends most: `GET /v1/hello` (authorisation and the team's head) and a
//! pull page of 100 changes from a random point of the log.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn get(agent: &ureq::Agent, url: &str, auth: &str) -> Vec<u8> {
    let mut resp = agent
        .get(url)
        .header("Authorization", auth)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert!(resp.status().is_success(), "GET {url}: {}", resp.status());
    resp.body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()
        .expect("answer")
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn summary(mut times: Vec<Duration>, wall: Duration) -> Value {
    times.sort();
    json!({
        "requests": times.len(),
        "p50_ms": percentile(&times, 0.50),
        "p99_ms": percentile(&times, 0.99),
        "max_ms": percentile(&times, 1.0),
        "per_second": times.len() as f64 / wall.as_secs_f64(),
    })
}

pub fn latency(url: &str, token: &str, clients: usize, requests: usize) -> Value {
    let url = url.trim_end_matches('/').to_string();
    let auth = format!("Bearer {token}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let hello: Value =
        serde_json::from_slice(&get(&agent, &format!("{url}/v1/hello"), &auth)).expect("hello");
    let head = hello["head"].as_i64().unwrap_or(0).max(1);
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let (url, auth) = (url.clone(), auth.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .timeout_global(Some(Duration::from_secs(120)))
                    .build()
                    .into();
                let (mut hellos, mut pulls) = (Vec::new(), Vec::new());
                // A small linear congruential sequence: the same points every run.
                let mut x = 1_234_567u64 + c as u64;
                for i in 0..requests {
                    let t = Instant::now();
                    if i % 2 == 0 {
                        get(&agent, &format!("{url}/v1/hello"), &auth);
                        hellos.push(t.elapsed());
                    } else {
                        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        let since = (x >> 33) as i64 % head;
                        get(
                            &agent,
                            &format!("{url}/v1/pull?since={since}&limit=100"),
                            &auth,
                        );
                        pulls.push(t.elapsed());
                    }
                }
                (hellos, pulls)
            })
        })
        .collect();
    let (mut hellos, mut pulls) = (Vec::new(), Vec::new());
    for t in threads {
        let (h, p) = t.join().expect("client thread");
        hellos.extend(h);
        pulls.extend(p);
    }
    let wall = started.elapsed();
    let mut all = hellos.clone();
    all.extend(pulls.iter().copied());
    json!({
        "clients": clients,
        "head": head,
        "hello": summary(hellos, wall),
        "pull_100": summary(pulls, wall),
        "all": summary(all, wall),
        "seconds": wall.as_secs_f64(),
    })
}
