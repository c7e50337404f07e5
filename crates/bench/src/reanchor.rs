//! `dossier-bench --reanchor CORPUS [--out FILE]`: how claims survive a new
//! version of their article, on a test set made from real articles.
//!
//! For each German and English text article of the corpus (imported through
//! the real pipeline) up to eight sentences become claims. A revised text is
//! then written by rules whose right answer is known: a paragraph is added at
//! the top (every position shifts), and per claim, by turns, the sentence is
//! left alone (expected `exact`), has a word inserted inside it (`changed`),
//! is deleted (`orphaned`), or its paragraph is moved to the end (`exact`).
//! The revision is imported with `import_new_version`, and every claim's
//! status is compared with the expected one.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use dossier::model::{AnchorStatus, ClaimTarget, ImportStatus, NewClaim, Stance};
use serde_json::{json, Value};

const PER_ARTICLE: usize = 8;
const MAX_ARTICLES: usize = 60;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Edit {
    Keep,
    InsertWord,
    Delete,
    MoveParagraph,
}

impl Edit {
    fn expected(self) -> AnchorStatus {
        match self {
            Edit::Keep | Edit::MoveParagraph => AnchorStatus::Exact,
            Edit::InsertWord => AnchorStatus::Changed,
            Edit::Delete => AnchorStatus::Orphaned,
        }
    }
}

/// Sentences of 40–240 characters that occur once in the text, with the
/// paragraph each is in. Not a table's rows: their cells are separated by tabs
/// and rows by line breaks in the canonical text, which the plain-text revision
/// this benchmark writes cannot carry (tabs read back as spaces), so such a
/// "kept" sentence would come back changed by the benchmark, not by the edit.
fn sentences(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (p, para) in text.split("\n\n").enumerate() {
        for s in para.split_inclusive(". ") {
            let s = s.trim();
            let n = s.chars().count();
            if (40..=240).contains(&n)
                && text.matches(s).count() == 1
                && s.contains(' ')
                && !s.contains(['\t', '\n'])
            {
                out.push((p, s.to_string()));
            }
        }
    }
    out
}

pub fn run(corpus: &Path, work: &Path) -> Value {
    let nb = crate::open_quiet(&work.join("reanchor.dossier"));
    let mut files = Vec::new();
    for ext in ["md", "txt", "html"] {
        crate::files_with_extension(corpus, ext, &mut files);
    }
    files.sort();
    let mut confusion: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut articles = 0;
    let mut claims_total = 0;
    let mut wrong_text = 0;
    for file in files {
        if articles >= MAX_ARTICLES {
            break;
        }
        let out = nb
            .import_paths(
                std::slice::from_ref(&file),
                &AtomicBool::new(false),
                &mut |_| {},
            )
            .expect("import");
        let (Some(o), true) = (
            out.first(),
            out.first()
                .is_some_and(|o| o.status == ImportStatus::Imported),
        ) else {
            continue;
        };
        let id = o.id.clone().expect("id");
        let article = nb.article(&id).expect("article");
        if !matches!(article.language.as_str(), "de" | "en") {
            continue;
        }
        let picked: Vec<(usize, String)> = sentences(&article.text)
            .into_iter()
            .take(PER_ARTICLE)
            .collect();
        if picked.len() < 4 {
            continue;
        }
        articles += 1;
        let mut paragraphs: Vec<String> = article.text.split("\n\n").map(str::to_string).collect();
        let mut planned = Vec::new();
        let mut moved = Vec::new();
        for (k, (para, sentence)) in picked.iter().enumerate() {
            let claim = nb
                .add_claim(NewClaim {
                    article_id: id.clone(),
                    target: ClaimTarget::Quote {
                        exact: sentence.clone(),
                        occurrence: 1,
                    },
                    codes: vec!["Trust".into()],
                    stance: Stance::Unclear,
                    confidence: 3,
                    claimant: None,
                    comment: None,
                    analyst: None,
                    hedging: Default::default(),
                })
                .expect("claim");
            let mut edit = [
                Edit::Keep,
                Edit::InsertWord,
                Edit::Delete,
                Edit::MoveParagraph,
            ][k % 4];
            // One edit per paragraph that moves or loses text, so the expectations stay independent.
            if edit == Edit::MoveParagraph
                && (moved.contains(para) || picked.iter().filter(|(p, _)| p == para).count() > 1)
            {
                edit = Edit::Keep;
            }
            match edit {
                Edit::InsertWord => {
                    let words: Vec<&str> = sentence.split(' ').collect();
                    let mid = words.len() / 2;
                    let extra = if article.language == "de" {
                        "nachweislich"
                    } else {
                        "demonstrably"
                    };
                    let revised = [&words[..mid], &[extra], &words[mid..]].concat().join(" ");
                    paragraphs[*para] = paragraphs[*para].replacen(sentence.as_str(), &revised, 1);
                }
                Edit::Delete => {
                    paragraphs[*para] = paragraphs[*para].replacen(sentence.as_str(), "", 1);
                }
                Edit::MoveParagraph => moved.push(*para),
                Edit::Keep => {}
            }
            planned.push((claim.id, edit, sentence.clone()));
        }
        let mut revised: Vec<String> =
            vec!["Aktualisiert / updated: this article was revised.".into()];
        revised.extend(
            paragraphs
                .iter()
                .enumerate()
                .filter(|(i, _)| !moved.contains(i))
                .map(|(_, p)| p.clone()),
        );
        revised.extend(moved.iter().map(|&i| paragraphs[i].clone()));
        let path = work.join(format!("revised-{articles}.txt"));
        std::fs::write(&path, revised.join("\n\n")).expect("write revision");
        let report = match nb.import_new_version(&path, &id) {
            Ok(r) => r,
            Err(_) => continue,
        };
        for (claim_id, edit, sentence) in planned {
            let c = nb.claim(&claim_id).expect("claim");
            claims_total += 1;
            *confusion
                .entry((
                    edit.expected().as_str().to_string(),
                    c.anchor_status.as_str().to_string(),
                ))
                .or_default() += 1;
            let text_ok = match c.anchor_status {
                AnchorStatus::Exact => c.exact == sentence && c.article_id == report.article_id,
                AnchorStatus::Changed => {
                    c.exact.contains("nachweislich") || c.exact.contains("demonstrably")
                }
                _ => c.article_id == id,
            };
            if !text_ok {
                wrong_text += 1;
            }
        }
    }
    nb.flush_index().expect("index");
    let check_ok = nb.check().expect("check").ok;
    let correct: u32 = confusion
        .iter()
        .filter(|((e, g), _)| e == g)
        .map(|(_, n)| n)
        .sum();
    json!({
        "articles": articles,
        "claims": claims_total,
        "correct": correct,
        "accuracy": f64::from(correct) / f64::from(claims_total.max(1)),
        "wrong_text": wrong_text,
        "confusion": confusion.iter().map(|((e, g), n)| json!({"expected": e, "got": g, "claims": n})).collect::<Vec<_>>(),
        "check_ok": check_ok,
    })
}
