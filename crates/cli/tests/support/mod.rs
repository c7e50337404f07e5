//! Files the CLI tests build for themselves, and the CLI run as a script runs it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

#[allow(dead_code)] // not every test binary runs the CLI through these
pub fn dossier(nb: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--notebook")
        .arg(nb)
        .args(args)
        .env("DOSSIER_ANALYST", "cli-test")
        .run()
}

/// `output()` of a command the test must be able to start.
#[allow(dead_code)]
pub trait Runs {
    /// `self.output()`, started again when the system failed to start it for
    /// a moment (Wine under load: "Internal error", before the program ran);
    /// panics when it cannot be started.
    fn run(&mut self) -> Output;
}

impl Runs for Command {
    fn run(&mut self) -> Output {
        dossier_confine::started_again_for_a_moment(|| self.output())
            .unwrap_or_else(|e| panic!("{self:?} does not start: {e}"))
    }
}

/// Runs with `--json`, expects success, parses stdout.
#[allow(dead_code)]
pub fn json(nb: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = dossier(nb, &all);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// A well-formed one-page PDF whose only content is `content` (a content
/// stream); with `font`, the page has a Type 1 font `/F1` for text operators.
#[allow(dead_code)] // not every test binary uses it
pub fn pdf_with_content(content: &str, font: bool) -> Vec<u8> {
    let resources = if font {
        "<< /Font << /F1 5 0 R >> >>"
    } else {
        "<< >>"
    };
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources {resources} >>"),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ),
    ];
    if font {
        objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string());
    }
    pdf_of_objects(&objects)
}

/// A PDF of `objects` (numbered from 1; object 1 is the catalog), with a
/// correct cross-reference table.
#[allow(dead_code)] // not every test binary builds its own objects
pub fn pdf_of_objects(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
