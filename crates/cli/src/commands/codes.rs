//! The codebook.

use dossier::model::{Error, Result};
use dossier::Notebook;

use super::Reply;
use crate::args::CodesCmd;
use crate::print;

pub fn run(nb: &Notebook, action: Option<CodesCmd>) -> Result<Reply> {
    let code = match action {
        None => return Ok(Reply::list(nb.codes()?, print::code_line)),
        Some(CodesCmd::Add {
            path,
            color,
            description,
        }) => nb.add_code(&path, color.as_deref(), &description)?,
        Some(CodesCmd::Rename { path, new_name }) => nb.rename_code(&path, &new_name)?,
        Some(CodesCmd::Move { path, to, top }) => {
            if to.is_none() && !top {
                return Err(Error::invalid(
                    "say where to move the code: --to PARENT or --top",
                ));
            }
            nb.move_code(&path, to.as_deref())?
        }
        Some(CodesCmd::Merge { from, into }) => nb.merge_code(&from, &into)?,
        Some(CodesCmd::Edit {
            path,
            color,
            description,
        }) => nb.update_code(&path, color.as_deref(), description.as_deref())?,
        Some(CodesCmd::Import { file }) => {
            let r = nb.import_codebook(&file)?;
            return Ok(Reply::value(r, |r| {
                let mut text = format!(
                    "{} code(s) added, {} updated, {} unchanged",
                    r.added, r.updated, r.unchanged
                );
                for p in &r.problems {
                    text.push_str(&format!("\n  {p}"));
                }
                text
            }));
        }
        Some(CodesCmd::Memo { path, text, file }) => {
            let memo = match (text, file) {
                (Some(t), _) => t,
                (None, Some(f)) => read_memo(&f)?,
                (None, None) => String::new(),
            };
            nb.set_code_memo(&path, &memo)?
        }
        Some(CodesCmd::Delete { path, force }) => {
            nb.delete_code(&path, force)?;
            let text = format!("deleted code {path}");
            return Ok(Reply::value(
                serde_json::json!({ "deleted": path }),
                move |_| text.clone(),
            ));
        }
    };
    Ok(Reply::value(code, print::code_line))
}

/// A memo file: at most 4 bytes a character of the memo limit, UTF-8.
fn read_memo(path: &std::path::Path) -> Result<String> {
    use std::io::Read;
    let limit = (dossier::model::limits::MAX_MEMO_CHARS * 4) as u64;
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::invalid(format!(
            "'{}' is too long for a memo",
            path.display()
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| Error::invalid(format!("'{}' is not UTF-8 text", path.display())))
}
