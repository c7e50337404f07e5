//! Shared by the integration tests of the façade.

use std::path::Path;

use dossier::{Notebook, OpenOptions};

/// A notebook without the background indexer: each test says when the index
/// catches up (`flush_index`, or a search helper that does).
pub fn open(dir: &Path) -> Notebook {
    Notebook::open_with(
        dir,
        OpenOptions {
            background_indexer: false,
            ..Default::default()
        },
    )
    .unwrap()
}
