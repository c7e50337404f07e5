//! Which paths the window may name. The page is untrusted as far as files go:
//! a compromised page must not read, import, export over or restore into any
//! file it likes. Paths become usable only when the user picked them — in a
//! native dialog opened by the shell (`commands::pick`), by dropping them on the
//! window (the shell sees the drop itself), or on the command line — and every
//! command that takes a path checks it here first.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use dossier::model::{Error, ErrorCode, Result};

#[derive(Default)]
pub struct Grants {
    /// Exactly these paths (a picked file, folder or save target; a dropped file).
    exact: Mutex<HashSet<PathBuf>>,
    /// These folders and everything below them (`--allow-folder` on the command line).
    trees: Mutex<Vec<PathBuf>>,
}

/// `p` made absolute and lexically clean; `None` when it climbs (`..`), which a
/// picked path never does and a grant check must not follow.
fn normalise(p: &Path) -> Option<PathBuf> {
    let absolute = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(p)
    };
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => return None,
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

impl Grants {
    pub fn grant(&self, p: &Path) {
        if let (Some(n), Ok(mut g)) = (normalise(p), self.exact.lock()) {
            g.insert(n);
        }
    }

    pub fn grant_tree(&self, p: &Path) {
        if let (Some(n), Ok(mut g)) = (normalise(p), self.trees.lock()) {
            g.push(n);
        }
    }

    pub fn allows(&self, p: &Path) -> bool {
        let Some(n) = normalise(p) else { return false };
        self.exact.lock().is_ok_and(|g| g.contains(&n))
            || self
                .trees
                .lock()
                .is_ok_and(|t| t.iter().any(|root| n.starts_with(root)))
    }

    /// `Ok` when the user picked `p`; else a `forbidden` error naming it.
    pub fn check(&self, p: &Path) -> Result<()> {
        if self.allows(p) {
            return Ok(());
        }
        Err(Error::new(
            ErrorCode::Forbidden,
            format!(
                "'{}' was not chosen in a dialog, dropped on the window or named on the command line; \
                 Dossier's window may only use paths you picked",
                p.display()
            ),
        ))
    }

    pub fn check_all(&self, paths: &[PathBuf]) -> Result<()> {
        paths.iter().try_for_each(|p| self.check(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_paths_pass() {
        let g = Grants::default();
        let root = std::env::temp_dir().join("dossier-grant-test");
        g.grant(&root.join("a.pdf"));
        g.grant_tree(&root.join("work"));
        assert!(g.allows(&root.join("a.pdf")));
        assert!(g.allows(&root.join("./a.pdf")));
        assert!(!g.allows(&root.join("b.pdf")));
        assert!(g.allows(&root.join("work/x/y.md")));
        assert!(!g.allows(&root.join("work/../secret")));
        assert!(!g.allows(&root.join("workshop/x")));
        assert_eq!(
            g.check(Path::new("/etc/passwd")).unwrap_err().code,
            ErrorCode::Forbidden
        );
    }
}
