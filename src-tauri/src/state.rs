//! The app's one piece of state: which notebook is open.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use dossier::model::{Error, ErrorCode, Result};
use dossier::Notebook;

const LAST_NOTEBOOK_FILE: &str = "last-notebook.txt";
/// Automatic backups: one a day at most, the newest seven kept.
const BACKUP_EVERY: Duration = Duration::from_secs(24 * 3600);
const BACKUPS_KEPT: usize = 7;
/// Started a while after opening, so it never competes with the first minutes of work.
const BACKUP_DELAY: Duration = Duration::from_secs(120);

/// Writes the day's backup of `nb` in the background (a weak handle: a
/// notebook closed meanwhile is not kept open for it).
fn schedule_backup(nb: &Arc<Notebook>) {
    let weak = Arc::downgrade(nb);
    std::thread::spawn(move || {
        std::thread::sleep(BACKUP_DELAY);
        if let Some(nb) = weak.upgrade() {
            if let Err(e) = nb.rotate_backups(BACKUP_EVERY, BACKUPS_KEPT) {
                eprintln!("dossier: automatic backup failed: {}", e.message);
            }
        }
    });
}

enum Slot {
    Opening,
    Open(Arc<Notebook>),
    Failed(Error),
}

#[derive(Clone)]
pub struct AppState {
    slot: Arc<(Mutex<Slot>, Condvar)>,
    config_dir: Option<PathBuf>,
    /// Set by `cancel_import`; the running import checks it between files.
    pub cancel_import: Arc<AtomicBool>,
    /// The paths the user picked: the only ones the window's commands may use.
    pub grants: Arc<crate::grants::Grants>,
    /// Links back the OS handed the app (at start or while it runs), waiting
    /// for the window to take them (`take_links`).
    pub links: Arc<Mutex<Vec<String>>>,
}

/// The command line: `dossier-app [NOTEBOOK] [--allow-folder DIR]...`. A notebook
/// named there is the user's choice; so is every folder given with `--allow-folder`
/// (the window may then import from and export into it without a dialog, which is
/// what scripted and end-to-end use of the app needs).
pub struct CommandLine {
    pub notebook: Option<PathBuf>,
    pub allowed_folders: Vec<PathBuf>,
    /// Links back (`dossier://claim/ID`…) the app was started with: how the OS
    /// hands a clicked link to a new instance on Linux and Windows.
    pub links: Vec<String>,
}

impl CommandLine {
    pub fn parse(args: impl IntoIterator<Item = std::ffi::OsString>) -> CommandLine {
        let mut notebook = None;
        let mut allowed_folders = Vec::new();
        let mut links = Vec::new();
        let mut args = args.into_iter();
        while let Some(a) = args.next() {
            let text = a.to_string_lossy();
            if text.len() >= 10 && text[..10].eq_ignore_ascii_case("dossier://") {
                links.push(text.into_owned());
            } else if text == "--allow-folder" {
                if let Some(dir) = args.next() {
                    allowed_folders.push(PathBuf::from(dir));
                }
            } else if let Some(dir) = text.strip_prefix("--allow-folder=") {
                allowed_folders.push(PathBuf::from(dir));
            } else if !text.starts_with('-') && notebook.is_none() {
                notebook = Some(PathBuf::from(a));
            }
        }
        CommandLine {
            notebook,
            allowed_folders,
            links,
        }
    }
}

impl AppState {
    pub fn new(config_dir: Option<PathBuf>) -> AppState {
        AppState {
            slot: Arc::new((Mutex::new(Slot::Opening), Condvar::new())),
            config_dir,
            cancel_import: Arc::new(AtomicBool::new(false)),
            grants: Default::default(),
            links: Arc::new(Mutex::new(
                CommandLine::parse(std::env::args_os().skip(1)).links,
            )),
        }
    }

    /// The folder named on the command line, else `$DOSSIER_NOTEBOOK`, else the last
    /// notebook opened, else the default one.
    /// A notebook that does not exist yet starts with the sample article.
    pub fn open_initial_in_background(&self) {
        // `dossier-app PATH/Name.dossier` (a shell, or Windows opening an associated folder).
        let cli = CommandLine::parse(std::env::args_os().skip(1));
        for dir in &cli.allowed_folders {
            self.grants.grant_tree(dir);
        }
        if let Some(nb) = &cli.notebook {
            self.grants.grant(nb);
        }
        let from_arg = cli.notebook;
        let from_env = std::env::var_os("DOSSIER_NOTEBOOK")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let last = self
            .config_dir
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.join(LAST_NOTEBOOK_FILE)).ok())
            .map(|s| PathBuf::from(s.trim()))
            .filter(|p| p.join(dossier::DB_FILE).exists());
        let dir = from_arg
            .or(from_env)
            .or(last)
            .unwrap_or_else(Notebook::default_dir);
        let slot = self.slot.clone();
        std::thread::spawn(move || {
            let fresh = !dir.join(dossier::DB_FILE).exists();
            let result = Notebook::init_with(&dir, fresh, dossier::OpenOptions::for_app());
            let (lock, cv) = &*slot;
            if let Ok(mut s) = lock.lock() {
                *s = match result {
                    Ok(nb) => {
                        let nb = Arc::new(nb);
                        schedule_backup(&nb);
                        Slot::Open(nb)
                    }
                    Err(e) => Slot::Failed(e),
                };
            }
            cv.notify_all();
            crate::memory::work_done();
        });
    }

    /// The open notebook, waiting while the first one is still opening.
    pub fn notebook(&self) -> Result<Arc<Notebook>> {
        let (lock, cv) = &*self.slot;
        let mut s = lock
            .lock()
            .map_err(|_| Error::internal("app state poisoned"))?;
        while matches!(*s, Slot::Opening) {
            s = cv
                .wait(s)
                .map_err(|_| Error::internal("app state poisoned"))?;
        }
        match &*s {
            Slot::Open(nb) => Ok(nb.clone()),
            Slot::Failed(e) => Err(e.clone()),
            Slot::Opening => unreachable!("waited above"),
        }
    }

    /// Restores a backup into a new notebook folder and makes it the open one.
    pub fn restore(&self, backup: &Path, into: &Path) -> Result<Arc<Notebook>> {
        drop(Notebook::restore(backup, into)?);
        self.switch_to(into, false)
    }

    /// Replaces the open notebook (the old one finishes indexing and closes).
    pub fn switch_to(&self, dir: &Path, create: bool) -> Result<Arc<Notebook>> {
        if !create && !dir.join(dossier::DB_FILE).exists() {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("'{}' is not a Dossier notebook", dir.display()),
            ));
        }
        let nb = Arc::new(Notebook::open_with(dir, dossier::OpenOptions::for_app())?);
        schedule_backup(&nb);
        let (lock, cv) = &*self.slot;
        *lock
            .lock()
            .map_err(|_| Error::internal("app state poisoned"))? = Slot::Open(nb.clone());
        cv.notify_all();
        if let Some(cfg) = &self.config_dir {
            let _ = std::fs::create_dir_all(cfg);
            let _ = std::fs::write(cfg.join(LAST_NOTEBOOK_FILE), dir.display().to_string());
        }
        Ok(nb)
    }
}

#[cfg(test)]
mod tests {
    use super::CommandLine;

    #[test]
    fn the_command_line_names_a_notebook_and_allowed_folders() {
        let args = [
            "--allow-folder",
            "/w",
            "/n.dossier",
            "--allow-folder=/v",
            "--other",
        ];
        let cli = CommandLine::parse(args.iter().map(std::ffi::OsString::from));
        assert_eq!(
            cli.notebook.as_deref(),
            Some(std::path::Path::new("/n.dossier"))
        );
        assert_eq!(cli.allowed_folders.len(), 2);
    }

    #[test]
    fn a_link_back_on_the_command_line_is_no_notebook() {
        let args = ["DOSSIER://claim/0190a1b2-0000-7000-8000-000000000011"];
        let cli = CommandLine::parse(args.iter().map(std::ffi::OsString::from));
        assert_eq!(cli.notebook, None);
        assert_eq!(cli.links, vec![args[0].to_string()]);
    }
}
