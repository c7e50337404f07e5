//! The store against a real SQLite file.

use dossier_model::ErrorCode;
use dossier_store::{codes, migrate, outbox, Store, Write};
use rusqlite::Connection;

#[test]
fn migrations_apply_to_an_empty_database_and_set_user_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.sqlite");
    let store = Store::open(&path).unwrap();
    let v = store.read(migrate::user_version).unwrap();
    assert_eq!(v, migrate::latest_version());
    let mode: String = store
        .read(|c| {
            Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap())
        })
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .read(|c| {
            Ok(c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                .unwrap())
        })
        .unwrap();
    assert_eq!(fk, 1, "foreign keys must be enforced on every connection");
    drop(store);
    // Reopening applies nothing new.
    let mut conn = Connection::open(&path).unwrap();
    assert!(migrate::migrate(&mut conn).unwrap().is_empty());
}

#[test]
fn a_newer_notebook_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.sqlite");
    drop(Store::open(&path).unwrap());
    let future = migrate::latest_version() + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", future)
        .unwrap();
    let err = Store::open(&path)
        .err()
        .expect("a newer schema must be refused");
    assert_eq!(err.code, ErrorCode::NotebookTooNew);
    let v: u32 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, future, "refusing must not rewrite the version");
}

#[test]
fn a_failed_write_leaves_no_trace_in_tables_or_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("n.sqlite")).unwrap();
    let before = store.read(outbox::last_seq).unwrap();
    let err = store
        .write(Write::Logged, |c| {
            codes::add(c, "Trust/Security", "#aa0000", "")?;
            codes::add(c, "Trust/Security", "#aa0000", "") // conflict: rolls back the first too
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(store.read(codes::count).unwrap(), 0);
    assert_eq!(store.read(outbox::last_seq).unwrap(), before);
}

#[test]
fn renaming_and_moving_codes_keeps_paths_of_descendants() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("n.sqlite")).unwrap();
    store
        .write(Write::Logged, |c| {
            codes::add(c, "Trust/Security/Supply chain", "#123456", "x")
        })
        .unwrap();
    store
        .write(Write::Logged, |c| codes::rename(c, "Trust", "Vertrauen"))
        .unwrap();
    assert!(store
        .read(|c| codes::by_path(c, "Vertrauen/Security/Supply chain"))
        .unwrap()
        .is_some());
    store
        .write(Write::Logged, |c| codes::add(c, "Risk", "#000000", ""))
        .unwrap();
    store
        .write(Write::Logged, |c| {
            codes::move_to(c, "Vertrauen/Security", Some("Risk"))
        })
        .unwrap();
    assert!(store
        .read(|c| codes::by_path(c, "Risk/Security/Supply chain"))
        .unwrap()
        .is_some());
    let err = store
        .write(Write::Logged, |c| {
            codes::move_to(c, "Risk", Some("Risk/Security"))
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let err = store
        .write(Write::Logged, |c| codes::delete(c, "Risk", false))
        .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::Conflict,
        "a code with children needs force"
    );
    store
        .write(Write::Logged, |c| codes::delete(c, "Risk", true))
        .unwrap();
    assert_eq!(store.read(codes::count).unwrap(), 1);
}

#[test]
fn an_older_notebook_is_backed_up_then_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notebook.sqlite");
    {
        // A notebook as schema 1 wrote it, with one article.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(migrate::MIGRATIONS[0].1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO article (id, title, language, imported_at, sha256, text_sha256, original_name, media_type, parser, text)
             VALUES ('a1', 'Alt', 'de', '2025-01-01T00:00:00Z', 'aa', 'bb', 'alt.txt', 'text/plain', 'text/1', 'Text')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.read(migrate::user_version).unwrap(),
        migrate::latest_version()
    );
    let a = store
        .read(|c| dossier_store::articles::get(c, "a1"))
        .unwrap()
        .unwrap();
    assert_eq!((a.title.as_str(), a.page_starts.len()), ("Alt", 0));
    // The copy taken before the upgrade still has the old schema and the data.
    let backup = dir.path().join(format!(
        "notebook.sqlite.before-schema-{}.bak",
        migrate::latest_version()
    ));
    let old = Connection::open(&backup).unwrap();
    let v: u32 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 1);
    let n: u32 = old
        .query_row("SELECT count(*) FROM article", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn pdf_pages_round_trip_and_are_collected_when_no_original_keeps_them() {
    use dossier_model::{PageGeometry, WordBox};
    use dossier_store::layout;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("n.sqlite")).unwrap();
    let page = |n: u32| PageGeometry {
        page: n,
        width: 595.0,
        height: 842.0,
        words: vec![WordBox {
            start: 10 * n,
            end: 10 * n + 4,
            x0: 72.0,
            y0: 100.0,
            x1: 110.5,
            y1: 114.0,
        }],
    };
    store
        .write(Write::NewArticles, |c| {
            layout::put(c, "aa", &[page(1), page(2), page(3)])?;
            layout::put(c, "bb", &[page(1)])
        })
        .unwrap();
    let got = store.read(|c| layout::pages(c, "aa", 2, 3)).unwrap();
    assert_eq!(got, vec![page(2), page(3)]);
    assert_eq!(store.read(|c| layout::page(c, "aa", 4)).unwrap(), None);
    let keep: std::collections::HashSet<String> = ["aa".to_string()].into();
    let removed = store
        .write(Write::Maintenance, |c| layout::collect(c, &keep))
        .unwrap();
    assert_eq!(removed, 1);
    assert_eq!(store.read(|c| layout::page(c, "bb", 1)).unwrap(), None);
    assert_eq!(
        store.read(|c| layout::pages(c, "aa", 1, 9)).unwrap().len(),
        3
    );
}

/// Migration 0020 rebuilds the outbox: its rows keep their numbers, and new rows
/// continue after the highest number ever given (the index remembers the last
/// one it applied), even when the newest rows were gone.
#[test]
fn the_outbox_rebuilt_by_migration_20_keeps_counting_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notebook.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        for (version, sql) in migrate::MIGRATIONS.iter().filter(|m| m.0 < 20) {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", version).unwrap();
        }
        for i in 0..5 {
            conn.execute(
                "INSERT INTO outbox (entity, entity_id, op, at) VALUES ('article', ?1, 'insert', 'now')",
                [format!("a{i}")],
            )
            .unwrap();
        }
        // The two newest rows gone: only AUTOINCREMENT's counter remembers seq 5.
        conn.execute("DELETE FROM outbox WHERE seq > 3", [])
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let next = store
        .write(dossier_store::Write::Logged, |c| {
            dossier_store::outbox::record(
                c,
                dossier_store::outbox::Entity::Set,
                "desk",
                dossier_store::outbox::Op::Insert,
            )?;
            dossier_store::outbox::last_seq(c)
        })
        .unwrap();
    assert_eq!(next, 6);
    let rows = store
        .read(|c| dossier_store::outbox::since(c, 0, 100))
        .unwrap();
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 6]);
    assert!(
        rows[0].indexed && !rows[3].indexed,
        "a set's row is nothing to index"
    );
}
