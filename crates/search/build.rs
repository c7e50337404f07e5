//! Derives the index version from what defines the index: the schema, the
//! document mapping, the analysis, and the locked versions of the libraries
//! that tokenise and store (tantivy, jieba, the stemmer). A change to any of
//! them gives a new version, and a notebook rebuilds its index on opening; a
//! forgotten bump cannot happen.

use std::path::Path;

use sha2::{Digest, Sha256};

const DEFINING_FILES: [&str; 3] = ["src/schema.rs", "src/document.rs", "src/analysis.rs"];
const DEFINING_CRATES: [&str; 4] = ["tantivy", "tantivy-fst", "jieba-rs", "frostem"];

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&dir);
    let mut h = Sha256::new();
    for file in DEFINING_FILES {
        println!("cargo:rerun-if-changed={file}");
        let text = std::fs::read_to_string(dir.join(file)).expect("a defining file is readable");
        // Line endings do not define anything (a Windows checkout has CRLF).
        h.update(text.replace("\r\n", "\n").as_bytes());
        h.update([0]);
    }
    let lock_path = dir.join("../../Cargo.lock");
    println!("cargo:rerun-if-changed=../../Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).unwrap_or_default();
    for name in DEFINING_CRATES {
        h.update(name.as_bytes());
        h.update(locked_version(&lock, name).unwrap_or("unlocked").as_bytes());
        h.update([0]);
    }
    let hash = hex::encode(&h.finalize()[..6]);
    println!("cargo:rustc-env=DOSSIER_INDEX_HASH={hash}");
}

/// The version Cargo.lock pins for the package `name`.
fn locked_version<'a>(lock: &'a str, name: &str) -> Option<&'a str> {
    let header = format!("name = \"{name}\"\n");
    let at = lock.find(&header)? + header.len();
    lock[at..]
        .lines()
        .next()?
        .strip_prefix("version = \"")?
        .strip_suffix('"')
}
