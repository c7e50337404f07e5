//! Running an extractor in a child process, so that a hostile file which
//! makes a parser panic, abort, overflow its stack or loop costs only that
//! child: the caller gets a clear per-file error and carries on.
//!
//! The child is the calling program itself, started with `SANDBOX_ARG`: every
//! binary that imports (the CLI, the desktop app) calls `serve_if_requested()`
//! first thing in `main`. The child reads the file from stdin and writes the
//! JSON result to stdout. It gets a deadline and a memory limit: on every OS
//! its heap is capped by the binary's global allocator (`Heap`, which the child
//! caps at `MEMORY_LIMIT_BYTES` before it reads anything: an allocation past it
//! aborts the child, not the caller), and on Linux its whole address space too
//! (through `prlimit`, which also counts memory maps and stacks), and on
//! Windows its committed memory and CPU time (a Job Object, `dossier_confine`).
//! The child never outlives its work: it ends itself past twice the deadline
//! and, on Unix, as soon as its parent is gone (killed while it read a file);
//! on Windows the Job Object ends it with its parent.
//! A program that has no such hook (a test binary)
//! can name a helper with `DOSSIER_EXTRACT_EXE`; without one, extraction runs
//! in-process, still guarded by `catch_unwind` on a thread with a large stack.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use dossier_model::{Error, ErrorCode, PageRect, Result};

use crate::Extracted;

pub const SANDBOX_ARG: &str = "__dossier-extract";
/// How long a child may take for one file.
pub const DEADLINE: Duration = Duration::from_secs(60);
/// The child's memory limit: its heap everywhere, its address space on Linux,
/// its committed memory on Windows.
pub const MEMORY_LIMIT_BYTES: u64 = 2 << 30;

static SERVES: AtomicBool = AtomicBool::new(false);

/// The second argument that asks the child to draw regions of a PDF
/// (`render::crop_regions_unisolated`) instead of extracting a file.
const CROP_MODE: &str = "--crop";

#[derive(serde::Serialize, serde::Deserialize)]
enum Reply {
    Ok(Box<Extracted>),
    Err(Error),
    /// Each region's PNG, base64, or `None` where it could not be drawn.
    Crops(Vec<Option<String>>),
}

/// The global allocator every binary that imports declares, so that the
/// extraction child can cap its own heap on Windows and macOS as on Linux:
/// `#[global_allocator] static HEAP: Heap = Heap::new(std::alloc::System, usize::MAX);`
/// (it counts allocations and refuses one past its limit, which is unlimited
/// except in the child).
pub type Heap = cap::Cap<std::alloc::System>;

/// When this process was started as an extraction child, caps its heap, does
/// the work and exits; otherwise records that this program can serve as one,
/// and returns. `heap` is the binary's global allocator.
pub fn serve_if_requested(heap: &Heap) {
    let mut args = std::env::args();
    if args.nth(1).as_deref() != Some(SANDBOX_ARG) {
        SERVES.store(true, Ordering::Relaxed);
        return;
    }
    // `DOSSIER_EXTRACT_HEAP_MB` can only lower the cap (the tests prove it bites).
    let lowered = std::env::var("DOSSIER_EXTRACT_HEAP_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(|mb| mb << 20);
    let limit = lowered.map_or(MEMORY_LIMIT_BYTES, |l| l.min(MEMORY_LIMIT_BYTES));
    let _ = heap.set_limit(usize::try_from(limit).unwrap_or(usize::MAX));
    watch_parent();
    let name = args.next().unwrap_or_default();
    let mut bytes = Vec::new();
    let reply = match std::io::stdin()
        .take(crate::MAX_FILE_BYTES + MAX_REGIONS_JSON + 9)
        .read_to_end(&mut bytes)
    {
        Ok(_) if name == CROP_MODE => crop_request(&bytes),
        Ok(_) => match crate::extract_unisolated(&bytes, &name) {
            Ok(x) => Reply::Ok(Box::new(x)),
            Err(e) => Reply::Err(e),
        },
        Err(e) => Reply::Err(Error::io("reading the file from the parent", e)),
    };
    let out = serde_json::to_vec(&reply).unwrap_or_default();
    let _ = std::io::stdout().write_all(&out);
    let _ = std::io::stdout().flush();
    std::process::exit(0);
}

/// The largest list of regions a crop request carries (JSON).
const MAX_REGIONS_JSON: u64 = 1 << 20;

/// A crop request on stdin: the regions' JSON length (8 bytes, little-endian),
/// the regions, then the PDF.
fn crop_input(bytes: &[u8], regions: &[PageRect]) -> Vec<u8> {
    let json = serde_json::to_vec(regions).unwrap_or_default();
    let mut input = Vec::with_capacity(8 + json.len() + bytes.len());
    input.extend_from_slice(&(json.len() as u64).to_le_bytes());
    input.extend_from_slice(&json);
    input.extend_from_slice(bytes);
    input
}

fn crop_request(input: &[u8]) -> Reply {
    let bad = || {
        Reply::Err(Error::new(
            ErrorCode::InvalidInput,
            "a malformed crop request",
        ))
    };
    let Some((len, rest)) = input.split_first_chunk::<8>() else {
        return bad();
    };
    let len = u64::from_le_bytes(*len);
    if len > MAX_REGIONS_JSON || len as usize > rest.len() {
        return bad();
    }
    let (json, pdf) = rest.split_at(len as usize);
    let Ok(regions) = serde_json::from_slice::<Vec<PageRect>>(json) else {
        return bad();
    };
    match crate::render::crop_regions_unisolated(pdf, &regions) {
        Ok(crops) => Reply::Crops(
            crops
                .into_iter()
                .map(|c| c.map(|png| STANDARD.encode(png)))
                .collect(),
        ),
        Err(e) => Reply::Err(e),
    }
}

/// Draws `regions` of the PDF `bytes` as PNG images (base64) in a child process
/// when one is available (in-process, guarded, otherwise): a region that could
/// not be drawn is `None`; a file that cannot be opened, or a child that
/// crashed or ran past the deadline, is an error.
pub fn crop_isolated(
    bytes: &[u8],
    name: &str,
    regions: &[PageRect],
) -> Result<Vec<Option<String>>> {
    let input = crop_input(bytes, regions);
    let reply = match helper() {
        Some(exe) => run_child(&exe, CROP_MODE, input, name)?,
        None => guarded(name, move || crop_request(&input))?,
    };
    match reply {
        Reply::Crops(c) => Ok(c),
        Reply::Err(e) => Err(e),
        Reply::Ok(_) => Err(failed(
            name,
            "the page renderer gave no usable result".into(),
        )),
    }
}

/// In the child: a thread that ends the process when its parent is gone (Unix:
/// the child was re-parented) or when it has run for twice the deadline, after
/// which the parent stopped waiting for it anyway.
fn watch_parent() {
    let started = Instant::now();
    #[cfg(unix)]
    let parent = std::os::unix::process::parent_id();
    let _ = std::thread::Builder::new()
        .name("parent-watch".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            #[cfg(unix)]
            if std::os::unix::process::parent_id() != parent {
                std::process::exit(3);
            }
            if started.elapsed() > DEADLINE * 2 {
                std::process::exit(4);
            }
        });
}

fn helper() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("DOSSIER_EXTRACT_EXE").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    SERVES
        .load(Ordering::Relaxed)
        .then(|| std::env::current_exe().ok())
        .flatten()
}

fn failed(name: &str, why: String) -> Error {
    Error::new(ErrorCode::Unsupported, format!("'{name}': {why}"))
}

/// Extracts `bytes` in a child process when one is available.
pub fn extract_isolated(bytes: &[u8], name: &str) -> Result<Extracted> {
    let Some(exe) = helper() else {
        return extract_guarded(bytes, name);
    };
    match run_child(&exe, name, bytes.to_vec(), name)? {
        Reply::Ok(x) => Ok(*x),
        Reply::Err(e) => Err(e),
        Reply::Crops(_) => Err(failed(name, "the reader gave no usable result".into())),
    }
}

/// Starts the child with `mode` (a file's name, or `CROP_MODE`), gives it
/// `input` and waits for its reply within the deadline.
fn run_child(exe: &std::path::Path, mode: &str, input: Vec<u8>, name: &str) -> Result<Reply> {
    let prlimit = std::path::Path::new("/usr/bin/prlimit");
    let mut cmd = if cfg!(target_os = "linux") && prlimit.exists() {
        let mut c = Command::new(prlimit);
        c.arg(format!("--as={MEMORY_LIMIT_BYTES}"))
            .arg("--")
            .arg(exe);
        c
    } else {
        Command::new(exe)
    };
    cmd.arg(SANDBOX_ARG)
        .arg(mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = dossier_confine::spawn(&mut cmd)
        .map_err(|e| Error::io("starting the extraction helper", e))?;
    // Before the child gets its input. Where the operating system refuses (an
    // old Windows without nested jobs), the child's own heap cap, its watch on
    // the parent and the deadline below still hold.
    let _confined = dossier_confine::confine(
        &child,
        dossier_confine::Limits {
            memory_bytes: MEMORY_LIMIT_BYTES,
            cpu_time: DEADLINE * 2,
        },
    );
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout)
            .take(crate::MAX_FILE_BYTES * 8)
            .read_to_end(&mut out);
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(Error::io("waiting for the extraction helper", e)),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(failed(
            name,
            format!(
                "reading the file took longer than {} s and was stopped",
                DEADLINE.as_secs()
            ),
        ));
    };
    match serde_json::from_slice::<Reply>(&out) {
        Ok(reply) => Ok(reply),
        Err(_) if !status.success() => Err(failed(
            name,
            "the file made the reader crash (it is damaged or hostile); nothing was imported"
                .into(),
        )),
        Err(_) => Err(failed(name, "the reader gave no usable result".into())),
    }
}

/// In-process fallback: a panic becomes an error; a deep recursion gets a large stack.
fn extract_guarded(bytes: &[u8], name: &str) -> Result<Extracted> {
    let bytes = bytes.to_vec();
    let owned = name.to_string();
    guarded(name, move || crate::extract_unisolated(&bytes, &owned))?
}

/// Runs `work` on a thread with a large stack; a panic becomes an error.
fn guarded<T: Send + 'static>(name: &str, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)))
        .map_err(|e| Error::io("starting the extraction thread", e))?;
    match handle.join() {
        Ok(Ok(result)) => Ok(result),
        _ => Err(failed(
            name,
            "the file made the reader fail (it is damaged or hostile); nothing was imported".into(),
        )),
    }
}
