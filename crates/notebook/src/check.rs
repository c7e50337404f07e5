//! `check`: compare the truth (SQLite) with everything derived from or beside it.
//! It reports; it does not repair (`reindex` repairs the index).

use std::collections::HashMap;

use dossier_model::{CheckReport, Result};
use dossier_search::doc_key;
use dossier_store::{articles, outbox};
use sha2::{Digest, Sha256};

use crate::indexer::{all_documents, docs_for};
use crate::{Core, SOURCES_DIR};

pub(crate) fn run(core: &Core) -> Result<CheckReport> {
    let mut problems = Vec::new();

    // 1. The database file itself.
    problems.extend(
        core.store
            .integrity_check()?
            .into_iter()
            .map(|m| format!("database integrity: {m}")),
    );
    let fk_violations = core.store.foreign_key_violations()?;
    if fk_violations > 0 {
        problems.push(format!(
            "database: {fk_violations} rows reference missing rows"
        ));
    }

    // 2. Original files and the images their figures show: present and unaltered.
    let mut kept: Vec<(String, String)> = Vec::new();
    for (id, sha) in core.store.read(articles::source_hashes)? {
        if !dossier_model::limits::is_sha256_hex(&sha) {
            problems.push(format!(
                "article {id} names an original file that is not a SHA-256; not read"
            ));
            continue;
        }
        kept.push((sha, format!("article {id}")));
    }
    // An image several originals show is read once.
    let images: std::collections::BTreeMap<String, String> = core
        .store
        .read(dossier_store::structure::images)?
        .into_iter()
        .map(|(source, image)| (image, format!("an image of original {source}")))
        .collect();
    kept.extend(images);
    for (sha, what) in kept {
        let path = core.dir.join(SOURCES_DIR).join(&sha);
        match std::fs::read(&path) {
            Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == sha => {}
            Ok(_) => problems.push(format!(
                "source file of {what} ({sha}) does not match its SHA-256"
            )),
            Err(_) => problems.push(format!("source file of {what} is missing: sources/{sha}")),
        }
    }

    // 3. The index: how far it got, and every document against SQLite.
    let applied = core.index.applied_seq()?;
    let last = core.store.read(outbox::last_seq)?;
    if applied < last {
        problems.push(format!(
            "search index is behind: {} change(s) not yet indexed (run `dossier reindex` or wait)",
            last - applied
        ));
    }
    let mut indexed: HashMap<String, String> = core.index.stamps()?;
    let expected = core.store.read(all_documents)?;
    // The documents the database gives, built a thousand per read.
    let mut wanted = Vec::with_capacity(expected.len().min(1000));
    for chunk in expected.chunks(1000) {
        wanted.clear();
        wanted.extend(core.store.read(|c| docs_for(c, chunk))?);
        for ((kind, id), want) in chunk.iter().zip(wanted.drain(..)) {
            let (kind, id) = (*kind, id.as_str());
            let key = doc_key(kind, id);
            match (indexed.remove(&key), want) {
                (None, _) => problems.push(format!(
                    "{} {id} is missing from the search index",
                    kind.as_str()
                )),
                (Some(stamp), Some(doc)) if stamp != doc.stamp() => problems.push(format!(
                    "{} {id} is out of date in the search index",
                    kind.as_str()
                )),
                _ => {}
            }
        }
    }
    let mut extra: Vec<String> = indexed.into_keys().collect();
    extra.sort();
    for key in extra {
        if let Some(k) = key.strip_suffix("#duplicate") {
            problems.push(format!("{k} is in the search index more than once"));
        } else {
            problems.push(format!(
                "{key} is in the search index but not in the notebook"
            ));
        }
    }

    Ok(CheckReport {
        ok: problems.is_empty(),
        problems,
    })
}
