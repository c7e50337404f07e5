//! One module per group of commands. Each handler does its work through the
//! façade and returns a [`Reply`]; `main` flushes the index once and prints it.

pub mod articles;
pub mod attributes;
pub mod claims;
pub mod codes;
pub mod notebook;
pub mod notes;
pub mod team;

use serde::Serialize;

use crate::print::Out;

/// What a command answers: printed after the index has caught up with its
/// writes; `failed` turns into exit code 1 (after the answer is printed).
pub struct Reply {
    print: Box<dyn FnOnce(&Out)>,
    pub failed: bool,
}

impl Reply {
    /// One value: JSON with `--json`, else `text` of it.
    pub fn value<T: Serialize + 'static>(v: T, text: impl Fn(&T) -> String + 'static) -> Reply {
        Reply {
            print: Box::new(move |out| out.value(&v, text)),
            failed: false,
        }
    }

    /// A list: a JSON array with `--json`, else one `line` per item.
    pub fn list<T: Serialize + 'static>(
        items: Vec<T>,
        line: impl Fn(&T) -> String + 'static,
    ) -> Reply {
        Reply {
            print: Box::new(move |out| out.list(&items, line)),
            failed: false,
        }
    }

    /// Nothing left to print: the command wrote its answer as it went.
    pub fn printed() -> Reply {
        Reply {
            print: Box::new(|_| {}),
            failed: false,
        }
    }

    /// Exit with 1 after printing (a failed import in the batch, a failed check).
    pub fn failed_if(mut self, failed: bool) -> Reply {
        self.failed = failed;
        self
    }

    pub fn print(self, out: &Out) {
        (self.print)(out)
    }
}

/// Who is working, when not given: $DOSSIER_ANALYST, else the user name.
pub fn analyst_default() -> Option<String> {
    std::env::var("DOSSIER_ANALYST")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
}
