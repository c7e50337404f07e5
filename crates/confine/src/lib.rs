//! Limits the operating system enforces on a child process, beyond what the
//! child promises itself.
//!
//! Dossier reads hostile files in a child process (`dossier_ingest::sandbox`).
//! The child caps its own heap, the parent stops it after a deadline, and on
//! Linux `prlimit` caps its address space. What only the operating system can
//! add on Windows comes from a **Job Object** holding the child alone:
//!
//! - its committed memory (heap, maps and stacks together) is capped;
//! - its CPU time is capped;
//! - it cannot start processes of its own;
//! - it is killed when the job's last handle closes — when the parent drops
//!   [`Confined`], and also when the parent itself dies (killed from the task
//!   manager, crashed), so a hostile file never leaves a child spinning.
//!
//! Elsewhere [`confine`] does nothing: the child watches its parent itself
//! (`dossier_ingest::sandbox`), and `prlimit` covers memory on Linux.
//!
//! This is the one crate of the workspace that calls the operating system
//! through `unsafe`; each call is commented with why it is sound.

use std::process::{Child, Command};
use std::time::Duration;

/// Whether starting a process failed for a moment, so that starting it again
/// may work: `ERROR_INTERNAL_ERROR` on Windows (the new process ended while
/// it was being set up, before any of its own code ran — seen under Wine on
/// a loaded machine, twice in one run of the CLI suites), and `EAGAIN` from
/// `fork` elsewhere (a process or memory limit reached for a moment). A
/// missing or refused executable is not.
pub fn start_failed_for_a_moment(e: &std::io::Error) -> bool {
    if cfg!(windows) {
        e.raw_os_error() == Some(1359)
    } else {
        e.kind() == std::io::ErrorKind::WouldBlock
    }
}

/// Runs `start` (which starts a process), and again — at most twice, after 50
/// and 100 ms — when starting failed for a moment ([`start_failed_for_a_moment`]).
pub fn started_again_for_a_moment<T>(
    mut start: impl FnMut() -> std::io::Result<T>,
) -> std::io::Result<T> {
    let mut tries = 1;
    loop {
        match start() {
            Err(e) if tries < 3 && start_failed_for_a_moment(&e) => {
                std::thread::sleep(Duration::from_millis(50 * tries));
                tries += 1;
            }
            started => return started,
        }
    }
}

/// `cmd.spawn()`, [started again](started_again_for_a_moment) when starting
/// failed for a moment.
pub fn spawn(cmd: &mut Command) -> std::io::Result<Child> {
    started_again_for_a_moment(|| cmd.spawn())
}

/// What the operating system should enforce on a child.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Committed memory of the process, in bytes.
    pub memory_bytes: u64,
    /// CPU time the process may use (user mode).
    pub cpu_time: Duration,
}

/// Holds the limits of a confined child for as long as it lives; dropping it
/// ends the child on Windows (the job closes), and does nothing elsewhere.
#[derive(Debug)]
pub struct Confined {
    #[cfg(windows)]
    _job: windows::Job,
}

/// Whether [`confine`] enforces anything on this platform.
pub const ENFORCED: bool = cfg!(windows);

/// Places `child` under `limits`. Call it before the child does any work that
/// matters (the sandbox's child waits for its input, which the parent writes
/// only afterwards).
pub fn confine(child: &Child, limits: Limits) -> std::io::Result<Confined> {
    #[cfg(windows)]
    {
        Ok(Confined {
            _job: windows::Job::holding(child, limits)?,
        })
    }
    #[cfg(not(windows))]
    {
        let _ = (child, limits);
        Ok(Confined {})
    }
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod windows {
    use std::os::windows::io::AsRawHandle;
    use std::process::Child;

    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
        SetInformationJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
        JOB_OBJECT_LIMIT_ACTIVE_PROCESS, JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION,
        JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JOB_OBJECT_LIMIT_PROCESS_MEMORY,
        JOB_OBJECT_LIMIT_PROCESS_TIME,
    };

    use super::Limits;

    /// An owned Job Object handle, closed on drop.
    #[derive(Debug)]
    pub(super) struct Job(HANDLE);

    // SAFETY: a kernel handle may be used and closed from any thread.
    unsafe impl Send for Job {}
    // SAFETY: `Job` offers no method that uses the handle through `&self`.
    unsafe impl Sync for Job {}

    impl Job {
        pub(super) fn holding(child: &Child, limits: Limits) -> std::io::Result<Job> {
            // SAFETY: both arguments may be null (default security, no name);
            // the result is checked before use.
            let handle = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
            if handle.is_null() {
                return Err(std::io::Error::last_os_error());
            }
            let job = Job(handle);
            // SAFETY: the struct is plain data for which all-zero is a valid value.
            let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
            let basic = &mut info.BasicLimitInformation;
            basic.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY
                | JOB_OBJECT_LIMIT_PROCESS_TIME
                | JOB_OBJECT_LIMIT_ACTIVE_PROCESS
                | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
                | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
            basic.ActiveProcessLimit = 1;
            // CPU time in 100-nanosecond ticks.
            basic.PerProcessUserTimeLimit =
                i64::try_from(limits.cpu_time.as_nanos() / 100).unwrap_or(i64::MAX);
            info.ProcessMemoryLimit = usize::try_from(limits.memory_bytes).unwrap_or(usize::MAX);
            // SAFETY: `job.0` is a live job handle; the pointer and the length
            // describe `info`, which outlives the call.
            let set = unsafe {
                SetInformationJobObject(
                    job.0,
                    JobObjectExtendedLimitInformation,
                    std::ptr::from_ref(&info).cast(),
                    u32::try_from(std::mem::size_of_val(&info)).expect("a small struct"),
                )
            };
            if set == 0 {
                return Err(std::io::Error::last_os_error());
            }
            // SAFETY: `job.0` is live, and the child's handle stays open while
            // `child` is borrowed.
            let assigned =
                unsafe { AssignProcessToJobObject(job.0, child.as_raw_handle() as HANDLE) };
            if assigned == 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(job)
        }
    }

    impl Drop for Job {
        fn drop(&mut self) {
            // SAFETY: the handle is owned by this value and closed once.
            unsafe { CloseHandle(self.0) };
        }
    }
}

#[cfg(test)]
// `Confined` holds nothing to drop except on Windows, where dropping it is the point.
#[allow(clippy::drop_non_drop)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};
    use std::time::Instant;

    #[test]
    fn only_a_start_that_failed_for_a_moment_is_tried_again() {
        use std::io::{Error, ErrorKind};
        let internal = Error::from_raw_os_error(1359);
        let again = Error::from(ErrorKind::WouldBlock);
        assert_eq!(start_failed_for_a_moment(&internal), cfg!(windows));
        assert_eq!(start_failed_for_a_moment(&again), !cfg!(windows));
        for lasting in [ErrorKind::NotFound, ErrorKind::PermissionDenied] {
            assert!(!start_failed_for_a_moment(&Error::from(lasting)));
        }
        // A missing program fails at once, without the waits.
        let started = Instant::now();
        let e = super::spawn(&mut Command::new("dossier-no-such-program")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(started.elapsed() < Duration::from_millis(50));
    }

    /// Run as a child by the tests below (`--ignored --exact`): does what
    /// `DOSSIER_CONFINE_CHILD` says.
    #[test]
    #[ignore = "a child of the other tests"]
    fn child() {
        match std::env::var("DOSSIER_CONFINE_CHILD").as_deref() {
            Ok("sleep") => {
                std::thread::sleep(Duration::from_secs(20));
                if let Ok(marker) = std::env::var("DOSSIER_CONFINE_MARKER") {
                    std::fs::write(marker, b"still alive").unwrap();
                }
            }
            Ok("allocate") => {
                // Commit 1 GiB, page by page.
                let mut v = vec![0u8; 1 << 30];
                for i in (0..v.len()).step_by(4096) {
                    v[i] = 1;
                }
                std::hint::black_box(&v);
            }
            Ok("spin") => {
                let mut x = 0u64;
                loop {
                    x = std::hint::black_box(x.wrapping_add(1));
                }
            }
            _ => {}
        }
    }

    fn spawn(what: &str, marker: Option<&std::path::Path>) -> Child {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args([
            "--ignored",
            "--exact",
            "tests::child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("DOSSIER_CONFINE_CHILD", what)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        if let Some(m) = marker {
            cmd.env("DOSSIER_CONFINE_MARKER", m);
        }
        cmd.spawn().unwrap()
    }

    fn wait_at_most(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    const GENEROUS: Limits = Limits {
        memory_bytes: 2 << 30,
        cpu_time: Duration::from_secs(120),
    };

    #[test]
    fn confining_a_child_leaves_an_ordinary_one_alone() {
        let mut child = spawn("none", None);
        let confined = confine(&child, GENEROUS).unwrap();
        let status = wait_at_most(&mut child, Duration::from_secs(60)).expect("the child ends");
        assert!(status.success(), "{status:?}");
        drop(confined);
    }

    #[test]
    #[cfg_attr(not(windows), ignore = "Job Objects exist on Windows only")]
    fn a_confined_child_ends_with_its_job() {
        let dir = std::env::temp_dir().join(format!("dossier-confine-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let marker = dir.join("alive");
        let mut child = spawn("sleep", Some(&marker));
        let confined = confine(&child, GENEROUS).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child is still sleeping"
        );
        drop(confined);
        let status = wait_at_most(&mut child, Duration::from_secs(10));
        assert!(status.is_some(), "closing the job ended the child");
        // It was ended, not left to finish its sleep and write the marker.
        std::thread::sleep(Duration::from_millis(200));
        assert!(!marker.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    #[cfg_attr(not(windows), ignore = "Job Objects exist on Windows only")]
    fn a_confined_child_cannot_pass_its_limits() {
        // Wine 8 accepts these limits but does not enforce them (its job
        // objects end their processes on close, which the test above shows).
        if std::env::var_os("WINEPREFIX").is_some() {
            eprintln!("skipped under Wine: it does not enforce a job's memory and CPU limits");
            return;
        }
        let small = Limits {
            memory_bytes: 256 << 20,
            cpu_time: Duration::from_secs(2),
        };
        let mut greedy = spawn("allocate", None);
        let _a = confine(&greedy, small).unwrap();
        let status = wait_at_most(&mut greedy, Duration::from_secs(60)).expect("ends");
        assert!(!status.success(), "1 GiB under a 256 MiB limit: {status:?}");
        let mut spinner = spawn("spin", None);
        let _b = confine(&spinner, small).unwrap();
        let status = wait_at_most(&mut spinner, Duration::from_secs(60));
        if status.is_none() {
            let _ = spinner.kill();
        }
        assert!(
            status.is_some(),
            "a spinning child is stopped at its CPU time"
        );
    }
}
