//! Gives freed heap back to the operating system once the app goes quiet.
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
