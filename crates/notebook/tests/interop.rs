//! Interchange formats end to end on real notebooks: REFI-QDA and W3C round
//! trips, Hypothesis import onto a revised text, references attached to
//! articles, backup and restore, and the safety rules every export follows.
//! Schema validation of the same exports runs in `scripts/validate-exports.sh`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use dossier::model::{
    ClaimTarget, ErrorCode, ExportFormat, ExportScope, ImportStatus, NewClaim, Stance,
};
use dossier::Notebook;

mod common;
use common::open;

/// An article whose text has emoji and CJK Extension B before the claims, so
/// code-point positions differ from byte and UTF-16 positions.
const MIXED: &str = "---\ntitle: Qwen und 数据完整性\nauthor: Anna Müller\nsource_url: https://example.org/qwen-report\ndate: 2024-05-03\n---\n# Qwen und 数据完整性\n\nVorab 😀 und 𠀋: Die Gewichte von Qwen sind offen.\n\n阿里巴巴表示，数据完整性得到保障。\n\nOb das stimmt, bleibt abzuwarten.";

// Fields drop in order: the notebook (and its indexer thread) before its folder.
struct Fixture {
    nb: Notebook,
    root: std::path::PathBuf,
    _tmp: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let nb = Notebook::init(&root.join("one.dossier"), true).unwrap();
    let a = nb.import_bytes("qwen.md", MIXED.as_bytes()).unwrap();
    let id = a.id.unwrap();
    nb.add_code("Trust/Data integrity/数据", Some("#aabbcc"), "CJK sub-code")
        .unwrap();
    for (quote, codes, stance) in [
        (
            "Die Gewichte von Qwen sind offen",
            vec!["Transparency/Open weights"],
            Stance::Supports,
        ),
        (
            "数据完整性得到保障",
            vec!["Trust/Data integrity/数据", "Trust/Data integrity"],
            Stance::Contests,
        ),
        ("bleibt abzuwarten", vec![], Stance::Unclear),
    ] {
        nb.add_claim(NewClaim {
            article_id: id.clone(),
            target: ClaimTarget::Quote {
                exact: quote.into(),
                occurrence: 1,
            },
            codes: codes.into_iter().map(String::from).collect(),
            stance,
            confidence: 2,
            claimant: Some("Alibaba; Cloud".into()),
            comment: Some("Zeile 1\nZeile 2 <b>&</b>".into()),
            analyst: Some("Ana".into()),
            hedging: Default::default(),
        })
        .unwrap();
    }
    let claim = nb.claims(Some(&id), None).unwrap()[1].id.clone();
    // Hedging and a verdict travel through REFI-QDA too (in the Dossier attribute line).
    nb.update_claim(
        &claim,
        &dossier::model::ClaimPatch {
            hedging: Some(dossier::model::Hedging::Hedged),
            ..Default::default()
        },
    )
    .unwrap();
    nb.set_verdict(
        &claim,
        dossier::model::Verdict::Disputed,
        Some("Ana"),
        None,
        &[],
    )
    .unwrap();
    // A relation with a comment that itself holds the ": " the link name uses.
    let first = nb.claims(Some(&id), None).unwrap()[0].id.clone();
    nb.add_relation(
        &first,
        &claim,
        dossier::model::RelationKind::Contradicts,
        Some("Offen: aber ungeprüft <&>"),
        Some("Ana"),
    )
    .unwrap();
    nb.add_note(
        "Zu Qwen",
        &format!("Siehe [[article:{id}]] und [[claim:{claim}|die Aussage]]."),
        Some(&id),
    )
    .unwrap();
    Fixture {
        _tmp: tmp,
        nb,
        root,
    }
}

/// Every relation as `from-quote kind to-quote (comment)`.
fn relation_set(nb: &Notebook) -> BTreeSet<String> {
    let claims = nb.claims(None, None).unwrap();
    let quote = |id: &str| claims.iter().find(|c| c.id == id).unwrap().exact.clone();
    claims
        .iter()
        .flat_map(|c| nb.relations(&c.id).unwrap())
        .map(|r| {
            format!(
                "{} {} {} ({:?})",
                quote(&r.from_id),
                r.kind.as_str(),
                quote(&r.to_id),
                r.comment
            )
        })
        .collect()
}

/// Everything about claims that an interchange must keep, without ids and timestamps.
fn claim_set(nb: &Notebook) -> BTreeSet<String> {
    nb.claims(None, None)
        .unwrap()
        .into_iter()
        .map(|c| {
            format!(
                "{}|{}|{}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
                c.exact,
                c.start,
                c.end,
                c.codes,
                c.stance,
                c.confidence,
                c.claimant,
                c.comment,
                c.analyst,
                c.hedging,
                c.verdict
            )
        })
        .collect()
}

fn note_set(nb: &Notebook) -> BTreeSet<String> {
    nb.notes(None)
        .unwrap()
        .into_iter()
        .map(|n| format!("{}|{}|{}", n.title, n.body, n.links.len()))
        .collect()
}

fn code_set(nb: &Notebook) -> BTreeSet<String> {
    nb.codes()
        .unwrap()
        .into_iter()
        .map(|c| format!("{}|{}|{}", c.path, c.color, c.description))
        .collect()
}

fn import_file(nb: &Notebook, path: &Path) -> dossier::model::ImportOutcome {
    let out = nb
        .import_paths(
            &[path.to_path_buf()],
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    out.into_iter().next().unwrap()
}

#[test]
fn refi_qda_round_trip_keeps_every_claim_code_and_note() {
    let f = fixture();
    let qdpx = f.root.join("project.qdpx");
    f.nb.export(ExportFormat::Qdpx, &qdpx, &ExportScope::default(), false)
        .unwrap();

    let two = open(&f.root.join("two.dossier"));
    let o = import_file(&two, &qdpx);
    assert_eq!(o.status, ImportStatus::Imported, "{o:?}");
    assert!(
        o.summary.as_deref().unwrap().contains("7 new claim(s)") || claim_set(&two).len() == 7,
        "{o:?}"
    );
    assert_eq!(claim_set(&two), claim_set(&f.nb));
    assert_eq!(note_set(&two), note_set(&f.nb));
    assert!(code_set(&f.nb).is_subset(&code_set(&two)));
    // Relations travel as REFI-QDA links between the selections.
    assert_eq!(relation_set(&f.nb).len(), 1);
    assert_eq!(relation_set(&two), relation_set(&f.nb));
    assert!(
        o.summary.as_deref().unwrap().contains("1 new relation(s)"),
        "{o:?}"
    );
    // GUIDs were free, so ids (and the note's links) survive.
    let ids = |nb: &Notebook| {
        nb.claims(None, None)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(ids(&two), ids(&f.nb));

    // Importing the project into the notebook it came from finds everything there.
    let home = import_file(&f.nb, &qdpx);
    assert!(
        home.summary.as_deref().unwrap().contains("(0 new)")
            && home
                .summary
                .as_deref()
                .unwrap()
                .contains("0 new claim(s), 0 new relation(s), 0 new note(s)"),
        "{home:?}"
    );

    // Importing the same project again adds nothing.
    let again = import_file(&two, &qdpx);
    assert!(again
        .summary
        .unwrap()
        .contains("0 new claim(s), 0 new relation(s), 0 new note(s)"));
    assert_eq!(
        two.claims(None, None).unwrap().len(),
        f.nb.claims(None, None).unwrap().len()
    );

    // export -> import -> export: the second project holds the same selections.
    let qdpx2 = f.root.join("project2.qdpx");
    two.export(ExportFormat::Qdpx, &qdpx2, &ExportScope::default(), false)
        .unwrap();
    let three = open(&f.root.join("three.dossier"));
    import_file(&three, &qdpx2);
    assert_eq!(claim_set(&three), claim_set(&f.nb));
    assert_eq!(note_set(&three), note_set(&f.nb));
    assert_eq!(relation_set(&three), relation_set(&f.nb));
    three.flush_index().unwrap();
    let report = three.check().unwrap();
    assert!(report.ok, "{report:?}");
}

#[test]
fn refi_qda_project_from_another_tool_is_reanchored() {
    // Inline text, braces around GUIDs, a colour in short form, a selection
    // counted over a text that our import normalises (CRLF line ends).
    let tmp = tempfile::tempdir().unwrap();
    let text = "Erster Absatz.\r\n\r\nQwen legt die Trainingsdaten nicht offen.\r\n";
    let start = text.find("Qwen").unwrap();
    let end = start + "Qwen legt die Trainingsdaten nicht offen".len();
    let xml = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Fremd">
  <Users><User guid="{{AAAAAAAA-0000-4000-8000-000000000001}}" name="Ben"/></Users>
  <CodeBook><Codes>
    <Code guid="{{AAAAAAAA-0000-4000-8000-000000000002}}" name="Offenlegung/Daten" isCodable="true" color="#f00"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="AAAAAAAA-0000-4000-8000-000000000003" name="Bericht">
      <PlainTextContent>{}</PlainTextContent>
      <PlainTextSelection guid="AAAAAAAA-0000-4000-8000-000000000004" startPosition="{start}" endPosition="{end}" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
        <Description>Wichtig</Description>
        <Coding guid="AAAAAAAA-0000-4000-8000-000000000005"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000002"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="AAAAAAAA-0000-4000-8000-000000000006" name="scan.pdf"/>
  </Sources>
  <Links>
    <Link guid="AAAAAAAA-0000-4000-8000-000000000007" name="causes" originGUID="AAAAAAAA-0000-4000-8000-000000000004" targetGUID="AAAAAAAA-0000-4000-8000-000000000003"/>
    <Link guid="AAAAAAAA-0000-4000-8000-000000000008" name="Supports" originGUID="AAAAAAAA-0000-4000-8000-000000000004" targetGUID="AAAAAAAA-0000-4000-8000-000000000003"/>
  </Links>
</Project>"##,
        text.replace('\r', "&#13;")
    );
    let path = tmp.path().join("fremd.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("project.qde", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();

    let nb = open(&tmp.path().join("nb.dossier"));
    let o = import_file(&nb, &path);
    assert_eq!(o.status, ImportStatus::Imported, "{o:?}");
    assert!(o.summary.as_deref().unwrap().contains("scan.pdf"), "{o:?}");
    // A link of a kind Dossier lacks, and one to a whole source, are reported, not guessed at.
    assert!(
        o.summary
            .as_deref()
            .unwrap()
            .contains("link 'causes' skipped"),
        "{o:?}"
    );
    assert!(
        o.summary
            .as_deref()
            .unwrap()
            .contains("'supports' link does not join two imported selections"),
        "{o:?}"
    );
    let claims = nb.claims(None, None).unwrap();
    assert_eq!(claims.len(), 1);
    assert!(nb.relations(&claims[0].id).unwrap().is_empty());
    let c = &claims[0];
    assert_eq!(c.exact, "Qwen legt die Trainingsdaten nicht offen");
    assert_eq!(c.codes, vec!["Offenlegung∕Daten".to_string()]);
    assert_eq!(c.comment.as_deref(), Some("Wichtig"));
    assert_eq!(c.analyst.as_deref(), Some("Ben"));
    let code = nb
        .codes()
        .unwrap()
        .into_iter()
        .find(|k| k.path == "Offenlegung∕Daten")
        .unwrap();
    assert_eq!(code.color, "#ff0000");
}

#[test]
fn hostile_qdpx_files_fail_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = open(&tmp.path().join("nb.dossier"));
    let before = nb.info().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage.qdpx", b"PK\x03\x04 not really a zip".to_vec()),
        ("empty.qdpx", Vec::new()),
        ("bomb.qdpx", {
            // Entity expansion ("billion laughs") inside project.qde.
            let mut xml =
                String::from("<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\">");
            for i in 1..10 {
                let prev = if i == 1 {
                    "a".to_string()
                } else {
                    format!("a{}", i - 1)
                };
                xml.push_str(&format!(
                    "<!ENTITY a{i} \"{}\">",
                    format!("&{prev};").repeat(10)
                ));
            }
            xml.push_str("]><Project name=\"&a9;\"/>");
            let mut buf = std::io::Cursor::new(Vec::new());
            let mut z = zip::ZipWriter::new(&mut buf);
            z.start_file("project.qde", zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(xml.as_bytes()).unwrap();
            z.finish().unwrap();
            buf.into_inner()
        }),
        ("traversal.qdpx", {
            let xml = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><TextSource guid="aaaaaaaa-0000-4000-8000-000000000003" name="t" plainTextPath="internal://../../etc/passwd"/><TextSource guid="aaaaaaaa-0000-4000-8000-000000000004" name="u" plainTextPath="absolute:///etc/passwd"/></Sources></Project>"#;
            let mut buf = std::io::Cursor::new(Vec::new());
            let mut z = zip::ZipWriter::new(&mut buf);
            z.start_file("project.qde", zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(xml.as_bytes()).unwrap();
            z.finish().unwrap();
            buf.into_inner()
        }),
    ];
    for (name, bytes) in cases {
        let p = tmp.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = import_file(&nb, &p);
        assert_eq!(o.status, ImportStatus::Failed, "{name}: {o:?}");
        assert!(o.error.as_deref().is_some_and(|e| !e.is_empty()), "{name}");
    }
    let after = nb.info().unwrap();
    assert_eq!(
        (before.articles, before.claims),
        (after.articles, after.claims)
    );
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok);
}

#[test]
fn w3c_round_trip_and_hypothesis_on_a_revised_text() {
    let f = fixture();
    let anno = f.root.join("claims.jsonld");
    f.nb.export(ExportFormat::W3c, &anno, &ExportScope::default(), false)
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&anno).unwrap()).unwrap();
    assert_eq!(doc["type"], "AnnotationCollection");
    assert_eq!(doc["total"], 7);

    // A second notebook with the same articles (imported from their original files).
    let two = open(&f.root.join("two.dossier"));
    for a in f.nb.articles().unwrap() {
        let full = f.nb.article(&a.id).unwrap();
        let bytes = std::fs::read(f.nb.dir().join("sources").join(&full.sha256)).unwrap();
        two.import_bytes(&full.original_name, &bytes).unwrap();
    }
    let o = import_file(&two, &anno);
    assert_eq!(o.status, ImportStatus::Imported, "{o:?}");
    assert_eq!(claim_set(&two), claim_set(&f.nb));
    let again = import_file(&two, &anno);
    assert!(again
        .summary
        .unwrap()
        .contains("0 new claim(s), 7 already present"));

    // Hypothesis export made on the web page; our copy gained a paragraph since,
    // so the position is stale and the quote must be found by its context.
    let three = open(&f.root.join("three.dossier"));
    let revised = MIXED.replace(
        "# Qwen und 数据完整性\n\n",
        "# Qwen und 数据完整性\n\nNeu: ein eingefügter Absatz 🚀.\n\n",
    );
    three
        .import_bytes("qwen-v2.md", revised.as_bytes())
        .unwrap();
    let hyp = serde_json::json!({"total": 2, "rows": [
        {"uri": "https://example.org/qwen-report/", "text": "offen?", "tags": ["Transparency/Open weights"],
         "user": "acct:ben@hypothes.is",
         "target": [{"source": "https://example.org/qwen-report", "selector": [
            {"type": "TextPositionSelector", "start": 40, "end": 72},
            {"type": "TextQuoteSelector", "exact": "Die Gewichte von Qwen sind offen", "prefix": "und 𠀋: ", "suffix": "."}]}]},
        {"uri": "https://example.org/qwen-report", "text": "", "tags": [],
         "target": [{"source": "https://example.org/qwen-report", "selector": [
            {"type": "TextQuoteSelector", "exact": "steht nirgends", "prefix": "", "suffix": ""}]}]}
    ]});
    let hp = f.root.join("hypothesis.json");
    std::fs::write(&hp, serde_json::to_vec(&hyp).unwrap()).unwrap();
    let o = import_file(&three, &hp);
    assert_eq!(o.status, ImportStatus::Imported, "{o:?}");
    assert!(
        o.summary.as_deref().unwrap().contains("1 problem(s)"),
        "{o:?}"
    );
    let claims = three.claims(None, None).unwrap();
    assert_eq!(claims.len(), 1);
    let text = three.article(&claims[0].article_id).unwrap().text;
    let got: String = text
        .chars()
        .skip(claims[0].start as usize)
        .take((claims[0].end - claims[0].start) as usize)
        .collect();
    assert_eq!(got, "Die Gewichte von Qwen sind offen");
    assert_eq!(claims[0].analyst.as_deref(), Some("ben"));
    assert_eq!(
        claims[0].codes,
        vec!["Transparency/Open weights".to_string()]
    );
}

#[test]
fn references_attach_to_matching_articles() {
    let f = fixture();
    // Round trip through every reference format: export, then read into a notebook
    // whose copy of the article lacks the metadata.
    for (format, file) in [
        (ExportFormat::Csl, "refs.json"),
        (ExportFormat::Bibtex, "refs.bib"),
        (ExportFormat::Ris, "refs.ris"),
    ] {
        let path = f.root.join(file);
        f.nb.export(format, &path, &ExportScope::default(), false)
            .unwrap();
        let other = open(&f.root.join(format!("{file}.dossier")));
        let bare = MIXED.split("---\n").nth(2).unwrap();
        let id = other
            .import_bytes("qwen.md", bare.as_bytes())
            .unwrap()
            .id
            .unwrap();
        assert_eq!(other.article(&id).unwrap().author, None);
        let o = import_file(&other, &path);
        assert_eq!(o.status, ImportStatus::Imported, "{file}: {o:?}");
        let a = other.article(&id).unwrap();
        assert_eq!(a.author.as_deref(), Some("Anna Müller"), "{file}");
        assert_eq!(a.published.as_deref(), Some("2024-05-03"), "{file}");
        // Only the title matched, since the bare copy has no URL: the URL is attached now.
        assert_eq!(
            a.source_url.as_deref(),
            Some("https://example.org/qwen-report"),
            "{file}"
        );
    }
    let bad = f.root.join("bad.bib");
    std::fs::write(&bad, "@online{x, title = {unclosed").unwrap();
    assert_eq!(import_file(&f.nb, &bad).status, ImportStatus::Failed);
}

#[test]
fn backup_restores_into_a_new_notebook() {
    let f = fixture();
    let zip_path = f.root.join("backup.zip");
    let mut steps = 0;
    f.nb.export_with_progress(
        ExportFormat::Backup,
        &zip_path,
        &ExportScope::default(),
        false,
        &mut |_, _| steps += 1,
    )
    .unwrap();
    assert!(steps >= 2);
    let target = f.root.join("restored.dossier");
    let restored = Notebook::restore(&zip_path, &target).unwrap();
    assert_eq!(claim_set(&restored), claim_set(&f.nb));
    assert_eq!(note_set(&restored), note_set(&f.nb));
    assert!(restored.check().unwrap().ok, "{:?}", restored.check());
    let hits = restored
        .search(&dossier::model::SearchRequest {
            query: "数据完整性".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(hits.total > 0);
    drop(restored);

    // Never into a notebook that has content; never an entry outside the allowed names.
    let e = Notebook::restore(&zip_path, &f.root.join("one.dossier"))
        .err()
        .unwrap();
    assert_eq!(e.code, ErrorCode::Conflict);
    let evil = f.root.join("evil.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&evil).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("manifest.json", o).unwrap();
        z.write_all(br#"{"format": "dossier-backup/1"}"#).unwrap();
        z.start_file("notebook.sqlite", o).unwrap();
        z.write_all(b"x").unwrap();
        z.start_file("../escaped.txt", o).unwrap();
        z.write_all(b"x").unwrap();
        z.finish().unwrap();
    }
    let target = f.root.join("evil.dossier");
    let e = Notebook::restore(&evil, &target).err().unwrap();
    assert_eq!(e.code, ErrorCode::Unsupported, "{e:?}");
    assert!(!target.exists());
    assert!(!f.root.join("escaped.txt").exists());
    // A backup is always of the whole notebook.
    let scoped = ExportScope {
        code: Some("Trust".into()),
        ..Default::default()
    };
    assert!(f
        .nb
        .export(ExportFormat::Backup, &f.root.join("b2.zip"), &scoped, false)
        .is_err());
}

#[test]
fn every_export_refuses_to_overwrite_and_stays_in_its_folder() {
    let f = fixture();
    let out = f.root.join("out");
    for format in ExportFormat::ALL {
        let path = match format.extension() {
            Some(ext) => out.join(format!("export.{ext}")),
            None => out.join(format!("{}-folder", format.as_str())),
        };
        let first =
            f.nb.export(format, &path, &ExportScope::default(), false)
                .unwrap();
        assert!(!first.is_empty(), "{format:?}");
        for file in &first {
            assert!(file.starts_with(&out), "{format:?} wrote {file:?}");
        }
        let e =
            f.nb.export(format, &path, &ExportScope::default(), false)
                .err();
        assert_eq!(
            e.map(|e| e.code),
            Some(ErrorCode::Conflict),
            "{format:?} overwrote silently"
        );
        f.nb.export(format, &path, &ExportScope::default(), true)
            .unwrap();
    }
    // Obsidian: links point at vault files and block ids.
    let vault = out.join("obsidian-folder");
    let note = std::fs::read_dir(vault.join("Notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("Zu Qwen"))
        .unwrap();
    let text = std::fs::read_to_string(note).unwrap();
    assert!(text.contains("[[Articles/Qwen und 数据完整性 ("), "{text}");
    assert!(text.contains("#^c-"), "{text}");
    assert!(!text.contains("[[article:"), "{text}");
    // The HTML report is inert: no script, a CSP that forbids fetching anything.
    let html = std::fs::read_to_string(out.join("export.html")).unwrap();
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("default-src 'none'"));
    assert!(
        html.contains("&lt;b&gt;&amp;&lt;/b&gt;"),
        "comments are escaped"
    );
    assert!(html.contains("<svg"));
}

#[test]
fn bulk_import_of_a_folder_uses_batches_and_adds_nothing_the_second_time() {
    let tmp = tempfile::tempdir().unwrap();
    let nb = open(&tmp.path().join("nb.dossier"));
    let dir = tmp.path().join("folder");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for i in 0..120 {
        let sub = if i % 3 == 0 { "sub/" } else { "" };
        std::fs::write(
            dir.join(format!("{sub}a{i:03}.md")),
            format!("# Artikel {i}\n\nText über Qwen Nummer {i}."),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("copy.md"),
        "# Artikel 5\n\nText über Qwen Nummer 5.",
    )
    .unwrap(); // same bytes as a005
    std::fs::write(dir.join("broken.pdf"), b"%PDF-1.4 nothing else").unwrap();
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    let mut last = None;
    let out = nb
        .import_paths(
            std::slice::from_ref(&dir),
            &std::sync::atomic::AtomicBool::new(false),
            &mut |p| last = Some(p.clone()),
        )
        .unwrap();
    assert_eq!(out.len(), 123);
    let count = |s: ImportStatus| out.iter().filter(|o| o.status == s).count();
    assert_eq!(
        (
            count(ImportStatus::Imported),
            count(ImportStatus::Duplicate),
            count(ImportStatus::Failed)
        ),
        (120, 1, 2)
    );
    // Outcomes come in the order of the files, whatever order the workers finished in.
    let paths: Vec<&str> = out.iter().map(|o| o.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(out
        .iter()
        .filter(|o| o.status == ImportStatus::Failed)
        .all(|o| o.error.as_deref().is_some_and(|e| !e.is_empty())));
    let last = last.unwrap();
    assert_eq!((last.done, last.total), (123, 123));
    assert_eq!(last.bytes_done, last.bytes_total);
    // The provenance is the full path.
    let any = nb.article(out[0].id.as_ref().unwrap()).unwrap();
    assert!(
        any.original_name.starts_with(dir.to_str().unwrap()),
        "{}",
        any.original_name
    );
    let again = nb
        .import_paths(
            &[dir],
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(
        again
            .iter()
            .filter(|o| o.status == ImportStatus::Imported)
            .count(),
        0
    );
    assert_eq!(nb.info().unwrap().articles, 120);
    nb.flush_index().unwrap();
    assert!(nb.check().unwrap().ok);
}

#[test]
fn repair_rebuilds_the_index_and_collects_unused_originals() {
    let f = fixture();
    f.nb.flush_index().unwrap();
    let claim = f.nb.claims(None, None).unwrap()[0].id.clone();
    f.nb.corrupt_index_for_test(dossier::model::Kind::Claim, &claim)
        .unwrap();
    // An original left behind by a deleted article, old enough to be no import's.
    let orphan = f.nb.dir().join("sources").join("ab".repeat(32));
    std::fs::write(&orphan, b"left over").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&orphan)
        .unwrap()
        .set_modified(old)
        .unwrap();
    // A fresh one may belong to an import in flight and stays.
    let fresh = f.nb.dir().join("sources").join("cd".repeat(32));
    std::fs::write(&fresh, b"in flight").unwrap();
    assert!(!f.nb.check().unwrap().ok);
    let report = f.nb.repair().unwrap();
    assert!(report.check.ok, "{report:?}");
    assert!(
        report
            .actions
            .iter()
            .any(|a| a.contains("rebuilt the search index")),
        "{report:?}"
    );
    assert!(
        report
            .actions
            .iter()
            .any(|a| a.contains("removed 1 original file")),
        "{report:?}"
    );
    assert!(!orphan.exists() && fresh.exists());
    assert_eq!(
        f.nb.repair().unwrap().actions,
        vec!["nothing needed repair".to_string()]
    );
}

#[test]
fn automatic_backups_rotate_and_restore() {
    let f = fixture();
    let day = std::time::Duration::from_secs(24 * 3600);
    assert!(f.nb.rotate_backups(day, 3).unwrap().is_some());
    assert!(f.nb.rotate_backups(day, 3).unwrap().is_none(), "one a day");
    for _ in 0..4 {
        std::thread::sleep(std::time::Duration::from_millis(1100)); // names have one-second resolution
        f.nb.rotate_backups(std::time::Duration::ZERO, 3).unwrap();
    }
    let list = f.nb.backups().unwrap();
    assert_eq!(list.len(), 3);
    let restored =
        Notebook::restore(list.last().unwrap(), &f.root.join("from-auto.dossier")).unwrap();
    assert_eq!(claim_set(&restored), claim_set(&f.nb));
    // Backups are not part of backups (no nesting) and do not upset `check`.
    assert!(f.nb.check().unwrap().ok);
}

#[test]
fn correcting_an_articles_language_reindexes_it_and_its_claims() {
    let f = fixture();
    let id =
        f.nb.articles()
            .unwrap()
            .into_iter()
            .find(|a| a.title.starts_with("Qwen und"))
            .unwrap()
            .id;
    let search = |q: &str| {
        f.nb.flush_index().unwrap();
        f.nb.search(&dossier::model::SearchRequest {
            query: q.into(),
            limit: 20,
            ..Default::default()
        })
        .unwrap()
        .hits
        .into_iter()
        .filter(|h| h.article_id.as_deref() == Some(&id))
        .count()
    };
    assert_eq!(f.nb.set_article_language(&id, "EN").unwrap().language, "en");
    assert!(
        search("lang:en Gewichte") > 0,
        "the article and its claims are found under the new language"
    );
    assert_eq!(search("lang:de Gewichte"), 0);
    assert!(f.nb.set_article_language(&id, "not a tag!").is_err());
    assert!(f.nb.set_article_language("missing", "de").is_err());
    f.nb.flush_index().unwrap();
    assert!(f.nb.check().unwrap().ok);
}

/// An interchange import is the user's change like any other: its claims,
/// relations, notes and codes are one step of the change log, undone and
/// redone together, and the index follows both ways.
#[test]
fn an_imported_project_is_one_undoable_step() {
    let f = fixture();
    let qdpx = f.root.join("project.qdpx");
    f.nb.export(ExportFormat::Qdpx, &qdpx, &ExportScope::default(), false)
        .unwrap();
    let two = open(&f.root.join("two.dossier"));
    let codes_before = code_set(&two);
    import_file(&two, &qdpx);
    let imported = (claim_set(&two), relation_set(&two), note_set(&two));
    assert_eq!(imported.0.len(), 7);

    let undone = two.undo().unwrap().expect("the import can be undone");
    assert_eq!(undone.action, "import");
    assert!(claim_set(&two).is_empty(), "every imported claim went");
    assert!(relation_set(&two).is_empty());
    assert_eq!(note_set(&two), BTreeSet::new());
    assert_eq!(code_set(&two), codes_before, "the imported codes went too");
    // The articles stay: new articles are undone by deleting them (logged).
    assert!(!two.articles().unwrap().is_empty());

    two.redo().unwrap().expect("and redone");
    assert_eq!(
        (claim_set(&two), relation_set(&two), note_set(&two)),
        imported
    );
    two.flush_index().unwrap();
    let report = two.check().unwrap();
    assert!(report.ok, "{report:?}");
    let history = two
        .history(
            dossier::model::EntityKind::Claim,
            &two.claims(None, None).unwrap()[0].id,
        )
        .unwrap();
    assert_eq!(history[0].action, "import");
}
