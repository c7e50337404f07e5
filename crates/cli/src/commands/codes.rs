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
