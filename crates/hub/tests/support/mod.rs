//! A real PostgreSQL (Debian's packages: an `initdb` in a temporary folder,
//! run as the `postgres` user when the tests run as root, on a loopback
//! port), a real hub (`dossier-hub serve`) and real notebooks (`dossier`).

#![allow(dead_code)] // not every test binary uses every helper

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The folder of PostgreSQL's server programs: `$DOSSIER_PG_BIN`, else the
/// newest `/usr/lib/postgresql/N/bin` (Debian and Ubuntu put them there).
fn pg_bin() -> PathBuf {
    if let Ok(dir) = std::env::var("DOSSIER_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p).expect(
        "PostgreSQL's server is not installed: `apt-get install postgresql` \
         (scripts/setup.sh does it), or set DOSSIER_PG_BIN to the folder of initdb and pg_ctl",
    )
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A PostgreSQL server of the test's own, stopped when dropped.
pub struct Postgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    root: bool,
}

impl Postgres {
    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if self.root {
            // initdb and postgres refuse to run as root.
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    pub fn start() -> Postgres {
        let bin = pg_bin();
        let root = is_root();
        let dir = tempfile::tempdir().expect("temp dir");
        if root {
            let ok = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(dir.path())
                .status()
                .expect("chown")
                .success();
            assert!(ok, "chown to postgres failed");
        }
        let mut pg = Postgres {
            dir,
            bin,
            port: 0,
            root,
        };
        let data = pg.dir.path().join("data");
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .output()
            .expect("initdb runs");
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // A port taken between choosing and binding (another test's server) is tried again.
        for _ in 0..5 {
            pg.port = free_port();
            let opts = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                pg.port,
                pg.dir.path().display()
            );
            let out = pg
                .command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-o", &opts, "-l"])
                .arg(pg.dir.path().join("log"))
                .args(["-w", "-t", "60", "start"])
                .output()
                .expect("pg_ctl runs");
            if out.status.success() {
                return pg;
            }
        }
        panic!(
            "PostgreSQL did not start: {}",
            std::fs::read_to_string(pg.dir.path().join("log")).unwrap_or_default()
        );
    }

    /// A new database; its URL.
    pub fn database(&self, name: &str) -> String {
        let out = self
            .command("createdb")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                name,
            ])
            .output()
            .expect("createdb runs");
        assert!(
            out.status.success(),
            "createdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// One value of a query, as psql prints it.
    pub fn query(&self, db: &str, sql: &str) -> String {
        let out = self
            .command("psql")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-At",
                "-d",
                db,
                "-c",
                sql,
            ])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

pub fn hub_exe() -> &'static str {
    env!("CARGO_BIN_EXE_dossier-hub")
}

/// The `dossier` binary of the same build (`cargo build --workspace` makes it).
pub fn dossier_exe() -> PathBuf {
    let exe =
        Path::new(hub_exe()).with_file_name(format!("dossier{}", std::env::consts::EXE_SUFFIX));
    assert!(
        exe.exists(),
        "{} is missing: build the workspace first (cargo build --workspace)",
        exe.display()
    );
    exe
}

pub fn hub(args: &[&str]) -> Output {
    Command::new(hub_exe())
        .args(args)
        .output()
        .expect("dossier-hub runs")
}

/// `dossier-hub token add NAME --role ROLE`; the token.
pub fn token(db: &str, name: &str, role: &str) -> String {
    let out = hub(&[
        "token",
        "add",
        name,
        "--role",
        role,
        "--database",
        db,
        "--json",
    ]);
    assert!(
        out.status.success(),
        "token add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["name"], name);
    assert_eq!(v["role"], role);
    v["token"].as_str().expect("a token").to_string()
}

/// A running hub, killed when dropped.
pub struct Hub {
    child: Child,
    pub url: String,
    pub db: String,
}

impl Hub {
    /// Migrates `db` and serves it on a free loopback port.
    pub fn start(db: &str) -> Hub {
        let out = hub(&["migrate", "--database", db]);
        assert!(
            out.status.success(),
            "migrate: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Hub::serve(db, "127.0.0.1:0")
    }

    pub fn serve(db: &str, listen: &str) -> Hub {
        Hub::serve_with(db, listen, &[])
    }

    /// `serve` with more arguments (`--tls-cert F --tls-key F`).
    pub fn serve_with(db: &str, listen: &str, more: &[&str]) -> Hub {
        let mut child = Command::new(hub_exe())
            .args(["serve", "--database", db, "--listen", listen])
            .args(more)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("dossier-hub serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the hub says it is ready");
        let url = line
            .trim()
            .strip_prefix("dossier-hub: serving ")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_string();
        Hub {
            child,
            url,
            db: db.to_string(),
        }
    }

    /// The hub killed with SIGKILL (no shutdown of its own).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// One raw HTTP request; the status code and the body.
    pub fn request(&self, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
        let addr = self.url.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).ok();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("write");
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("read");
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A notebook of one analyst.
pub struct Notebook {
    pub dir: tempfile::TempDir,
    pub analyst: String,
}

impl Notebook {
    pub fn new(analyst: &str) -> Notebook {
        let nb = Notebook {
            dir: tempfile::tempdir().expect("temp dir"),
            analyst: analyst.to_string(),
        };
        nb.ok(&["init"]);
        nb
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(dossier_exe())
            .arg("--notebook")
            .arg(self.dir.path())
            .args(args)
            .env("DOSSIER_ANALYST", &self.analyst)
            .env_remove("DOSSIER_TEAM_TOKEN")
            .output()
            .expect("dossier runs")
    }

    /// Runs with `--json`, expects success, parses stdout.
    pub fn ok(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "{} {args:?} failed: {}",
            self.analyst,
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Runs with `--json`, expects failure; the error's code.
    pub fn fails(&self, args: &[&str]) -> String {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(!out.status.success(), "{args:?} should fail");
        let v: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
            panic!(
                "{args:?}: error not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        v["error"]["code"].as_str().unwrap_or_default().to_string()
    }

    pub fn join(&self, hub: &Hub, token: &str) -> Value {
        self.ok(&["team", "join", &hub.url, "--token", token])
    }

    pub fn sync(&self) -> Value {
        self.ok(&["sync"])
    }

    pub fn check(&self) {
        let out = self.run(&["check"]);
        assert!(
            out.status.success(),
            "check of {}'s notebook: {}{}",
            self.analyst,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A team's own certificate authority and a hub certificate it signed for
/// 127.0.0.1 and localhost, made by `openssl` in `dir`: `ca.pem`, `hub.pem`,
/// `hub.key`. `name` tells two authorities apart.
pub fn make_certificates(dir: &Path, name: &str) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs (Debian package openssl)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let subject = format!("/CN={name}");
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", &subject,
    ]);
    ca.extend(["-addext", "basicConstraints=critical,CA:TRUE"]);
    ca.extend(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    openssl(&ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "hub.key",
        "-out",
        "hub.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(&csr);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n\
         keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write ext.cnf");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "hub.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "hub.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
}

/// The fixtures of the ingest crate: real German/Chinese/English documents.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ingest/tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Waits until `f` holds (a server's log line, say), at most `secs`.
pub fn wait_for(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}
