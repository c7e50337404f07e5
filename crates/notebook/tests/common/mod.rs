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

/// Imports one text file written from `content`, expects it imported, returns the article id.
#[allow(dead_code)]
pub fn import(nb: &Notebook, dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    let out = nb
        .import_paths(
            &[path],
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(
        out[0].status,
        dossier::model::ImportStatus::Imported,
        "{:?}",
        out[0]
    );
    out[0].id.clone().unwrap()
}
