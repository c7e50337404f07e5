//! Links between notes on a real notebook: `[[Note title]]` and
//! `[[note:ID]]`, backlinks, a link written before its note existed, a
//! renamed note, deletion and undo; the Obsidian vault's links between notes.

use dossier::model::{ExportFormat, ExportScope, LinkKind};

mod common;

#[test]
fn notes_link_to_notes_and_list_their_backlinks() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = common::open(&tmp.path().join("nb"));
    // A link to a note that does not exist yet stays text…
    let draft = nb
        .add_note("Draft", "See [[Method notes]] and [[note:nope]].", None)
        .unwrap();
    assert!(draft.links.is_empty());
    // …and leads to it once it is written.
    let method = nb
        .add_note("Method notes", "How we code openness.", None)
        .unwrap();
    let draft = nb.note(&draft.id).unwrap();
    assert_eq!(draft.links.len(), 1);
    assert_eq!(
        (draft.links[0].kind, draft.links[0].target_id.as_str()),
        (LinkKind::Note, method.id.as_str())
    );
    let by_id = nb
        .add_note(
            "Summary",
            &format!("Builds on [[note:{}|the method]].", method.id),
            None,
        )
        .unwrap();
    assert_eq!(by_id.links[0].kind, LinkKind::Note);
    let mut back: Vec<String> = nb
        .note_backlinks(&method.id)
        .unwrap()
        .into_iter()
        .map(|n| n.title)
        .collect();
    back.sort();
    assert_eq!(back, vec!["Draft", "Summary"]);
    // Deleting the note takes its backlinks; undo brings them back.
    nb.delete_note(&method.id).unwrap();
    assert!(nb.note(&draft.id).unwrap().links.is_empty());
    nb.undo().unwrap().unwrap();
    assert_eq!(nb.note_backlinks(&method.id).unwrap().len(), 2);
    // An Obsidian vault links note to note by file.
    let vault = tmp.path().join("vault");
    nb.export(
        ExportFormat::Obsidian,
        &vault,
        &ExportScope::default(),
        false,
    )
    .unwrap();
    let draft_file = std::fs::read_dir(vault.join("Notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("Draft")
        })
        .unwrap();
    let text = std::fs::read_to_string(draft_file).unwrap();
    assert!(text.contains("[[Notes/Method notes ("), "{text}");
}

#[test]
fn a_window_follows_what_other_processes_change_and_skips_its_own() {
    use dossier::model::EntityKind;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nb");
    let window = common::open(&dir);
    let cli = common::open(&dir);
    let head = window.change_head().unwrap();
    // Its own change is not news to the window.
    window.add_note("Mine", "", None).unwrap();
    let feed = window.changes_since(head).unwrap();
    assert!(feed.batches.is_empty(), "{feed:?}");
    assert!(feed.seq > head);
    // Another process's changes are, grouped by kind, undo included.
    let n = cli.add_note("From the CLI", "", None).unwrap();
    cli.add_code("Trust/Live", None, "").unwrap();
    let feed2 = window.changes_since(feed.seq).unwrap();
    assert!(!feed2.reset);
    let kinds: Vec<EntityKind> = feed2.batches.iter().map(|b| b.entity).collect();
    assert_eq!(kinds, vec![EntityKind::Note, EntityKind::Codebook]);
    assert_eq!(feed2.batches[0].ids, vec![n.id.clone()]);
    cli.undo().unwrap().unwrap();
    let feed3 = window.changes_since(feed2.seq).unwrap();
    assert_eq!(feed3.batches.len(), 1);
    assert_eq!(feed3.batches[0].entity, EntityKind::Codebook);
    // Nothing new: an empty answer at the same place.
    let feed4 = window.changes_since(feed3.seq).unwrap();
    assert!(feed4.batches.is_empty());
    assert_eq!(feed4.seq, feed3.seq);
    // An article another process imported (imports are not logged: undone by deleting).
    let id = common::import(
        &cli,
        tmp.path(),
        "new.txt",
        "Ein neuer Artikel über offene Gewichte.",
    );
    let feed5 = window.changes_since(feed4.seq).unwrap();
    assert_eq!(feed5.batches.len(), 1, "{feed5:?}");
    assert_eq!(
        (feed5.batches[0].entity, feed5.batches[0].ids.clone()),
        (EntityKind::Article, vec![id])
    );
}
