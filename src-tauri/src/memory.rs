//! Gives freed heap back to the operating system once the app goes quiet, and
//! sizes the web view's script heaps for a desktop app (`size_script_heaps`).
//!
//! Commands run on a pool of threads, and glibc keeps what each thread frees in
//! that thread's arena instead of returning it: after the window's first lists
//! (thousands of articles serialised for the page) and after every large import
//! or export, several megabytes stay mapped while the app sits idle (measured:
//! 4 MB of the idle app on a 5 000-article notebook). A few seconds after the
//! last command, `malloc_trim` returns them. Elsewhere this does nothing.

use std::sync::atomic::{AtomicU64, Ordering};

static COMMANDS_DONE: AtomicU64 = AtomicU64::new(0);

/// Records that a command (or the opening of a notebook) has finished.
pub fn work_done() {
    COMMANDS_DONE.fetch_add(1, Ordering::Relaxed);
}

/// The memory JavaScriptCore sizes its heaps for (2 GiB; docs/BENCHMARKS.md,
/// "A 300-page PDF in the page view").
#[cfg(target_os = "linux")]
const SCRIPT_RAM: u64 = 2 << 30;

/// Call first thing in `main`, before any thread or window exists (WebKitGTK's
/// web process inherits the environment). JavaScriptCore grows its heaps, and
/// collects them, in proportion to the machine's memory: on a 24 GB machine,
/// reading through a 300-page PDF left 400–560 MB in the window's processes
/// depending on when the collector ran (median 2.03× the idle app in one
/// session of three runs, 1.46× in another). Told to size them for 2 GiB (or
/// the machine's memory, if less), it collects sooner: medians 1.48× and 1.43×
/// in those sessions, every run under 1.5×, page turns as fast (docs/BENCHMARKS.md).
/// `JSC_forceRAMSize` set by the user is left alone. Only WebKitGTK reads it;
/// WebView2 and WKWebView size their engines themselves.
pub fn size_script_heaps() {
    #[cfg(target_os = "linux")]
    {
        if std::env::var_os("JSC_forceRAMSize").is_none() {
            let ram = machine_memory().map_or(SCRIPT_RAM, |m| m.min(SCRIPT_RAM));
            std::env::set_var("JSC_forceRAMSize", ram.to_string());
        }
    }
}

/// The machine's memory in bytes (`MemTotal` of /proc/meminfo).
#[cfg(target_os = "linux")]
fn machine_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kb.checked_mul(1024)
}

/// Starts the thread that trims the heap after each burst of work.
pub fn start_trimming_when_idle() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const QUIET: std::time::Duration = std::time::Duration::from_secs(2);
        let _ = std::thread::Builder::new()
            .name("dossier-heap-trim".into())
            .spawn(|| {
                let mut seen = COMMANDS_DONE.load(Ordering::Relaxed);
                let mut trimmed = seen;
                loop {
                    std::thread::sleep(QUIET);
                    let now = COMMANDS_DONE.load(Ordering::Relaxed);
                    if now == seen && now != trimmed {
                        trim();
                        trimmed = now;
                    }
                    seen = now;
                }
            });
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn trim() {
    extern "C" {
        /// glibc: releases free memory at the top of the heap and free pages
        /// inside every arena; returns whether anything was released.
        fn malloc_trim(pad: usize) -> std::os::raw::c_int;
    }
    // SAFETY: malloc_trim only inspects and releases free chunks under the
    // allocator's own locks; it is safe to call from any thread at any time.
    unsafe {
        malloc_trim(0);
    }
}
