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
